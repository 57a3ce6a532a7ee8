package io.syncctl.shared.payload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The secret part of a task: what the connector and the sidecar need and nobody else may see.
 * Each field is the raw JSON text the client sent, never re-serialised, so key order and number
 * formatting reach the connector exactly as sent. Absent parts are null ({@code state} of a read
 * defaults to {@code {}} at intake).
 *
 * <p>Stored only encrypted ({@link PayloadCipher}); {@link #toString()} never shows the contents.
 */
public record TaskPayload(String configJson, String catalogJson, String stateJson, String destinationConfigJson) {

    private static final int FORMAT = 1;

    public static TaskPayload config(String configJson) {
        return new TaskPayload(configJson, null, null, null);
    }

    public static TaskPayload empty() {
        return new TaskPayload(null, null, null, null);
    }

    /** A length-prefixed binary form (not JSON): the raw texts come back byte for byte. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            for (String part : new String[]{configJson, catalogJson, stateJson, destinationConfigJson}) {
                if (part == null) {
                    out.writeInt(-1);
                } else {
                    byte[] b = part.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static TaskPayload fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown task payload format " + format);
            }
            String[] parts = new String[4];
            for (int i = 0; i < parts.length; i++) {
                int len = in.readInt();
                if (len >= 0) {
                    parts[i] = new String(in.readNBytes(len), StandardCharsets.UTF_8);
                    if (parts[i].getBytes(StandardCharsets.UTF_8).length != len) {
                        throw new IllegalArgumentException("truncated task payload");
                    }
                }
            }
            return new TaskPayload(parts[0], parts[1], parts[2], parts[3]);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated task payload");
        }
    }

    @Override
    public String toString() {
        return "TaskPayload[config=" + size(configJson) + ", catalog=" + size(catalogJson) + ", state=" + size(stateJson)
                + ", destinationConfig=" + size(destinationConfigJson) + "]";
    }

    private static String size(String s) {
        return s == null ? "none" : s.length() + " chars";
    }
}
