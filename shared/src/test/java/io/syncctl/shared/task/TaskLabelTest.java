package io.syncctl.shared.task;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskLabelTest {

    @Test
    void theConsolesKeysAppearWhole() {
        String key = "cm0workspace00000000000_cm1service000000000000_0123456789abcdef0123456789abcdef_cm2query0000000000000";
        UUID id = UUID.randomUUID();
        TaskRecord check = TaskRecord.accepted(id, TaskType.CHECK, "airbyte/source-postgres", "3.6.2", key, null, null, Map.of());
        assertEquals("check airbyte/source-postgres:3.6.2 key=" + key + " task=" + id, TaskLabel.of(check));
        String taskId = UUID.randomUUID().toString();
        TaskRecord read = TaskRecord.accepted(JobIds.readTask(taskId), TaskType.READ, "airbyte/source-postgres", "3.6.2", null,
                "cm3sync00000000000000000", taskId, Map.of());
        assertEquals("read airbyte/source-postgres:3.6.2 sync=cm3sync00000000000000000 task=" + taskId, TaskLabel.of(read));
    }

    @Test
    void longIdentifiersAreCutSoTheLabelStaysSmall() {
        String longId = "x".repeat(1024);
        TaskRecord read = TaskRecord.accepted(JobIds.readTask(longId), TaskType.READ, "a/b", "1", null, longId, longId, Map.of());
        String label = TaskLabel.of(read);
        assertEquals("read a/b:1 sync=" + "x".repeat(128) + "… task=" + "x".repeat(128) + "…", label);
        // a cut never splits a character outside the BMP
        String emoji = "😀".repeat(200);
        String shown = TaskLabel.shown(emoji);
        assertEquals(128, shown.codePointCount(0, shown.length()) - 1);
        assertTrue(shown.endsWith("😀…"));
    }
}
