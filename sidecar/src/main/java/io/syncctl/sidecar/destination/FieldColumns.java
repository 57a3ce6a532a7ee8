package io.syncctl.sidecar.destination;

import io.syncctl.sidecar.record.RecordFields;

import java.util.Arrays;

/**
 * Where the fields of the current record go in a table's column list: per field its column (or -1 when
 * it has none yet), and per column the field that fills it (or -1). Records of a stream almost always have
 * the same fields in the same order, and the readers hand out the same String instance for the same name,
 * so the previous record's mapping is reused after an identity check instead of a map lookup per field.
 */
public final class FieldColumns {
    /** The column index of a field, or -1 when it has no column. */
    @FunctionalInterface
    public interface Lookup {
        int indexOf(String field);
    }

    private String[] lastNames = new String[0];
    private int[] columnOf = new int[0];
    private int[] slot = new int[0];

    /** Maps the fields of the current record. */
    public void map(RecordFields fields, Lookup lookup) {
        int n = fields.size();
        boolean same = n == lastNames.length;
        for (int i = 0; same && i < n; i++) {
            same = fields.name(i) == lastNames[i];
        }
        if (same) {
            return;
        }
        lastNames = new String[n];
        columnOf = new int[n];
        for (int i = 0; i < n; i++) {
            lastNames[i] = fields.name(i);
            columnOf[i] = lookup.indexOf(fields.name(i));
        }
    }

    /** Forgets the mapping (columns were added): the next {@link #map} looks every field up again. */
    public void reset() {
        lastNames = new String[0];
    }

    /** The column of field {@code i} of the mapped record, or -1. */
    public int columnOf(int i) {
        return columnOf[i];
    }

    /** Per column {@code 0 .. columns - 1}: the index of the mapped record's field that fills it, or -1. */
    public int[] slots(RecordFields fields, int columns) {
        if (slot.length < columns) {
            slot = new int[columns * 2];
        }
        Arrays.fill(slot, 0, columns, -1);
        for (int i = 0; i < fields.size(); i++) {
            if (columnOf[i] >= 0) {
                slot[columnOf[i]] = i;
            }
        }
        return slot;
    }
}
