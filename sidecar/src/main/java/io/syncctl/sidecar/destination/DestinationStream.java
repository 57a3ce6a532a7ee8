package io.syncctl.sidecar.destination;

import java.util.List;

/**
 * What a destination needs to know about one stream of a read.
 *
 * @param tableName  the catalog's {@code table_name}, else TABLE_NAME_PREFIX + stream name
 * @param fields     the fields the catalog's json_schema declares, in schema order
 * @param primaryKey primary key field names (empty when none, or when deduplication is off)
 * @param replace    whether the first chunk replaces the table (full refresh, or incremental without state)
 */
public record DestinationStream(String tableName, List<SchemaField> fields,
                                List<String> primaryKey, boolean replace) {
}
