package io.syncctl.sidecar;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sidecar's fast path for RECORD lines against its general path (-Dsyncctl.sidecar.scanRecords=false):
 * the same connector output must give the same destination table, column by column and row by row.
 */
class RecordFastPathProcessTest extends WithTestDatabase {
    private static final String SCHEMA = "{\"seq\":{\"type\":\"integer\"},\"name\":{\"type\":[\"null\",\"string\"]},"
            + "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},\"amount\":{\"type\":\"number\"},"
            + "\"doc\":{\"type\":\"object\"},\"tags\":{\"type\":\"array\"}}";

    private static List<String> lines() {
        List<String> l = new ArrayList<>();
        l.add(Msg.streamStatus("items", "STARTED"));
        String[] data = {
                "{\"seq\":1,\"name\":\"plain\",\"at\":\"2024-01-01T00:00:00Z\",\"amount\":1.5,\"doc\":{\"a\":1},\"tags\":[\"x\"]}",
                "{\"seq\":2,\"name\":\"tab\\tnl\\ncr\\rbs\\\\q\\\"sl\\/ \\b\\f\",\"at\":\"\",\"amount\":-0.0,\"doc\":{\"k\":\"v\\n\\\\\"},\"tags\":[]}",
                "{\"seq\":3,\"name\":\"\\u00e9\\u20ac\\ud83d\\ude00 é€😀 \\ud83d lone \\ude00 nul\\u0000end\",\"doc\":null,\"tags\":null}",
                "{\"seq\":4,\"name\":null,\"at\":null,\"amount\":null}",
                "{\"seq\":5}",
                "{\"tags\":[1,{\"x\":[true,false,null]}],\"seq\":6,\"extra_text\":\"new \\\\ field\",\"extra_num\":2.5e3,"
                        + "\"extra_int\":7,\"extra_bool\":true,\"extra_obj\":{\"deep\":[[[\"é\"]]]},\"extra_null\":null}",
                "{\"seq\":7,\"name\":\"" + "big\\t\\u00e9".repeat(200_000) + "\",\"doc\":{\"big\":\"" + "y".repeat(1 << 20) + "\"}}",
                "{\"seq\":8,\"name\":\"\",\"amount\":12345678901234567890,\"extra_text\":\"\",\"extra_num\":\"\"}",
                "{\"seq\":9,\"name\":\"after\",\"at\":\"2024-02-29\",\"amount\":1E-7,\"extra_null\":\"now text\"}",
        };
        for (String d : data) {
            l.add(Msg.record("items", d));
        }
        l.add("{\"type\":\"RECORD\",\"record\":{\"stream\":\"items\",\"data\":{\"seq\":10,\"name\":tru}}}"); // not JSON: a log line
        l.add(" { \"record\" : { \"data\" : { \"seq\" : 11 , \"name\" : \"spaced\" } , \"stream\" : \"items\" } , \"type\" : \"RECORD\" } ");
        l.add(Msg.streamState("items", "{\"cursor\":11}"));
        l.add(Msg.streamStatus("items", "COMPLETE"));
        return l;
    }

    private String load(String prefix, boolean fast) throws Exception {
        String task = prefix + "task";
        try (SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", prefix + "sync").env("TASK_ID", task)
                .env("TABLE_NAME_PREFIX", prefix)
                .config("config.json", "{}")
                .config("catalog.json", Msg.catalog(Msg.stream("items", SCHEMA, false)))
                .config("destinationConfig.json", db.postgresDestination())) {
            if (!fast) {
                p.jvmOption("-Dsyncctl.sidecar.scanRecords=false");
            }
            p.start();
            p.out(lines().toArray(String[]::new));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        return db.row("SELECT status, description FROM source_task WHERE task_id = '" + task + "'").toString();
    }

    @Test
    void fastAndGeneralPathsLoadTheSameRows() throws Exception {
        String fastTask = load("fast_", true);
        String generalTask = load("general_", false);
        assertEquals(generalTask, fastTask);
        Map<String, String> types = db.columnTypes("fast_items");
        assertEquals(db.columnTypes("general_items"), types);
        assertEquals(List.of("seq", "name", "at", "amount", "doc", "tags", "extra_text", "extra_num",
                "extra_int", "extra_bool", "extra_obj", "extra_null"), List.copyOf(types.keySet()));
        String rows = "SELECT to_jsonb(t) - '_syncctl_synced_at' AS row FROM " + db.destSchema + ".%s t ORDER BY seq";
        List<String> fast = db.column(rows.formatted("fast_items"));
        List<String> general = db.column(rows.formatted("general_items"));
        assertEquals(10, fast.size());
        for (int i = 0; i < fast.size(); i++) {
            assertEquals(general.get(i), fast.get(i), "row " + i);
        }
        assertEquals("{\"at\": null, \"doc\": null, \"seq\": 3, \"name\": \"é€😀 é€😀 ? lone ? nulend\", \"tags\": null, "
                        + "\"amount\": null, \"extra_int\": null, \"extra_num\": null, \"extra_obj\": null, \"extra_bool\": null, "
                        + "\"extra_null\": null, \"extra_text\": null}", fast.get(2));
    }
}
