package io.syncctl.sidecar.destination.s3;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.syncctl.sidecar.destination.s3.FileFormat.CSV;
import static io.syncctl.sidecar.destination.s3.FileFormat.NDJSON;
import static io.syncctl.sidecar.destination.s3.FileFormat.NDJSON_FLAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object keys as Bulker's file storage names them. */
class ObjectNamesTest {
    static final Instant T = Instant.parse("2026-03-04T05:06:07.890Z");

    @Test
    void theFolderGetsItsMacrosAndASlash() {
        assertEquals("", ObjectNames.folder("", T));
        assertEquals("", ObjectNames.folder(null, T));
        assertEquals("raw/", ObjectNames.folder("raw", T));
        assertEquals("raw/", ObjectNames.folder("raw/", T));
        assertEquals("a/2026-03-04/1772600767/", ObjectNames.folder("a/[DATE]/[TIMESTAMP]", T));
        assertEquals("raw/app/", ObjectNames.prefix("raw", "app", T));
        assertEquals("app/", ObjectNames.prefix("", "app", T));
        assertEquals("", ObjectNames.prefix("", null, T));
    }

    @Test
    void aReplacingStreamIsItsTableName() {
        assertEquals("raw/users.ndjson", ObjectNames.replaceKey("raw/", "users", NDJSON, false));
        assertEquals("raw/users.ndjson.gz", ObjectNames.replaceKey("raw/", "users", NDJSON_FLAT, true));
        assertEquals("users.csv.gz", ObjectNames.replaceKey("", "users", CSV, true));
        assertEquals("users.csv.gz", ObjectNames.replaceKey("", "users.csv", CSV, true), "an extension already there is kept");
        assertEquals("users.csv.gz", ObjectNames.replaceKey("", "users.csv.gz", CSV, true));
    }

    @Test
    void anAppendingStreamsChunksAreNamedByItsStartAndNumber() {
        assertEquals("raw/app/events_2026_03_04T05_06_07_1.ndjson", ObjectNames.chunkKey("raw/app/", "events", T, 1, NDJSON, false));
        assertEquals("events_2026_03_04T05_06_07_12.csv.gz", ObjectNames.chunkKey("", "events", T, 12, CSV, true));
    }

    @Test
    void chunksOfATableAreTold() {
        assertTrue(ObjectNames.isChunkOf("raw/events_2026_03_04T05_06_07_1.ndjson", "raw/", "events", NDJSON, false));
        assertTrue(ObjectNames.isChunkOf("raw/events_2026_03_04T05_06_07.ndjson", "raw/", "events", NDJSON, false), "Bulker's own batch name");
        assertFalse(ObjectNames.isChunkOf("raw/events_2026_03_04T05_06_07_1.ndjson.gz", "raw/", "events", NDJSON, false));
        assertFalse(ObjectNames.isChunkOf("raw/events_2026_03_04T05_06_07_1.csv", "raw/", "events", NDJSON, false));
        assertFalse(ObjectNames.isChunkOf("raw/events_archive.ndjson", "raw/", "events", NDJSON, false));
        assertFalse(ObjectNames.isChunkOf("raw/events.ndjson", "raw/", "events", NDJSON, false));
        assertFalse(ObjectNames.isChunkOf("raw/x/events_2026_03_04T05_06_07_1.ndjson", "raw/", "events", NDJSON, false));
        assertFalse(ObjectNames.isChunkOf("raw/events_2026_03_04T05_06_07_1.ndjson", "raw/", "event", NDJSON, false));
    }

    @Test
    void contentTypesAreBulkers() {
        assertEquals("application/gzip", ObjectNames.contentType(CSV, true));
        assertEquals("text/csv", ObjectNames.contentType(CSV, false));
        assertEquals("application/x-ndjson", ObjectNames.contentType(NDJSON_FLAT, false));
    }

    @Test
    void partsGrowSoTenThousandHoldOver300GB() {
        assertEquals(8 << 20, ObjectUpload.partSize(1));
        assertEquals(8 << 20, ObjectUpload.partSize(2500));
        assertEquals(16 << 20, ObjectUpload.partSize(2501));
        assertEquals(64 << 20, ObjectUpload.partSize(10_000));
        long total = 0;
        for (int n = 1; n <= 10_000; n++) {
            total += ObjectUpload.partSize(n);
        }
        assertEquals(314_572_800_000L, total);
    }
}
