package io.syncctl.shared.payload;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadCipherTest {
    private static final String SECRET = "hunter2-s3cr3t";
    private static final TaskPayload PAYLOAD = new TaskPayload(
            "{\"z\":1,\"a\":{\"password\":\"" + SECRET + "\"},\"n\":1.50}",
            "{\"streams\":[]}", null, "{\"destinationType\":\"postgres\",\"password\":\"" + SECRET + "\",\"ü\":\"☃\"}");

    private final byte[] key = bytes(32, 7);
    private final PayloadCipher cipher = new PayloadCipher(key);
    private final UUID task = UUID.randomUUID();

    @Test
    void roundTripKeepsTheRawTextsExactly() {
        byte[] sealed = cipher.encrypt(task, PAYLOAD);
        assertEquals(PAYLOAD, cipher.decrypt(task, sealed));
        assertEquals(TaskPayload.empty(), cipher.decrypt(task, cipher.encrypt(task, TaskPayload.empty())));
    }

    @Test
    void ciphertextHidesThePlaintextAndUsesAFreshNonce() {
        byte[] a = cipher.encrypt(task, PAYLOAD);
        byte[] b = cipher.encrypt(task, PAYLOAD);
        assertFalse(Arrays.equals(a, b));
        assertFalse(new String(a, StandardCharsets.ISO_8859_1).contains(SECRET));
        assertFalse(new String(a, StandardCharsets.UTF_8).contains(SECRET));
    }

    @Test
    void wrongKeyFailsWithoutLeaking() {
        byte[] sealed = cipher.encrypt(task, PAYLOAD);
        PayloadDecryptionException e = assertThrows(PayloadDecryptionException.class,
                () -> new PayloadCipher(bytes(32, 8)).decrypt(task, sealed));
        assertClear(e);
    }

    @Test
    void anotherTasksIdFails() {
        byte[] sealed = cipher.encrypt(task, PAYLOAD);
        assertClear(assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(UUID.randomUUID(), sealed)));
    }

    @Test
    void tamperedOrTruncatedBytesFail() {
        byte[] sealed = cipher.encrypt(task, PAYLOAD);
        for (int i : new int[]{0, 1, 13, sealed.length / 2, sealed.length - 1}) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            assertClear(assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(task, altered)));
        }
        assertClear(assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(task, Arrays.copyOf(sealed, 20))));
        assertClear(assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(task, null)));
    }

    @Test
    void keyMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new PayloadCipher(bytes(16, 1)));
        assertNotEquals(bytes(32, 1)[0], bytes(32, 2)[0]);
    }

    @Test
    void toStringShowsSizesOnly() {
        assertFalse(PAYLOAD.toString().contains(SECRET));
        assertTrue(PAYLOAD.toString().contains("catalog=14 chars"));
        assertArrayEquals(PAYLOAD.toBytes(), TaskPayload.fromBytes(PAYLOAD.toBytes()).toBytes());
    }

    private void assertClear(PayloadDecryptionException e) {
        assertTrue(e.getMessage().contains(task.toString()) || e.getMessage().contains("task "), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.getMessage().contains("password"), e.getMessage());
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
