package io.syncctl.sidecar.destination.s3;

import io.syncctl.shared.protocol.AirbyteMessage;

import java.io.IOException;

/** The records of one object, in the configured format; the object appears at {@link #finish()}. */
interface ObjectSink {

    void write(AirbyteMessage.Record record) throws IOException;

    /** Ends the object's bytes and makes it visible (an object without records is still written, empty). */
    void finish() throws IOException;

    /** Drops the object; the key keeps what it had. Never throws. */
    void abort();

    static ObjectSink of(ObjectUpload upload, FileFormat format, boolean gzip) throws IOException {
        UploadStream out = new UploadStream(upload, gzip);
        return format == FileFormat.CSV ? new CsvObject(out) : new JsonLinesObject(out, format.flattens());
    }
}
