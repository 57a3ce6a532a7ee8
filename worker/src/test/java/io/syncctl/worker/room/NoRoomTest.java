package io.syncctl.worker.room;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a task waiting in the queue is told, and how soon it asks again. */
class NoRoomTest {

    @Test
    void saysHowFullTheClusterIsAndHowManyWaitAhead() {
        assertEquals("in the queue for 40 s: 4 of at most 4 task pods exist (SYNCCTL_MAX_RUNNING_PODS)",
                new RoomGate.NoRoom(4, 0, 4, Duration.ofSeconds(40)).describe());
        assertEquals("in the queue for 2 min 5 s: 4 of at most 4 task pods exist (SYNCCTL_MAX_RUNNING_PODS) and 1 task waits"
                + " ahead of this one", new RoomGate.NoRoom(4, 1, 4, Duration.ofSeconds(125)).describe());
        assertEquals(" and 9 tasks wait ahead of this one", new RoomGate.NoRoom(4, 9, 4, Duration.ZERO).describe()
                .substring("in the queue for 0 s: 4 of at most 4 task pods exist (SYNCCTL_MAX_RUNNING_PODS)".length()));
    }

    @Test
    void asksAgainSoonNearTheHeadOfTheQueueAndLessOftenFurtherBack() {
        assertEquals(Duration.ofSeconds(5), new RoomGate.NoRoom(4, 3, 4, Duration.ZERO).recheckAfter());
        assertEquals(Duration.ofSeconds(10), new RoomGate.NoRoom(4, 4, 4, Duration.ZERO).recheckAfter());
        assertEquals(Duration.ofSeconds(30), new RoomGate.NoRoom(4, 400, 4, Duration.ZERO).recheckAfter());
    }

    @Test
    void waitsInWords() {
        assertEquals("0 s", Waits.words(Duration.ofMillis(900)));
        assertEquals("59 s", Waits.words(Duration.ofSeconds(59)));
        assertEquals("30 min", Waits.words(Duration.ofMinutes(30)));
        assertEquals("1 h 30 min", Waits.words(Duration.ofMinutes(90)));
        assertEquals("2 h", Waits.words(Duration.ofHours(2)));
    }
}
