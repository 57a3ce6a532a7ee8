package io.syncctl.sidecar.destination.s3;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.RawJson;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code csv}: the header is every field of the object's records, sorted (as Bulker writes it), so it is
 * known only after the last record. Records are flattened into a local spool file (memory stays flat),
 * and {@link #finish()} streams header and rows from it into the upload, as Bulker converts its batch file.
 */
final class CsvObject implements ObjectSink {
    private final UploadStream out;
    private final SortedSet<String> header = new TreeSet<>();
    private Path spool;
    private Writer spooled;
    private long rows;

    CsvObject(UploadStream out) {
        this.out = out;
    }

    @Override
    public void write(AirbyteMessage.Record record) throws IOException {
        if (spooled == null) {
            spool = Files.createTempFile("syncctl-s3-", ".ndjson");
            spooled = new OutputStreamWriter(new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16), StandardCharsets.UTF_8);
        }
        RawJson data = record.data();
        Map<String, FlatRecord.Value> fields = FlatRecord.of(data.bytes(), data.offset(), data.length());
        header.addAll(fields.keySet());
        // the flattened record, as one JSON line
        var w = new java.io.StringWriter();
        try (var g = FlatRecord.JSON.createGenerator(w)) {
            FlatRecord.writeJson(fields, g);
        }
        spooled.write(w.toString());
        rows++;
    }

    @Override
    public void finish() throws IOException {
        try {
            if (rows > 0) {
                spooled.close();
                Writer csv = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                csv.write(CsvText.header(header));
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(spool), StandardCharsets.UTF_8), 1 << 16)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        byte[] b = line.getBytes(StandardCharsets.UTF_8);
                        csv.write(CsvText.row(header, FlatRecord.of(b, 0, b.length)));
                    }
                }
                csv.flush();
            }
            out.finish();
        } finally {
            deleteSpool();
        }
    }

    @Override
    public void abort() {
        deleteSpool();
        out.abort();
    }

    private void deleteSpool() {
        try {
            if (spooled != null) {
                spooled.close();
            }
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        } catch (IOException ignored) {
            // a temporary file left in the pod's /tmp goes with the pod
        }
        spooled = null;
        spool = null;
    }
}
