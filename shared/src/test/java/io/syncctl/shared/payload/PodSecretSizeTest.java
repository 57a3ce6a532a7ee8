package io.syncctl.shared.payload;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodSecretSizeTest {
    static String noise(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return "{\"k\":\"" + Base64.getEncoder().encodeToString(b) + "\"}";
    }

    @Test
    void theLimitIsKubernetesSecretSizeLessRoomForTheDatabaseUrl() {
        assertEquals(1_048_576, PodSecretSize.SECRET_LIMIT);
        assertEquals(1_040_384, PodSecretSize.PAYLOAD_LIMIT);
    }

    @Test
    void packedBytesAreWhatTheWorkerStores() throws Exception {
        String config = noise(1000, 1);
        String catalog = "{\"streams\":[" + "{\"name\":\"s\"},".repeat(5000) + "{\"name\":\"t\"}]}";
        byte[] gz = PodSecretSize.gzip(catalog);
        assertEquals(catalog, new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8));
        TaskPayload p = new TaskPayload(config, catalog, null, "{}");
        assertEquals(PodSecretSize.gzip(config).length + gz.length + PodSecretSize.gzip("{}").length, PodSecretSize.packedBytes(p));
    }

    @Test
    void fitsDecidesOnTheCompressedSize() {
        // 3 MiB that compresses well fits; 1.1 MiB of random bytes (1.5 MB as base64, which gzip takes to
        // its 6 bits a character) does not
        String repetitive = "{\"streams\":[" + "{\"name\":\"users\",\"sync_mode\":\"full_refresh\"},".repeat(70_000) + "{}]}";
        assertTrue(repetitive.length() > 3_000_000);
        assertTrue(PodSecretSize.fits(new TaskPayload("{}", repetitive, null, null)));
        String random = noise(1100 * 1024, 2);
        assertFalse(PodSecretSize.fits(TaskPayload.config(random)));
        // just under the limit without compressing: decided from the plain size, and right
        String small = noise(700 * 1024, 3);
        assertTrue(PodSecretSize.fits(TaskPayload.config(small)));
        assertTrue(PodSecretSize.packedBytes(TaskPayload.config(small)) <= PodSecretSize.gzipBound(small.length()));
    }

    @Test
    void theBoundHoldsForIncompressibleData() {
        for (int n : new int[] {0, 1, 1000, 65_536, 1_000_000}) {
            byte[] b = new byte[n];
            new Random(n).nextBytes(b);
            String s = new String(b, StandardCharsets.ISO_8859_1); // chars >= 0x80 become 2 UTF-8 bytes
            long utf8 = s.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(PodSecretSize.gzip(s).length <= PodSecretSize.gzipBound(utf8), "n=" + n);
        }
    }
}
