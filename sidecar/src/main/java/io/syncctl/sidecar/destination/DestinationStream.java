package io.syncctl.sidecar.destination;

import java.util.List;

/**
 * What a destination needs to know about one stream of a read.
 *
 * @param namespace  the destination namespace (Postgres schema), null for the destination's default
 * @param tableName  the logical table name (catalog {@code table_name}, else prefix + stream name); the
 *                   destination adapts it to its identifier rules
 * @param fields     the fields the catalog's json_schema declares, in schema order
 * @param primaryKey primary key field names (empty when none, or when deduplication is off)
 * @param replace    whether the stream replaces the table: its data is swapped in once, at {@link
 *                   StreamWriter#complete()}, so a stream that fails leaves the previous table whole
 */
public record DestinationStream(String namespace, String tableName, List<SchemaField> fields,
                                List<String> primaryKey, boolean replace) {
}
