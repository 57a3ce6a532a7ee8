package io.syncctl.shared.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePatternsTest {
    @Test
    void globsMatchTheWholeRepository() {
        ImagePatterns p = ImagePatterns.parse("airbyte/*, registry.example.com:5000/team/**,jitsucom/source-?");
        assertTrue(p.allows("airbyte/source-postgres"));
        assertFalse(p.allows("airbyte/x/y"), "* stays within a path segment");
        assertFalse(p.allows("evil/airbyte/source-postgres"), "patterns match from the start");
        assertFalse(p.allows("airbytes/x"));
        assertTrue(p.allows("registry.example.com:5000/team/a/b"));
        assertFalse(p.allows("registry.example.comX5000/team/a"), "dots and colons are literal");
        assertTrue(p.allows("jitsucom/source-a"));
        assertFalse(p.allows("jitsucom/source-ab"));
        assertFalse(p.allows("docker.io/airbyte/source-postgres"), "no registry normalisation: list the form clients send");
    }

    @Test
    void unsetAllowsAnyAndEmptyPatternsAreRefused() {
        assertTrue(ImagePatterns.ANY.allows("anything/at-all"));
        assertThrows(IllegalArgumentException.class, () -> ImagePatterns.parse("airbyte/*,"));
    }
}
