package io.syncctl.sidecar.destination.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Object keys as Bulker's file storage names them ({@code bulkerlib/implementations/file.go} and
 * {@code file_storage/*_stream.go}): {@code [folder/][namespace/]name.ext[.gz]}, where the folder's
 * {@code [DATE]} becomes {@code 2006-01-02} and {@code [TIMESTAMP]} Unix seconds, a replacing stream's
 * name is the table name, and an appending stream's objects are {@code table_<stream start>_<chunk>}
 * (Bulker's batch name with the batch number: chunks of one run never share a name). Times are UTC.
 */
public final class ObjectNames {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd'T'HH_mm_ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private ObjectNames() {
    }

    /** The folder with its macros replaced and a trailing slash; "" for none. */
    public static String folder(String folder, Instant now) {
        if (folder == null || folder.isEmpty()) {
            return "";
        }
        String f = folder.replace("[DATE]", DATE.format(now)).replace("[TIMESTAMP]", Long.toString(now.getEpochSecond()));
        return f.endsWith("/") ? f : f + "/";
    }

    /** {@code [folder][namespace/]} : where a stream's objects go. */
    public static String prefix(String folder, String namespace, Instant now) {
        return folder(folder, now) + (namespace == null || namespace.isEmpty() ? "" : namespace + "/");
    }

    public static String extension(FileFormat format, boolean gzip) {
        return format.extension + (gzip ? ".gz" : "");
    }

    /** The one object of a replacing stream: {@code prefix + table + ext}. */
    public static String replaceKey(String prefix, String table, FileFormat format, boolean gzip) {
        return prefix + withExtension(table, format, gzip);
    }

    /** Chunk {@code n} (from 1) of an appending stream that started at {@code streamStart}. */
    public static String chunkKey(String prefix, String table, Instant streamStart, int n, FileFormat format, boolean gzip) {
        return prefix + withExtension(table + "_" + STAMP.format(streamStart) + "_" + n, format, gzip);
    }

    /**
     * Whether {@code key} is an appending run's object of this table under this prefix (with or without
     * Bulker's batch number), the objects a completed full refresh supersedes.
     */
    public static boolean isChunkOf(String key, String prefix, String table, FileFormat format, boolean gzip) {
        if (!key.startsWith(prefix + table + "_")) {
            return false;
        }
        String rest = key.substring(prefix.length() + table.length() + 1);
        return Pattern.matches(STAMP_PATTERN + "(_\\d+)?" + Pattern.quote(extension(format, gzip)), rest);
    }

    private static final String STAMP_PATTERN = "\\d{4}_\\d{2}_\\d{2}T\\d{2}_\\d{2}_\\d{2}";

    /** Bulker's AddFileExtension: a name already ending in the extension keeps it. */
    static String withExtension(String name, FileFormat format, boolean gzip) {
        String gz = gzip ? ".gz" : "";
        if (name.endsWith(format.extension + gz)) {
            return name;
        }
        if (name.endsWith(format.extension)) {
            return name + gz;
        }
        return name + format.extension + gz;
    }

    /** Bulker's Content-Type: gzip objects are {@code application/gzip}, else the format's type. */
    public static String contentType(FileFormat format, boolean gzip) {
        return gzip ? "application/gzip" : format.contentType;
    }
}
