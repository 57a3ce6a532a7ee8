package io.syncctl.sidecar.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.sidecar.command.Ending;
import io.syncctl.sidecar.log.SecretMasker;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read session against an in-memory destination and result tables: every case in microseconds. */
class ReadSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryDestination dest = new InMemoryDestination();
    private final InMemoryOutput out = new InMemoryOutput();
    private final MessageParser parser = new MessageParser();
    private long clock;
    private ReadSession session;

    private void start(String prior, boolean fullSync, String... streams) throws Exception {
        Map<String, ConfiguredStream> catalog = ConfiguredStream.parse(JSON.readTree(catalog(streams)), "${LEGACY}", "src_");
        session = new ReadSession(out, SecretMasker.of(null, List.of(), List.of()), new ReadSession.Options(fullSync, true),
                catalog, prior == null ? PriorState.none() : PriorState.of(JSON.readTree(prior)), dest, null, () -> clock);
    }

    private void send(String... lines) throws Exception {
        for (String l : lines) {
            session.onMessage(parser.parse(l));
        }
    }

    private int end() {
        clock += 1_500_000_000L;
        return session.finish(new Ending.EndOfOutput(false));
    }

    private JsonNode stats() throws Exception {
        return JSON.readTree(out.description);
    }

    private List<String> table(String name) {
        return dest.tables.get(name);
    }

    @Test
    void success() throws Exception {
        start(null, false, stream("users", false));
        send(status("users", "STARTED"), record("users", "{\"id\":1}"), record("users", "{\"id\":2}"), status("users", "COMPLETE"));
        assertEquals(0, end());
        assertEquals(ReadStatus.SUCCESS, out.status);
        assertNull(out.error);
        assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), table("src_users"));
        assertEquals("{\"users\":{\"status\":\"SUCCESS\",\"events\":2,\"bytes\":16}}", out.description);
        assertEquals("{\"events\":2,\"bytes\":16,\"duration_ms\":1500}", out.metrics);
        assertTrue(dest.closed);
    }

    @Test
    void aReplacedTableIsSwappedInOnceAtCompletionAndItsStateStoredAfter() throws Exception {
        dest.tables.put("src_orders", List.of("old"));
        start(null, false, stream("orders", true));
        send(record("orders", "{\"id\":1}"), streamState("orders", "{\"c\":1}"), record("orders", "{\"id\":2}"),
                streamState("orders", "{\"c\":2}"));
        assertEquals(List.of("old"), table("src_orders"), "checkpoints of a replacing stream are not visible");
        assertTrue(out.states.isEmpty(), "its states wait for the swap");
        send(status("orders", "COMPLETE"));
        assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), table("src_orders"));
        assertEquals(List.of("orders={\"c\":2}"), out.stateWrites);
        assertEquals(List.of("src_orders replace"), dest.opened);
        // more records after COMPLETE append to the new table
        send(record("orders", "{\"id\":3}"), streamState("orders", "{\"c\":3}"));
        assertEquals(List.of("{\"id\":1}", "{\"id\":2}", "{\"id\":3}"), table("src_orders"));
        assertEquals("{\"c\":3}", out.states.get("orders"));
        assertEquals(0, end());
    }

    @Test
    void failureOfAReplacingStreamLeavesThePreviousTableWholeAndStoresNoState() throws Exception {
        dest.tables.put("src_orders", List.of("old"));
        start(null, false, stream("orders", true));
        send(record("orders", "{\"id\":1}"), streamState("orders", "{\"c\":1}"), traceError("orders", "API rate limit exceeded"),
                record("orders", "{\"id\":2}"), streamState("orders", "{\"c\":2}"), status("orders", "COMPLETE"));
        assertEquals(1, end());
        assertEquals(List.of("old"), table("src_orders"));
        assertTrue(out.states.isEmpty());
        assertEquals(ReadStatus.FAILED, out.status);
        assertEquals("API rate limit exceeded", out.error);
        assertEquals("{\"orders\":{\"status\":\"FAILED\",\"events\":2,\"bytes\":16,\"error\":\"API rate limit exceeded\"}}", out.description);
    }

    @Test
    void partialWhenAnAppendingStreamFailsAfterACommitAndAnotherSucceeds() throws Exception {
        String prior = "[" + stateObject("bad", "{\"c\":0}") + "]";
        start(prior, false, stream("good", false), stream("bad", true), stream("never", false));
        send(record("good", "{\"id\":1}"), record("bad", "{\"id\":10}"), streamState("bad", "{\"c\":10}"),
                record("bad", "{\"id\":11}"), traceError("bad", "boom"), status("good", "COMPLETE"));
        assertEquals(0, end());
        assertEquals(ReadStatus.PARTIAL, out.status);
        assertEquals("boom", out.error);
        assertEquals(List.of("{\"id\":10}"), table("src_bad"), "the committed chunk stays, the rest is rolled back");
        assertEquals(List.of("{\"id\":1}"), table("src_good"));
        assertEquals(Map.of("bad", "{\"c\":10}"), out.states);
        JsonNode s = stats();
        assertEquals("SUCCESS", s.path("good").path("status").asText());
        assertEquals("PARTIAL", s.path("bad").path("status").asText());
        assertEquals("FAILED", s.path("never").path("status").asText());
        assertEquals("the connector sent no records, state or status for this stream", s.path("never").path("error").asText());
        assertEquals(List.of("src_good replace", "src_bad append"), dest.opened.subList(0, 2));
    }

    @Test
    void aCrashMidStreamFailsTheAnnouncedStreamAndKeepsThePreviousTable() throws Exception {
        dest.tables.put("src_events", List.of("old"));
        start(null, false, stream("events", true));
        send(status("events", "STARTED"), record("events", "{\"id\":1}"), streamState("events", "{\"c\":1}"), record("events", "{\"id\":2}"));
        assertEquals(1, end());
        assertEquals(ReadStatus.FAILED, out.status);
        assertEquals("the connector exited before completing the stream", out.error);
        assertEquals(List.of("old"), table("src_events"));
        assertTrue(out.states.isEmpty());
    }

    @Test
    void outputEndingMidMessageFailsOpenStreamsWithTheReason() throws Exception {
        start("{\"legacy\":true}", false, stream("a", true));
        send(record("a", "{\"id\":1}"), legacyState("{\"v\":1}"), record("a", "{\"id\":2}"));
        assertEquals(0, session.finish(new Ending.EndOfOutput(true)));
        assertEquals(ReadStatus.PARTIAL, out.status);
        assertEquals(List.of("{\"id\":1}"), table("src_a"));
        assertEquals(Map.of("_LEGACY_STATE", "{\"v\":1}"), out.states);
        assertEquals("connector output ended in the middle of a message", stats().path("a").path("error").asText());
    }

    @Test
    void cancelMarksCutStreamsCancelledAndWritesStatisticsOnTheRowTheApiAlreadyCancelled() throws Exception {
        dest.tables.put("src_slow", List.of("old"));
        start(null, false, stream("done", false), stream("slow", false), stream("later", false));
        send(record("done", "{\"id\":1}"), status("done", "COMPLETE"), record("slow", "{\"id\":2}"));
        out.status = ReadStatus.CANCELLED; // the api's /cancel, before SIGTERM reaches the sidecar
        assertEquals(1, session.finish(new Ending.Cancelled()));
        assertEquals(ReadStatus.CANCELLED, out.status);
        JsonNode s = stats();
        assertEquals("SUCCESS", s.path("done").path("status").asText());
        assertEquals("CANCELLED", s.path("slow").path("status").asText());
        assertEquals(1, s.path("slow").path("events").asInt());
        assertEquals("CANCELLED", s.path("later").path("status").asText());
        assertEquals(List.of("old"), table("src_slow"));
        assertFalse(out.logs.stream().anyMatch(l -> l.contains("already finished")), out.logs.toString());
    }

    @Test
    void outputEndingAfterTheApiCancelledIsACancelNotAnEnd() throws Exception {
        // the pod's SIGTERM reaches the connector too: its pipes may close before the sidecar's own SIGTERM
        dest.tables.put("src_slow", List.of("old"));
        start(null, false, stream("done", false), stream("slow", false));
        send(record("done", "{\"id\":1}"), status("done", "COMPLETE"), record("slow", "{\"id\":2}"));
        out.status = ReadStatus.CANCELLED;
        assertEquals(1, end());
        JsonNode s = stats();
        assertEquals("SUCCESS", s.path("done").path("status").asText());
        assertEquals("CANCELLED", s.path("slow").path("status").asText(), s.toString());
        assertEquals(List.of("old"), table("src_slow"), "a replacement cut by the cancel was swapped in");
        assertEquals(ReadStatus.CANCELLED, out.status);
    }

    @Test
    void aGlobalStateIsStoredAsItsInnerObjectOnceNoReplacementItCoversIsPending() throws Exception {
        start(null, false, stream("a", true), stream("b", true));
        String global = "{\"shared_state\":{\"lsn\":7},\"stream_states\":[{\"stream_descriptor\":{\"name\":\"a\"},\"stream_state\":{\"x\":1}}]}";
        send(record("a", "{\"id\":1}"), record("b", "{\"id\":2}"), globalState(global), status("a", "COMPLETE"));
        assertTrue(out.states.isEmpty(), "b's replacement is still pending");
        send(status("b", "COMPLETE"));
        assertEquals(Map.of("_GLOBAL_STATE", global), out.states);
        assertEquals(0, end());
        assertEquals(ReadStatus.SUCCESS, out.status);
    }

    @Test
    void aGlobalStateIsNotStoredOnceAStreamFailed() throws Exception {
        String prior = "[{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":1}}}]";
        start(prior, false, stream("a", true), stream("b", true));
        send(record("a", "{\"id\":1}"), globalState("{\"shared_state\":{\"lsn\":2}}"), traceError("b", "b broke"),
                record("a", "{\"id\":2}"), globalState("{\"shared_state\":{\"lsn\":3}}"));
        assertEquals(Map.of("_GLOBAL_STATE", "{\"shared_state\":{\"lsn\":2}}"), out.states);
        assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), table("src_a"), "appending: every checkpoint commits");
        end();
        assertEquals(ReadStatus.PARTIAL, out.status);
    }

    @Test
    void legacyStateIsStoredAsItsDataAfterTheCommitOfAppendingStreams() throws Exception {
        start("{\"v\":0}", false, stream("a", true), stream("b", true));
        send(record("a", "{\"id\":1}"), record("b", "{\"id\":2}"), legacyState("{\"v\":1}"));
        assertEquals(List.of("{\"id\":1}"), table("src_a"));
        assertEquals(List.of("{\"id\":2}"), table("src_b"));
        assertEquals(Map.of("_LEGACY_STATE", "{\"v\":1}"), out.states);
        assertEquals(List.of("src_a append", "src_b append"), dest.opened);
    }

    @Test
    void fullSyncReplacesEvenWithIncomingState() throws Exception {
        start("{\"v\":0}", true, stream("a", true));
        send(record("a", "{\"id\":1}"));
        end();
        assertEquals(List.of("src_a replace"), dest.opened);
    }

    @Test
    void anErrorLogFailsAStreamOnlyIfItDoesNotComplete() throws Exception {
        start(null, false, stream("completes", false), stream("dies", false));
        send(record("completes", "{\"id\":1}"));
        session.onConnectorError("transient: retrying");
        send(status("completes", "COMPLETE"), record("dies", "{\"id\":2}"));
        session.onConnectorError("connection reset by peer");
        send(record("dies", "{\"id\":3}"));
        assertEquals(0, end());
        JsonNode s = stats();
        assertEquals("SUCCESS", s.path("completes").path("status").asText());
        assertEquals("FAILED", s.path("dies").path("status").asText());
        assertEquals("connection reset by peer", s.path("dies").path("error").asText());
        assertEquals("connection reset by peer", out.error);
        assertNull(table("src_dies"));
    }

    @Test
    void aFailedCommitFailsTheStream() throws Exception {
        start("{\"v\":0}", false, stream("a", true));
        dest.failCommitOf = "src_a";
        send(record("a", "{\"id\":1}"), legacyState("{\"v\":1}"));
        assertEquals(1, end());
        assertEquals("committing to the destination failed: disk full on src_a", out.error);
        assertTrue(out.states.isEmpty());
    }

    @Test
    void progressIsTheJsonTheConsoleSumsWithPendingAndRunningStreams() throws Exception {
        start(null, false, stream("a", false), stream("b", false));
        send(record("a", "{\"id\":1}"));
        session.heartbeat();
        assertEquals("{\"a\":{\"status\":\"RUNNING\",\"events\":1,\"bytes\":8},\"b\":{\"status\":\"PENDING\",\"events\":0,\"bytes\":0}}",
                out.description);
        assertEquals(ReadStatus.RUNNING, out.status);
    }

    @Test
    void withoutStreamsTheDescriptionIsTheReason() throws Exception {
        session = new ReadSession(out, SecretMasker.of(null, List.of(), List.of()), new ReadSession.Options(false, true),
                null, PriorState.none(), null, "catalog.json is missing in CONFIG_DIR", () -> clock);
        assertEquals(1, session.finish(new Ending.EndOfOutput(false)));
        assertEquals(ReadStatus.FAILED, out.status);
        assertEquals("catalog.json is missing in CONFIG_DIR", out.description);
    }

    // ---- messages, as a connector writes them --------------------------------------------------

    static String record(String stream, String data) {
        return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"" + stream + "\",\"data\":" + data + ",\"emitted_at\":1}}";
    }

    static String stateObject(String stream, String state) {
        return "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"" + stream + "\"},\"stream_state\":" + state + "}}";
    }

    static String streamState(String stream, String state) {
        return "{\"type\":\"STATE\",\"state\":" + stateObject(stream, state) + "}";
    }

    static String legacyState(String data) {
        return "{\"type\":\"STATE\",\"state\":{\"data\":" + data + "}}";
    }

    static String globalState(String global) {
        return "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":" + global + "}}";
    }

    static String traceError(String stream, String message) {
        return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":1,\"error\":{\"message\":\"" + message
                + "\",\"stream_descriptor\":{\"name\":\"" + stream + "\"}}}}";
    }

    static String status(String stream, String status) {
        return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1,\"stream_status\":{\"stream_descriptor\":{\"name\":\""
                + stream + "\"},\"status\":\"" + status + "\"}}}";
    }

    static String stream(String name, boolean incremental) {
        return "{\"stream\":{\"name\":\"" + name + "\",\"json_schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}}},"
                + "\"sync_mode\":\"" + (incremental ? "incremental" : "full_refresh") + "\",\"destination_sync_mode\":\"overwrite\"}";
    }

    static String catalog(String... streams) {
        return "{\"streams\":[" + String.join(",", streams) + "]}";
    }

}
