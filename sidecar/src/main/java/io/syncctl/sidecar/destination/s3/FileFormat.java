package io.syncctl.sidecar.destination.s3;

/** How records are written into objects: the console's {@code format} values, as Bulker writes them. */
public enum FileFormat {
    /** Each record's data as one JSON line. */
    NDJSON("ndjson", ".ndjson", "application/x-ndjson"),
    /** The same with nested objects flattened into {@code parent_child} fields. */
    NDJSON_FLAT("ndjson_flat", ".ndjson", "application/x-ndjson"),
    /** Flattened records, a header of every field of the object sorted by name. */
    CSV("csv", ".csv", "text/csv");

    final String value;
    final String extension;
    final String contentType;

    FileFormat(String value, String extension, String contentType) {
        this.value = value;
        this.extension = extension;
        this.contentType = contentType;
    }

    boolean flattens() {
        return this != NDJSON;
    }

    static FileFormat of(String value) {
        for (FileFormat f : values()) {
            if (f.value.equals(value)) {
                return f;
            }
        }
        return null;
    }
}
