package io.syncctl.shared.payload;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Encrypts task payloads at rest with AES-256-GCM under {@code SYNCCTL_PAYLOAD_KEY}, and decrypts
 * with that key or one of {@code SYNCCTL_PAYLOAD_KEYS_OLD}, so the key can be rotated while tasks
 * accepted under the old one still wait in the queue.
 *
 * <p>Layout (version 2): {@code 2 | key id(4) | nonce(12) | ciphertext+tag(16)}; the key id is the
 * first 4 bytes of SHA-256 over a fixed label and the key (it identifies a key among a handful, and
 * says nothing usable about it). Version 1, written before key ids existed, is
 * {@code 1 | nonce(12) | ciphertext+tag}: it is tried with every key, current first. A fresh random
 * nonce per encryption (never reused under one key for any realistic number of tasks). The task id
 * is the associated data, so a payload copied onto another task's row fails to decrypt instead of
 * silently running the wrong connector config. Thread-safe: a new {@link Cipher} per call, from the
 * provider found once at construction (searching the provider list on every call was a third of the
 * encryption's cost at the api's task rate).
 */
public final class PayloadCipher {
    private static final byte VERSION_WITHOUT_KEY_ID = 1;
    private static final byte VERSION = 2;
    private static final int KEY_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private record Key(SecretKeySpec spec, byte[] id) {
    }

    /** The key to write with first, then the old ones. */
    private final List<Key> keys;
    private final SecureRandom random = new SecureRandom();
    private final Provider provider;

    /** @param key the 32 bytes of {@code Settings.payloadKey()} */
    public PayloadCipher(byte[] key) {
        this(key, List.of());
    }

    /**
     * @param key     the key to encrypt with (and decrypt)
     * @param oldKeys keys only to decrypt with ({@code SYNCCTL_PAYLOAD_KEYS_OLD}), 32 bytes each
     */
    public PayloadCipher(byte[] key, List<byte[]> oldKeys) {
        List<Key> all = new ArrayList<>();
        for (byte[] k : prepend(key, oldKeys)) {
            if (k == null || k.length != 32) {
                throw new IllegalArgumentException("payload key must be 32 bytes");
            }
            all.add(new Key(new SecretKeySpec(k.clone(), "AES"), keyId(k)));
        }
        this.keys = List.copyOf(all);
        try {
            this.provider = Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The id stored with payloads written under {@code key}, in hex (for the operator's notes and tests). */
    public static String keyIdOf(byte[] key) {
        return HexFormat.of().formatHex(keyId(key));
    }

    public byte[] encrypt(UUID taskId, TaskPayload payload) {
        Key key = keys.getFirst();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(taskId));
            byte[] sealed = cipher.doFinal(payload.toBytes());
            return ByteBuffer.allocate(1 + KEY_ID_BYTES + NONCE_BYTES + sealed.length)
                    .put(VERSION).put(key.id()).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @throws PayloadDecryptionException when no configured key opens it (written under a key that is
     *                                    neither {@code SYNCCTL_PAYLOAD_KEY} nor an old one), the bytes
     *                                    were altered or belong to another task; its message names the
     *                                    task and at most the key id, never any content
     */
    public TaskPayload decrypt(UUID taskId, byte[] stored) {
        int minimum = NONCE_BYTES + TAG_BITS / 8;
        if (stored != null && stored.length >= 1 + KEY_ID_BYTES + minimum && stored[0] == VERSION) {
            byte[] id = java.util.Arrays.copyOfRange(stored, 1, 1 + KEY_ID_BYTES);
            Key key = keys.stream().filter(k -> MessageDigest.isEqual(k.id(), id)).findFirst()
                    .orElseThrow(() -> new PayloadDecryptionException(taskId, "it was encrypted with key id "
                            + HexFormat.of().formatHex(id) + ", which is neither SYNCCTL_PAYLOAD_KEY nor one of SYNCCTL_PAYLOAD_KEYS_OLD"));
            return open(taskId, key, stored, 1 + KEY_ID_BYTES);
        }
        if (stored == null || stored.length < 1 + minimum || stored[0] != VERSION_WITHOUT_KEY_ID) {
            throw new PayloadDecryptionException(taskId, "it is not an encrypted payload of a known format");
        }
        PayloadDecryptionException last = null;
        for (Key key : keys) {
            try {
                return open(taskId, key, stored, 1);
            } catch (PayloadDecryptionException e) {
                last = e;
            }
        }
        throw last;
    }

    private TaskPayload open(UUID taskId, Key key, byte[] stored, int nonceAt) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION, provider);
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, stored, nonceAt, NONCE_BYTES));
            cipher.updateAAD(associatedData(taskId));
            plain = cipher.doFinal(stored, nonceAt + NONCE_BYTES, stored.length - nonceAt - NONCE_BYTES);
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

    private static byte[] keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("syncctl payload key id\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Arrays.copyOf(sha.digest(key), KEY_ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static List<byte[]> prepend(byte[] first, List<byte[]> rest) {
        List<byte[]> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static byte[] associatedData(UUID taskId) {
        return ByteBuffer.allocate(16).putLong(taskId.getMostSignificantBits()).putLong(taskId.getLeastSignificantBits()).array();
    }
}
