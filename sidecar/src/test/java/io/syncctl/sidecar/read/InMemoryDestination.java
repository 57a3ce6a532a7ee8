package io.syncctl.sidecar.read;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A destination in a map: what readers of each table would see, with the Postgres writer's replace/append semantics. */
final class InMemoryDestination implements Destination {
    /** Visible tables: name → records (data JSON). */
    final Map<String, List<String>> tables = new LinkedHashMap<>();
    /** Each open: table and mode. */
    final List<String> opened = new ArrayList<>();
    /** Table whose next commit fails. */
    String failCommitOf;
    boolean closed;

    @Override
    public void check() {
        // a map is always reachable
    }

    @Override
    public StreamWriter open(DestinationStream stream) {
        String table = (stream.namespace() == null ? "" : stream.namespace() + ".") + stream.tableName();
        opened.add(table + (stream.replace() ? " replace" : " append"));
        return new StreamWriter() {
            final List<String> pending = new ArrayList<>();
            final List<String> staged = new ArrayList<>();
            boolean released;

            @Override
            public void write(AirbyteMessage.Record record) {
                check();
                pending.add(record.data().text());
            }

            @Override
            public void checkpoint() {
                check();
                fail();
                if (stream.replace()) {
                    staged.addAll(pending);
                } else {
                    tables.computeIfAbsent(table, t -> new ArrayList<>()).addAll(pending);
                }
                pending.clear();
            }

            @Override
            public void complete() {
                checkpoint();
                if (stream.replace()) {
                    tables.put(table, new ArrayList<>(staged));
                }
                released = true;
            }

            @Override
            public void abort() {
                pending.clear();
                staged.clear();
                released = true;
            }

            private void fail() {
                if (table.equals(failCommitOf)) {
                    failCommitOf = null;
                    throw new IllegalStateException("disk full on " + table);
                }
            }

            private void check() {
                if (released) {
                    throw new AssertionError("writer of " + table + " used after release");
                }
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
