package io.syncctl.e2e.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.postgresql.util.PGobject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Jitsu console (jitsucom/jitsu, webapps/console) as our client, doing exactly what it does: its
 * keys and ids, its requests to {@code SYNCCTL_URL} with {@code Bearer SYNCCTL_AUTH_KEY}, its SQL on
 * schema {@code newjitsu} (copied verbatim; {@code $n} parameters as node-postgres takes them), and
 * the decisions its route handlers make from our answers and rows. Each public method names the file
 * and function it mirrors; where the console uses Prisma, the SQL is what that Prisma call runs.
 */
public final class Console {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The console polls a connection check every 2 s (services.tsx). */
    private static final Duration CHECK_POLL = Duration.ofSeconds(2);

    private final URI syncUrl;
    private final String syncAuthKey;
    private final String jdbcUrl;
    private final String workspaceId = cuid();

    /**
     * @param syncUrl     {@code SYNCCTL_URL}
     * @param syncAuthKey {@code SYNCCTL_AUTH_KEY} (empty: no Authorization header, as the console does)
     * @param jdbcUrl     the console's database (its SQL names schema newjitsu itself)
     */
    public Console(URI syncUrl, String syncAuthKey, String jdbcUrl) {
        this.syncUrl = syncUrl;
        this.syncAuthKey = syncAuthKey;
        this.jdbcUrl = jdbcUrl;
    }

    // ---------------------------------------------------------------- the console's objects

    public String workspaceId() {
        return workspaceId;
    }

    /** A source ("service") configuration object: its id is a Prisma cuid, its config the connector's credentials. */
    public record Service(String id, String pkg, String version, Map<String, Object> credentials) {
    }

    /** One stream's settings in {@code sync.data.streams} (SyncEditorPage.tsx: sync_mode, cursor_field, table_name). */
    public record StreamSettings(String syncMode, List<String> cursorField, String tableName) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sync_mode", syncMode);
            if (cursorField != null) {
                m.put("cursor_field", cursorField);
            }
            if (tableName != null) {
                m.put("table_name", tableName);
            }
            return m;
        }
    }

    /**
     * A sync (ConfigurationObjectLink of type sync): its source, its destination's config object and
     * {@code data} (streams, and namespace / toSameCase / tableNamePrefix only when the user set them).
     */
    public record Sync(String id, Service from, Map<String, Object> destinationConfig, Map<String, StreamSettings> streams,
                       String namespace, boolean toSameCase, String tableNamePrefix) {
    }

    /** The signed-in user: the console puts it into {@code startedBy}. */
    public record User(String internalId, String email, String name) {
    }

    public Service newService(String pkg, String version, Map<String, Object> credentials) {
        return new Service(cuid(), pkg, version, credentials);
    }

    /** A Postgres destination's config object as the console stores it (destinations.tsx field names). */
    public Map<String, Object> postgresDestination(String host, int port, String database, String username, String password,
                                                   String defaultSchema) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", cuid());
        d.put("type", "destination");
        d.put("workspaceId", workspaceId);
        d.put("name", "Warehouse");
        d.put("destinationType", "postgres");
        d.put("host", host);
        d.put("port", port);
        d.put("sslMode", "disable");
        d.put("database", database);
        d.put("username", username);
        d.put("password", password);
        d.put("defaultSchema", defaultSchema);
        d.put("mode", "batch");
        d.put("frequency", 5);
        d.put("deduplicate", true);
        return d;
    }

    /** What a console route handler answers its browser: {@code ok}, {@code pending}, {@code error}, a value. */
    public record Reply(boolean ok, boolean pending, String error, JsonNode value, Rpc syncctl) {
        static Reply pending(Rpc r) {
            return new Reply(false, true, null, null, r);
        }

        static Reply failed(String error, Rpc r) {
            return new Reply(false, false, error, null, r);
        }

        static Reply ok(JsonNode value, Rpc r) {
            return new Reply(true, false, null, value, r);
        }
    }

    /** One call to syncctl as juava's {@code rpc} makes it: status, Content-Type and body. */
    public record Rpc(String method, String url, int status, String contentType, String body) {
        /** What {@code rpc} returns on 2xx: parsed JSON only for an application/json answer, else text. */
        public JsonNode json() {
            if (!contentType.startsWith("application/json")) {
                return JSON.getNodeFactory().textNode(body);
            }
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("Error parsing JSON from " + method + " " + url + ": " + body, e);
            }
        }

        public boolean ok2xx() {
            return status / 100 == 2;
        }

        /** {@code res.ok} as the console tests it after a 2xx (a text body has no {@code ok}: a failure). */
        boolean resOk() {
            return json().path("ok").asBoolean(false);
        }

        /** The message {@code rpc} throws for a non-2xx answer (message, error, error.error, or the status). */
        public String errorMessage() {
            JsonNode j;
            try {
                j = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return status + "";
            }
            if (j == null) {
                return status + "";
            }
            for (JsonNode n : List.of(j.path("message"), j.path("error"), j.path("error").path("error"))) {
                if (n.isTextual()) {
                    return n.asText();
                }
            }
            return status + "";
        }
    }

    // ---------------------------------------------------------------- spec (pages/api/[workspaceId]/sources/spec.ts)

    /** One GET of the console's spec route (no {@code force}). */
    public Reply spec(String pkg, String version) {
        List<Map<String, Object>> res = query("""
                select specs, error
                                        from newjitsu.source_spec
                                        where package = $1
                                          and version = $2""", pkg, version);
        String error = null;
        if (res.size() == 1) {
            Object specs = res.get(0).get("specs");
            if (specs != null) {
                return Reply.ok((JsonNode) specs, null);
            }
            error = res.get(0).get("error") == null ? "unknown error" : (String) res.get(0).get("error");
            if (error.equals("pending")) {
                return Reply.pending(null);
            }
        }
        if (res.isEmpty()) {
            Rpc r = rpc("GET", "/spec", params("package", pkg, "version", version), null);
            if (!r.ok2xx()) {
                return Reply.failed(syncError("Error loading specs", r.errorMessage()), r);
            }
            if (!r.resOk()) {
                return Reply.failed(r.json().path("error").asText("unknown error"), r);
            }
            update("""
                    insert into newjitsu.source_spec as s (package, version, specs, timestamp, error)
                                         values ($1, $2, null, $3, $4)
                                         ON CONFLICT ON CONSTRAINT source_spec_pkey DO UPDATE SET specs = null,
                                                                                                  timestamp = $3,
                                                                                                  error = $4""",
                    pkg, version, OffsetDateTime.now(), "pending");
            return Reply.pending(r);
        }
        return Reply.failed(error, null);
    }

    /** The browser asking the spec route until it is no longer pending. */
    public Reply awaitSpec(String pkg, String version, Duration timeout) {
        List<Rpc> calls = new ArrayList<>();
        Reply last = Await.value("the console's spec of " + pkg + ":" + version, timeout, () -> {
            Reply r = spec(pkg, version);
            if (r.syncctl() != null) {
                calls.add(r.syncctl());
            }
            return r.pending() ? java.util.Optional.empty() : java.util.Optional.of(r);
        });
        return new Reply(last.ok(), false, last.error(), last.value(), calls.isEmpty() ? null : calls.get(0));
    }

    // ---------------------------------------------------------------- check (check.ts, services.tsx testConnection)

    /** services.tsx: {@code `${workspace.id}_${obj.id}_${h}_${queryId}`}, h = md5 of the credentials' stable hash. */
    public String checkKey(Service s) {
        return workspaceId + "_" + s.id() + "_" + credentialsHash(s) + "_" + randomId();
    }

    /** check.ts POST: asks syncctl to check; its 200 means pending. */
    public Reply startCheck(String storageKey, Service s) {
        if (!storageKey.startsWith(workspaceId)) {
            return Reply.failed("storageKey doesn't belong to the current workspace", null);
        }
        Rpc r = rpc("POST", "/check", params("package", s.pkg(), "version", s.version(), "storageKey", storageKey),
                Map.of("config", s.credentials()));
        if (!r.ok2xx()) {
            return Reply.failed(syncError("Error running connection check", r.errorMessage()), r);
        }
        return r.resOk() ? Reply.pending(r) : Reply.failed(r.json().path("error").asText("unknown error"), r);
    }

    /** check.ts GET: no row is pending, SUCCESS is ok, any other status is the failure with its description. */
    public Reply checkStatus(String storageKey) {
        List<Map<String, Object>> res = query("select status, description from newjitsu.source_check where key = $1", storageKey);
        if (res.size() == 1) {
            if ("SUCCESS".equals(res.get(0).get("status"))) {
                return Reply.ok(null, null);
            }
            return Reply.failed((String) res.get(0).get("description"), null);
        }
        return Reply.pending(null);
    }

    /** A finished connection test: the key used, syncctl's answer to the POST, and what the user sees. */
    public record ConnectionTest(String storageKey, Rpc accepted, Reply result) {
    }

    /** services.tsx testConnection: a new key, POST, then GET every 2 s until not pending. */
    public ConnectionTest testConnection(Service s, Duration timeout) {
        String key = checkKey(s);
        Reply started = startCheck(key, s);
        if (!started.pending()) {
            return new ConnectionTest(key, started.syncctl(), started);
        }
        Reply result = Await.value("the console's connection test " + key, timeout, () -> {
            Reply r = checkStatus(key);
            if (r.pending()) {
                Thread.sleep(CHECK_POLL.toMillis());
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(r);
        });
        return new ConnectionTest(key, started.syncctl(), result);
    }

    // ---------------------------------------------------------------- discover (discover.ts)

    /** discover.ts: {@code `${workspaceId}_${existingService.id}_${h}`}. */
    public String discoverKey(Service s) {
        return workspaceId + "_" + s.id() + "_" + credentialsHash(s);
    }

    /** One GET of the console's discover route ({@code refresh} asks for a new discover when one is stored). */
    public Reply discover(Service s, boolean refresh) {
        String storageKey = discoverKey(s);
        Reply stored = catalogFromDb(storageKey, s.pkg(), s.version());
        if (stored != null && (stored.pending() || !refresh)) {
            return stored;
        }
        Rpc r = rpc("POST", "/discover", params("package", s.pkg(), "version", s.version(), "storageKey", storageKey),
                Map.of("config", s.credentials()));
        if (!r.ok2xx()) {
            return Reply.failed(syncError("Error running discover", r.errorMessage()), r);
        }
        if (!r.resOk()) {
            return Reply.failed(r.json().path("error").asText("unknown error"), r);
        }
        update("""
                INSERT INTO newjitsu.source_catalog (package, version, key, timestamp, status, description)
                                     VALUES ($1, $2, $3, $4, $5, $6)
                                     ON CONFLICT ON CONSTRAINT source_catalog_pkey DO UPDATE SET timestamp = $4,
                                                                                                 status=$5,
                                                                                                 description=$6""",
                s.pkg(), s.version(), storageKey, OffsetDateTime.now(), "RUNNING", "RUNNING");
        return Reply.pending(r);
    }

    private Reply catalogFromDb(String storageKey, String pkg, String version) {
        List<Map<String, Object>> res = query("""
                select catalog, status, description from newjitsu.source_catalog where key = $1
                               and package = $2
                               and version = $3""", storageKey, pkg, version);
        if (res.size() != 1) {
            return null;
        }
        Map<String, Object> row = res.get(0);
        return switch (String.valueOf(row.get("status"))) {
            case "SUCCESS" -> Reply.ok((JsonNode) row.get("catalog"), null);
            case "RUNNING" -> Reply.pending(null);
            default -> Reply.failed((String) row.get("description"), null);
        };
    }

    /** The sync editor's "Refresh Catalog": discover with refresh, then ask again until not pending. */
    public Reply refreshCatalog(Service s, Duration timeout) {
        Reply first = discover(s, true);
        if (!first.pending()) {
            return first;
        }
        Reply last = Await.value("the console's catalog of " + discoverKey(s), timeout, () -> {
            Reply r = discover(s, false);
            if (r.pending()) {
                Thread.sleep(CHECK_POLL.toMillis());
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(r);
        });
        return new Reply(last.ok(), false, last.error(), last.value(), first.syncctl());
    }

    // ---------------------------------------------------------------- read (lib/server/sync.ts scheduleSync)

    /** scheduleSync's result: ok with the taskId; or the error, with the running task when it refused itself. */
    public record Scheduled(boolean ok, String taskId, String error, String runningTaskId, Rpc syncctl,
                            JsonNode requestBody) {
    }

    /** lib/server/sync.ts scheduleSync for a sync whose destination uses Bulker (postgres): the /read path. */
    public Scheduled scheduleSync(Sync sync, boolean fullSync, User user) {
        String taskId = UUID.randomUUID().toString();
        ObjectNode startedBy = JSON.createObjectNode().put("trigger", "manual");
        if (user != null) {
            startedBy.put("internalId", user.internalId()).put("email", user.email()).put("name", user.name());
        }
        // db.prisma().source_task.findFirst({ where: { sync_id, status: "RUNNING" } })
        List<Map<String, Object>> running = query("""
                SELECT "newjitsu"."source_task"."sync_id", "newjitsu"."source_task"."task_id", "newjitsu"."source_task"."package",
                "newjitsu"."source_task"."version", "newjitsu"."source_task"."started_at", "newjitsu"."source_task"."updated_at",
                "newjitsu"."source_task"."started_by", "newjitsu"."source_task"."status", "newjitsu"."source_task"."description"
                FROM "newjitsu"."source_task" WHERE ("newjitsu"."source_task"."sync_id" = $1 AND "newjitsu"."source_task"."status" = $2)
                LIMIT $3 OFFSET $4""", sync.id(), "RUNNING", 1, 0);
        if (!running.isEmpty()) {
            return new Scheduled(false, null, "Sync is already running", (String) running.get(0).get("task_id"), null, null);
        }
        JsonNode stateObj = null;
        if (fullSync) {
            // db.prisma().source_state.deleteMany({ where: { sync_id } })
            update("DELETE FROM \"newjitsu\".\"source_state\" WHERE \"newjitsu\".\"source_state\".\"sync_id\" = $1", sync.id());
        } else {
            // db.prisma().source_state.findMany({ where: { sync_id } })
            stateObj = stateFromRows(sync, query("""
                    SELECT "newjitsu"."source_state"."sync_id", "newjitsu"."source_state"."stream", "newjitsu"."source_state"."state",
                    "newjitsu"."source_state"."timestamp" FROM "newjitsu"."source_state"
                    WHERE "newjitsu"."source_state"."sync_id" = $1 OFFSET $2""", sync.id(), 0));
        }
        Service service = sync.from();
        String versionHash = discoverKey(service);
        List<Map<String, Object>> catalogRows = query(
                "select catalog from newjitsu.source_catalog where key = $1 and package = $2 and version = $3",
                versionHash, service.pkg(), service.version());
        if (catalogRows.size() != 1 || catalogRows.get(0).get("catalog") == null) {
            return new Scheduled(false, null, "Source catalog not found or outdated. Please run Refresh Catalog in Sync settings",
                    null, null, null);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("config", JSON.valueToTree(service.credentials()));
        body.set("catalog", selectStreamsFromCatalog((JsonNode) catalogRows.get(0).get("catalog"), sync.streams()));
        if (stateObj != null) {
            body.set("state", stateObj);
        }
        body.set("destinationConfig", JSON.valueToTree(sync.destinationConfig()));
        Rpc r = rpc("POST", "/read", params(
                "package", service.pkg(),
                "version", service.version(),
                "taskId", taskId,
                "syncId", sync.id(),
                "fullSync", fullSync ? "true" : "false",
                "startedBy", startedBy.toString(),
                "namespace", sync.namespace() != null ? sync.namespace() : "${LEGACY}",
                "toSameCase", sync.toSameCase() ? "true" : "false",
                "tableNamePrefix", sync.tableNamePrefix() != null ? sync.tableNamePrefix() : ""), body);
        if (!r.ok2xx()) {
            return new Scheduled(false, null, syncError("Error running sync", r.errorMessage()), null, r, body);
        }
        if (!r.resOk()) {
            return new Scheduled(false, taskId, r.json().path("error").asText("unknown error"), null, r, body);
        }
        return new Scheduled(true, taskId, null, null, r, body);
    }

    /** sync.ts: the state sent with a read, rebuilt from the stored source_state rows. */
    static JsonNode stateFromRows(Sync sync, List<Map<String, Object>> stateRows) {
        if (stateRows.isEmpty()) {
            return null;
        }
        if (stateRows.size() == 1 && "_LEGACY_STATE".equals(stateRows.get(0).get("stream"))) {
            return (JsonNode) stateRows.get(0).get("state");
        }
        ArrayNode out = JSON.createArrayNode();
        if (stateRows.size() == 1 && "_GLOBAL_STATE".equals(stateRows.get(0).get("stream"))) {
            out.addObject().put("type", "GLOBAL").set("global", (JsonNode) stateRows.get(0).get("state"));
            return out;
        }
        for (Map<String, Object> r : stateRows) {
            String stream = (String) r.get("stream");
            if (stream.equals("_LEGACY_STATE") || stream.equals("_GLOBAL_STATE")) {
                continue;
            }
            StreamSettings selected = sync.streams().get(stream);
            if (selected != null && "full_refresh".equals(selected.syncMode())) {
                continue;
            }
            String[] descr = stream.split("\\.", -1);
            ObjectNode descriptor = JSON.createObjectNode();
            if (descr.length == 1) {
                descriptor.put("name", descr[0]);
            } else if (descr.length == 2) {
                descriptor.put("name", descr[1]).put("namespace", descr[0]);
            } else {
                throw new IllegalStateException("Invalid stream name " + stream);
            }
            ObjectNode message = out.addObject().put("type", "STREAM");
            ObjectNode inner = message.putObject("stream");
            inner.set("stream_descriptor", descriptor);
            inner.set("stream_state", (JsonNode) r.get("state"));
        }
        return out;
    }

    /** sync.ts selectStreamsFromCatalog: each selected stream with its settings, overwrite, and its table_name. */
    static JsonNode selectStreamsFromCatalog(JsonNode catalog, Map<String, StreamSettings> selected) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode streams = out.putArray("streams");
        for (JsonNode s : catalog.path("streams")) {
            String key = s.hasNonNull("namespace") && !s.path("namespace").asText().isEmpty()
                    ? s.path("namespace").asText() + "." + s.path("name").asText() : s.path("name").asText();
            StreamSettings settings = selected.get(key);
            if (settings == null) {
                continue;
            }
            ObjectNode configured = JSON.valueToTree(settings.json());
            configured.remove("table_name");
            configured.put("destination_sync_mode", "overwrite");
            ObjectNode stream = s.deepCopy();
            if (settings.tableName() != null) {
                stream.put("table_name", settings.tableName());
            }
            configured.set("stream", stream);
            streams.add(configured);
        }
        return out;
    }

    // ---------------------------------------------------------------- cancel (cancel.ts)

    /** cancel.ts: forwards its whole query to syncctl's /cancel; a 2xx with ok is "pending". */
    public Reply cancel(String syncId, String taskId, String pkg) {
        Rpc r = rpc("GET", "/cancel", params("workspaceId", workspaceId, "syncId", syncId, "taskId", taskId, "package", pkg), null);
        if (!r.ok2xx()) {
            return Reply.failed(syncError("Error cancelling sync job", r.errorMessage()), r);
        }
        return r.resOk() ? Reply.pending(r) : Reply.failed(r.json().path("error").asText("unknown error"), r);
    }

    // ---------------------------------------------------------------- task table (tasks.ts, syncs/tasks.tsx)

    /** tasks.ts: the latest task of each sync (the query verbatim). */
    public List<Map<String, Object>> latestTasks(String... syncIds) {
        return query("""
                select distinct sync_id as sync_id,
                       last_value(task_id) over ( partition by sync_id order by case when status = 'SKIPPED' then '2020-01-01' else started_at end RANGE BETWEEN unbounded preceding and unbounded following) as task_id,
                       last_value(status) over ( partition by sync_id order by case when status = 'SKIPPED' then '2020-01-01' else started_at end RANGE BETWEEN unbounded preceding and unbounded following) as status,
                       last_value(description) over ( partition by sync_id order by case when status = 'SKIPPED' then '2020-01-01' else started_at end RANGE BETWEEN unbounded preceding and unbounded following) as description,
                       last_value(started_at) over ( partition by sync_id order by case when status = 'SKIPPED' then '2020-01-01' else started_at end RANGE BETWEEN unbounded preceding and unbounded following) as started_at,
                       last_value(updated_at) over ( partition by sync_id order by case when status = 'SKIPPED' then '2020-01-01' else started_at end RANGE BETWEEN unbounded preceding and unbounded following) as updated_at
                from newjitsu.source_task where sync_id = ANY($1::text[])""", (Object) syncIds);
    }

    /** The sums the task table shows (tasks.tsx processTaskStatus); NaN where JavaScript gets NaN. */
    public record TaskStats(JsonNode stats, int totalStreams, int successStreams, double processedRows, double processedBytes) {
    }

    /** tasks.tsx processTaskStatus: parses {@code description} and sums it per stream as the console does. */
    public static TaskStats processTaskStatus(String description) {
        JsonNode stats;
        try {
            stats = JSON.readTree(description == null || description.isEmpty() ? "{}" : description);
        } catch (JsonProcessingException e) {
            stats = null; // JSON.parse threw: no stats, all sums 0
        }
        int total = 0;
        int success = 0;
        double rows = 0;
        double bytes = 0;
        if (stats != null && stats.isContainerNode()) {
            for (JsonNode stat : stats) {
                total++;
                if (stat.isNumber()) {
                    success++;
                    rows += stat.asDouble();
                } else if (stat.isObject()) {
                    if ("SUCCESS".equals(stat.path("status").asText(null))) {
                        success++;
                    }
                    rows += jsNumber(stat.get("events"));
                    bytes += jsNumber(stat.get("bytes"));
                } else if (stat.isNull()) {
                    throw new AssertionError("the console's task table would crash on a null stream entry: " + description);
                }
            }
        } else if (stats != null && stats.isTextual()) {
            total = stats.asText().length(); // for..in over a string: one "stream" per character
        }
        return new TaskStats(stats, total, success, rows, bytes);
    }

    /** {@code number += x} in JavaScript: undefined (and anything not a number) makes NaN. */
    private static double jsNumber(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** logs.ts: a task's log lines, newest first (without its join to the workspace's syncs). */
    public List<Map<String, Object>> taskLogs(String taskId) {
        return query("select tl.* from newjitsu.task_log tl where task_id = $1 order by timestamp desc", taskId);
    }

    // ---------------------------------------------------------------- plumbing

    /** A request to syncctl exactly as juava's rpc sends it (JSON Content-Type on every method, Bearer key). */
    public Rpc rpc(String method, String path, Map<String, String> query, Object body) {
        return rpc(method, path, query, body, syncAuthKey);
    }

    /** The same request with another key ({@code ""}: no Authorization header). */
    public Rpc rpc(String method, String path, Map<String, String> query, Object body, String authKey) {
        String url = syncUrl + path + (query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + encodeURIComponent(e.getValue())).collect(Collectors.joining("&")));
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            if (!authKey.isEmpty()) {
                b.header("Authorization", "Bearer " + authKey);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Rpc(method, url, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError("Error calling " + method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static Map<String, String> params(String... pairs) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.put(pairs[i], pairs[i + 1]);
        }
        return q;
    }

    /** JavaScript's encodeURIComponent. */
    static String encodeURIComponent(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!")
                .replace("%27", "'").replace("%28", "(").replace("%29", ")").replace("%7E", "~");
    }

    /** sync.ts syncError: the text the console shows when syncctl did not answer 2xx. */
    private static String syncError(String message, String error) {
        return message + ". Error " + randomId().substring(0, 8) + ": Error: " + error + ".";
    }

    private String credentialsHash(Service s) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(SORTED.writeValueAsBytes(s.credentials()));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Prisma {@code cuid()}: 25 characters, lower case, starting with c. */
    public static String cuid() {
        StringBuilder b = new StringBuilder("c");
        while (b.length() < 25) {
            b.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return b.toString();
    }

    /** juava randomId(): 24 characters of [0-9a-zA-Z], the first a letter. */
    public static String randomId() {
        String chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder b = new StringBuilder();
        while (b.length() < 24) {
            int i = RANDOM.nextInt(chars.length());
            if (b.length() > 0 || i > 9) {
                b.append(chars.charAt(i));
            }
        }
        return b.toString();
    }

    private static final Pattern PARAM = Pattern.compile("\\$(\\d+)");

    /** The console's SQL with node-postgres parameters: jsonb comes back parsed, as pg does. */
    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof PGobject o && o.getType().startsWith("json")) {
                        v = o.getValue() == null ? null : JSON.readTree(o.getValue());
                    }
                    row.put(md.getColumnLabel(i), v);
                }
                out.add(row);
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public int update(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** {@code $n} → {@code ?} in order of appearance ({@code $3} may appear twice); String[] binds a text[]. */
    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        Matcher m = PARAM.matcher(sql);
        List<Object> bound = new ArrayList<>();
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            bound.add(args[Integer.parseInt(m.group(1)) - 1]);
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        PreparedStatement ps = c.prepareStatement(jdbc.toString());
        for (int i = 0; i < bound.size(); i++) {
            Object a = bound.get(i);
            ps.setObject(i + 1, a instanceof String[] arr ? c.createArrayOf("text", arr) : a);
        }
        return ps;
    }
}
