package io.syncctl.api.intake;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failed batches answer 503 at once and which are committed again task by task. */
class UnreachableTest {

    @Test
    void noConnectionOrALostOneIsUnreachable() {
        assertTrue(TaskIntake.unreachable(new SQLException("Sorry, acquisition timeout!")), "Agroal's pool timeout has no SQL state");
        assertTrue(TaskIntake.unreachable(new SQLException("Acquisition timeout while waiting for new connection", (String) null)));
        assertTrue(TaskIntake.unreachable(new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        assertTrue(TaskIntake.unreachable(new IllegalStateException(new SQLException("Connection refused", "08001"))));
    }

    @Test
    void aRefusedStatementOrABugIsOneTasksFault() {
        assertFalse(TaskIntake.unreachable(new SQLException("poisoned task", "P0001")));
        assertFalse(TaskIntake.unreachable(new RuntimeException(new SQLException("duplicate key", "23505"))));
        assertFalse(TaskIntake.unreachable(new IllegalArgumentException("a bug")));
    }
}
