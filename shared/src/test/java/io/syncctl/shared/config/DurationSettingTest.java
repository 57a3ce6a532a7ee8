package io.syncctl.shared.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationSettingTest {
    @Test
    void operatorForms() {
        assertEquals(Duration.ofSeconds(90), DurationSetting.parse("90"));
        assertEquals(Duration.ofSeconds(90), DurationSetting.parse("90s"));
        assertEquals(Duration.ofMinutes(30), DurationSetting.parse("30m"));
        assertEquals(Duration.ofMinutes(90), DurationSetting.parse("1h30m"));
        assertEquals(Duration.ofMillis(1500), DurationSetting.parse("1s500ms"));
        assertEquals(Duration.ofDays(2), DurationSetting.parse("2d"));
    }

    @Test
    void rejectsNonsense() {
        for (String bad : new String[]{"", "0", "0s", "h", "1x", "1h 30m", "-5s"}) {
            assertThrows(IllegalArgumentException.class, () -> DurationSetting.parse(bad), bad);
        }
    }
}
