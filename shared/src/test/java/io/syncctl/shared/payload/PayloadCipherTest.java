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
    void aRotatedKeyStillOpensWhatTheOldKeyWroteAndTheStoredKeyIdNamesTheKey() {
        byte[] newKey = bytes(32, 9);
        PayloadCipher rotated = new PayloadCipher(newKey, java.util.List.of(key));
        byte[] old = cipher.encrypt(task, PAYLOAD);
        assertEquals(PAYLOAD, rotated.decrypt(task, old));
        byte[] fresh = rotated.encrypt(task, PAYLOAD);
        assertEquals(2, fresh[0]);
        assertEquals(PayloadCipher.keyIdOf(newKey), java.util.HexFormat.of().formatHex(fresh, 1, 5));
        assertEquals(PAYLOAD, rotated.decrypt(task, fresh));
        // a worker not yet given the new key says which key it lacks, and nothing else
        PayloadDecryptionException e = assertThrows(PayloadDecryptionException.class, () -> cipher.decrypt(task, fresh));
        assertTrue(e.getMessage().contains("key id " + PayloadCipher.keyIdOf(newKey)), e.getMessage());
        assertClear(e);
    }

    @Test
    void payloadsWrittenBeforeKeyIdsOpenWithTheCurrentOrAnOldKey() throws Exception {
        byte[] legacy = versionOne(key, task, PAYLOAD);
        assertEquals(PAYLOAD, cipher.decrypt(task, legacy));
        assertEquals(PAYLOAD, new PayloadCipher(bytes(32, 9), java.util.List.of(bytes(32, 10), key)).decrypt(task, legacy));
        assertClear(assertThrows(PayloadDecryptionException.class, () -> new PayloadCipher(bytes(32, 9)).decrypt(task, legacy)));
    }

    /** The layout written before key ids: {@code 1 | nonce(12) | ciphertext+tag}. */
    private static byte[] versionOne(byte[] key, UUID task, TaskPayload payload) throws Exception {
        byte[] nonce = bytes(12, 3);
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        c.updateAAD(java.nio.ByteBuffer.allocate(16).putLong(task.getMostSignificantBits()).putLong(task.getLeastSignificantBits()).array());
        byte[] sealed = c.doFinal(payload.toBytes());
        return java.nio.ByteBuffer.allocate(1 + 12 + sealed.length).put((byte) 1).put(nonce).put(sealed).array();
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
