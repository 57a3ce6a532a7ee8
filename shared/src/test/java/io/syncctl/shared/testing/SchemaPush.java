package io.syncctl.shared.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code prisma db push --accept-data-loss} does to a schema (the Jitsu console runs it on every
 * start when {@code FORCE_UPDATE_DB=true}, its compose file's setting): afterwards the schema holds
 * exactly the tables of the model, each with exactly the model's columns (type, nullability,
 * default), constraints and indexes. Everything else in it is dropped, data and all.
 *
 * <p>The model is whatever a DDL script creates: the script runs in a scratch schema, and the target
 * schema is compared with that one through the system catalogs. Views, sequences, functions and types
 * are left alone (Prisma does not model them here). {@link #push} uses the console's model.
 */
public final class SchemaPush {
    private SchemaPush() {
    }

    /** Makes {@code schema} match the console's result tables ({@link ConsoleSchema}); returns each change made. */
    public static List<String> push(Connection c, String schema) throws SQLException {
        return apply(c, schema, ConsoleSchema.ddl());
    }

    /**
     * Makes {@code schema} match the model of {@code ddl}, in one transaction; returns each change made
     * (empty when the schema already matched).
     */
    public static List<String> apply(Connection c, String schema, String ddl) throws SQLException {
        String model = TestSchemas.random("prisma_model_");
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        List<String> changes = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL statement_timeout = '60s'");
            st.execute("CREATE SCHEMA " + ident(model));
            runIn(st, model, ddl);
            st.execute("SET LOCAL search_path = pg_catalog");
            Set<String> modelTables = Set.copyOf(tables(c, model));
            for (String t : tables(c, schema)) {
                if (!modelTables.contains(t)) {
                    change(st, changes, "DROP TABLE " + q(schema, t) + " CASCADE");
                }
            }
            List<String> existing = tables(c, schema);
            for (String t : modelTables) {
                if (!existing.contains(t)) {
                    change(st, changes, "CREATE TABLE " + q(schema, t) + " (LIKE " + q(model, t) + " INCLUDING ALL)");
                }
                alignColumns(c, st, changes, schema, model, t);
                alignConstraints(c, st, changes, schema, model, t);
                alignIndexes(c, st, changes, schema, model, t);
            }
            st.execute("DROP SCHEMA " + ident(model) + " CASCADE");
            c.commit();
            return changes;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private record Column(String type, boolean notNull, String defaultExpr) {
    }

    private static void alignColumns(Connection c, Statement st, List<String> changes, String schema, String model,
                                     String table) throws SQLException {
        Map<String, Column> want = columns(c, model, table);
        Map<String, Column> have = columns(c, schema, table);
        String t = q(schema, table);
        for (String name : have.keySet()) {
            if (!want.containsKey(name)) {
                change(st, changes, "ALTER TABLE " + t + " DROP COLUMN " + ident(name) + " CASCADE");
            }
        }
        for (Map.Entry<String, Column> e : want.entrySet()) {
            String col = ident(e.getKey());
            Column w = e.getValue();
            Column h = have.get(e.getKey());
            if (h == null) {
                change(st, changes, "ALTER TABLE " + t + " ADD COLUMN " + col + " " + w.type()
                        + (w.defaultExpr() == null ? "" : " DEFAULT " + w.defaultExpr()) + (w.notNull() ? " NOT NULL" : ""));
                continue;
            }
            if (!w.type().equals(h.type())) {
                change(st, changes, "ALTER TABLE " + t + " ALTER COLUMN " + col + " TYPE " + w.type() + " USING " + col + "::" + w.type());
            }
            if (!Objects.equals(w.defaultExpr(), h.defaultExpr())) {
                change(st, changes, "ALTER TABLE " + t + " ALTER COLUMN " + col
                        + (w.defaultExpr() == null ? " DROP DEFAULT" : " SET DEFAULT " + w.defaultExpr()));
            }
            if (w.notNull() != h.notNull()) {
                change(st, changes, "ALTER TABLE " + t + " ALTER COLUMN " + col + (w.notNull() ? " SET" : " DROP") + " NOT NULL");
            }
        }
    }

    private static void alignConstraints(Connection c, Statement st, List<String> changes, String schema, String model,
                                         String table) throws SQLException {
        Map<String, String> want = constraints(c, model, table);
        Map<String, String> have = constraints(c, schema, table);
        for (Map.Entry<String, String> e : have.entrySet()) {
            if (!e.getValue().equals(want.get(e.getKey()))) {
                change(st, changes, "ALTER TABLE " + q(schema, table) + " DROP CONSTRAINT " + ident(e.getKey()) + " CASCADE");
            }
        }
        have = constraints(c, schema, table);
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!have.containsKey(e.getKey())) {
                change(st, changes, "ALTER TABLE " + q(schema, table) + " ADD CONSTRAINT " + ident(e.getKey()) + " "
                        + e.getValue().replace("<schema>.", ident(schema) + "."));
            }
        }
    }

    private static void alignIndexes(Connection c, Statement st, List<String> changes, String schema, String model,
                                     String table) throws SQLException {
        Map<String, String> want = indexes(c, model, table);
        Map<String, String> have = indexes(c, schema, table);
        for (Map.Entry<String, String> e : have.entrySet()) {
            String wanted = want.get(e.getKey());
            if (wanted == null || !wanted.equals(e.getValue())) {
                change(st, changes, "DROP INDEX " + q(schema, e.getKey()));
            }
        }
        have = indexes(c, schema, table);
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!have.containsKey(e.getKey())) {
                change(st, changes, e.getValue().replace("<schema>.", ident(schema) + "."));
            }
        }
    }

    private static List<String> tables(Connection c, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static Map<String, Column> columns(Connection c, String schema, String table) throws SQLException {
        Map<String, Column> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Column(rs.getString(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** Constraints by name, with their definitions (NOT NULL is a column property here, as in Postgres 15). */
    private static Map<String, String> constraints(Connection c, String schema, String table) throws SQLException {
        return pairs(c, """
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass ORDER BY conname""", schema, table);
    }

    /** Indexes not backing a constraint, by name, with their definitions. */
    private static Map<String, String> indexes(Connection c, String schema, String table) throws SQLException {
        return pairs(c, """
                SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)
                ORDER BY i.relname""", schema, table);
    }

    private static Map<String, String> pairs(Connection c, String sql, String schema, String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Definitions name their schema (search_path is pg_catalog): compare them without it.
                    out.put(rs.getString(1), rs.getString(2).replace(ident(schema) + ".", "<schema>.")
                            .replace(schema + ".", "<schema>."));
                }
            }
        }
        return out;
    }

    private static void change(Statement st, List<String> changes, String sql) throws SQLException {
        st.execute(sql);
        changes.add(sql);
    }

    private static void runIn(Statement st, String schema, String ddl) throws SQLException {
        st.execute("SET search_path = " + ident(schema));
        st.execute(ddl);
        st.execute("RESET search_path");
    }

    private static String q(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
