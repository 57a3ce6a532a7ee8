package io.syncctl.devkit.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MountPathsTest {

    private final MountPaths mounts = MountPaths.of(new LinkedHashMap<>(Map.of(
            "/pipes", Path.of("/w/pipes"),
            "/config", Path.of("/w/config"),
            "/config/extra/", Path.of("/w/extra"))));

    @Test
    void mountPathsAreRewrittenWhereverTheyStartAPath() {
        assertEquals("sh -c 'eval \"$AIRBYTE_ENTRYPOINT check --config /w/config/config.json\" 2> /w/pipes/stderr > /w/pipes/stdout'",
                mounts.rewrite("sh -c 'eval \"$AIRBYTE_ENTRYPOINT check --config /config/config.json\" 2> /pipes/stderr > /pipes/stdout'"));
        assertEquals("/w/pipes", mounts.rewrite("/pipes"));
        assertEquals("--file=/w/config/a.json", mounts.rewrite("--file=/config/a.json"));
        assertEquals(List.of("/w/pipes/stdout", "x"), mounts.rewrite(List.of("/pipes/stdout", "x")));
    }

    @Test
    void theLongestMountPathWins() {
        assertEquals("/w/extra/file", mounts.rewrite("/config/extra/file"));
    }

    @Test
    void partsOfLongerPathsAndNamesAreLeftAlone() {
        assertEquals("/configuration/x /etc/pipes /config.json pipes", mounts.rewrite("/configuration/x /etc/pipes /config.json pipes"));
    }
}
