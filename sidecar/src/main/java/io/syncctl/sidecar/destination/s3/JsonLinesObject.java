package io.syncctl.sidecar.destination.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.RawJson;

import java.io.IOException;

/**
 * {@code ndjson}: each record's data as the connector wrote it, one line each, streamed straight into the
 * upload (no parsing). {@code ndjson_flat}: the data flattened ({@link FlatRecord}) and written compactly.
 */
final class JsonLinesObject implements ObjectSink {
    private final UploadStream out;
    private final JsonGenerator json;

    JsonLinesObject(UploadStream out, boolean flatten) throws IOException {
        this.out = out;
        this.json = flatten ? FlatRecord.JSON.createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM) : null;
        if (json != null) {
            json.setRootValueSeparator(null);
        }
    }

    @Override
    public void write(AirbyteMessage.Record record) throws IOException {
        RawJson data = record.data();
        if (json != null) {
            FlatRecord.writeJson(FlatRecord.of(data.bytes(), data.offset(), data.length()), json);
        } else {
            out.write(data.bytes(), data.offset(), data.length());
            out.write('\n');
        }
    }

    @Override
    public void finish() throws IOException {
        if (json != null) {
            json.flush();
        }
        out.finish();
    }

    @Override
    public void abort() {
        out.abort();
    }
}
