package io.syncctl.sidecar.destination.s3;

import io.syncctl.shared.protocol.AirbyteMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** The records of one object, in the configured format; the object appears at {@link #finish()}. */
interface ObjectSink {

    void write(AirbyteMessage.Record record) throws IOException;

    /** Ends the object's bytes and makes it visible (an object without records is still written, empty). */
    void finish() throws IOException;

    /** Drops the object; the key keeps what it had. Never throws. */
    void abort();

    static ObjectSink of(ObjectUpload upload, FileFormat format, boolean gzip) throws IOException {
        return format == FileFormat.CSV ? new CsvObject(upload, gzip) : new JsonLinesObject(upload, gzip, format.flattens());
    }

    /** Speed over the last percent of size: the sidecar shares two cores with the connector. */
    int GZIP_LEVEL = Deflater.BEST_SPEED;

    /** The bytes the upload receives: gzip-compressed or as they are. */
    static OutputStream encoding(ObjectUpload upload, boolean gzip) throws IOException {
        if (!gzip) {
            return upload;
        }
        return new GZIPOutputStream(upload, 1 << 16) {
            {
                def.setLevel(GZIP_LEVEL);
            }
        };
    }

    /** Ends the encoding (the gzip trailer) without closing the upload. */
    static void end(OutputStream out) throws IOException {
        if (out instanceof GZIPOutputStream gz) {
            gz.finish();
        }
        out.flush();
    }
}
