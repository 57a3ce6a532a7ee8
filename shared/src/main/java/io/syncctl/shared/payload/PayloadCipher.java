package io.syncctl.shared.payload;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Encrypts task payloads at rest with AES-256-GCM under {@code SYNCCTL_PAYLOAD_KEY}.
 *
 * <p>Layout: {@code version(1) | nonce(12) | ciphertext+tag(16)}. A fresh random nonce per
 * encryption (never reused under one key for any realistic number of tasks). The task id is the
 * associated data, so a payload copied onto another task's row fails to decrypt instead of
 * silently running the wrong connector config. Thread-safe: a new {@link Cipher} per call, from the
 * provider found once at construction (searching the provider list on every call was a third of the
 * encryption's cost at the api's task rate).
 */
public final class PayloadCipher {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final Provider provider;

    /** @param key the 32 bytes of {@code Settings.payloadKey()} */
    public PayloadCipher(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("payload key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        try {
            this.provider = Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    public byte[] encrypt(UUID taskId, TaskPayload payload) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(taskId));
            byte[] sealed = cipher.doFinal(payload.toBytes());
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @throws PayloadDecryptionException when the key is wrong, the bytes were altered or belong to
     *                                    another task; its message names the task only
     */
    public TaskPayload decrypt(UUID taskId, byte[] stored) {
        if (stored == null || stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new PayloadDecryptionException(taskId, "it is not an encrypted payload of a known format");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(taskId));
            plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new PayloadDecryptionException(taskId,
                    "the authentication tag does not match (wrong SYNCCTL_PAYLOAD_KEY, altered data, or another task's payload)");
        } catch (GeneralSecurityException e) {
            throw new PayloadDecryptionException(taskId, "decryption failed (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return TaskPayload.fromBytes(plain);
        } catch (IllegalArgumentException e) {
            throw new PayloadDecryptionException(taskId, e.getMessage());
        }
    }

    private static byte[] associatedData(UUID taskId) {
        return ByteBuffer.allocate(16).putLong(taskId.getMostSignificantBits()).putLong(taskId.getLeastSignificantBits()).array();
    }
}
