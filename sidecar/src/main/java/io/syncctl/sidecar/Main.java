package io.syncctl.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.config.InvalidSettingException;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.shared.task.TaskType;
import io.syncctl.sidecar.command.CommandHandler;
import io.syncctl.sidecar.command.ResultCommand;
import io.syncctl.sidecar.command.TaskContext;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.Destinations;
import io.syncctl.sidecar.log.ConsoleLog;
import io.syncctl.sidecar.log.SecretMasker;
import io.syncctl.sidecar.log.TaskLog;
import io.syncctl.sidecar.pipe.ConnectorPipes;
import io.syncctl.sidecar.read.ConfiguredStream;
import io.syncctl.sidecar.read.PriorState;
import io.syncctl.sidecar.read.ReadSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code java -jar syncctl-sidecar.jar}: configured by the environment only (see README). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // First of all, before anything that can fail: open the connector's pipes, so that a sidecar failing
        // below never leaves the connector blocked on opening them (see ConnectorPipes).
        ConnectorPipes pipes = ConnectorPipes.fromEnvironment(System.getenv());
        // Jackson's first ObjectMapper costs a few hundred ms of class loading: overlap it with
        // reading the settings and connecting to the database.
        Thread.ofPlatform().daemon().start(MessageParser::mapper);
        ConsoleLog.configure(System.getenv());
        SidecarSettings env;
        try {
            env = SidecarSettings.from(System.getenv());
            ConsoleLog.task(env);
        } catch (InvalidSettingException e) {
            ConsoleLog.error(e.getMessage());
            System.exit(2);
            return;
        }
        Sidecar sidecar = create(env, pipes);
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::terminated, "sigterm"));
        System.exit(sidecar.run());
    }

    static Sidecar create(SidecarSettings env, ConnectorPipes pipes) {
        Database db = Database.results(env.database());
        ResultStore results = new ResultStore(db);
        JsonNode spec = env.command() == TaskType.SPEC ? null : storedSpec(env, results);
        List<String> problems = new ArrayList<>();
        JsonNode config = json(env.configDir().resolve("config.json"), "CONFIG_DIR", false, problems);
        boolean read = env.command() == TaskType.READ;
        JsonNode catalog = read ? json(env.configDir().resolve("catalog.json"), "CONFIG_DIR", true, problems) : null;
        JsonNode state = read ? json(env.configDir().resolve("state.json"), "CONFIG_DIR", false, problems) : null;
        JsonNode destinationConfig = read ? json(env.destinationConfigDir().resolve("destinationConfig.json"), "DESTINATION_CONFIG_DIR", true, problems) : null;

        SecretMasker masker = SecretMasker.of(spec,
                java.util.Arrays.asList(config, destinationConfig), List.of(nullToEmpty(env.database().password())));
        String logTask = !env.taskId().isEmpty() ? env.taskId() : env.storageKey() != null ? env.storageKey()
                : env.pkg() + ":" + env.version();
        String logSync = !env.syncId().isEmpty() ? env.syncId() : logTask;
        TaskContext ctx = new TaskContext(env, results, new TaskLog(results, masker, logSync, logTask, env.limits().taskLogMaxLines()), masker);
        ctx.info("sidecar started: " + env.command().name().toLowerCase() + " of " + env.pkg() + ":" + env.version());
        CommandHandler handler = read ? readSession(ctx, catalog, state, destinationConfig, problems) : new ResultCommand(ctx);
        problems.forEach(ctx::error);
        return new Sidecar(ctx, handler, pipes);
    }

    private static ReadSession readSession(TaskContext ctx, JsonNode catalog, JsonNode state, JsonNode destinationConfig,
                                           List<String> problems) {
        SidecarSettings env = ctx.env();
        try {
            // the api wrote this row when it accepted the read; a sidecar run by hand writes it here
            ctx.results().write(c -> ResultEffects.accepted(c, env.ref(), "running"));
        } catch (SQLException e) {
            ctx.stderr("cannot reach the result database: " + e.getMessage());
        }
        Map<String, ConfiguredStream> streams = null;
        Destination destination = null;
        String setupError = problems.isEmpty() ? null : problems.get(0);
        try {
            streams = catalog == null ? null : ConfiguredStream.parse(catalog, env.options().namespace(), env.tableNamePrefix());
        } catch (IllegalArgumentException e) {
            setupError = setupError == null ? e.getMessage() : setupError;
        }
        if (streams != null && destinationConfig != null) {
            try {
                destination = Destinations.create(destinationConfig, env);
            } catch (IllegalArgumentException e) {
                setupError = setupError == null ? e.getMessage() : setupError;
            }
            if (destination != null && setupError == null) {
                setupError = checkDestination(ctx, destination);
            }
        }
        return ReadSession.of(ctx, streams, env.options().fullSync() ? PriorState.none() : PriorState.of(state),
                destination, setupError);
    }

    /** Null when the destination answers, else why not (the task then fails before the connector's output is read). */
    private static String checkDestination(TaskContext ctx, Destination destination) {
        long started = System.nanoTime();
        try {
            destination.check();
            ctx.info("destination checked in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            String note = destination.loadingNote();
            if (note != null) {
                ctx.info(note);
            }
            return null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return e.getMessage() == null ? "the destination cannot be opened: " + e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** The spec stored by an earlier spec task: its airbyte_secret marks tell which config values to mask. */
    private static JsonNode storedSpec(SidecarSettings env, ResultStore results) {
        try {
            String spec = results.write(c -> ResultTables.specOf(c, env.pkg(), env.version()));
            return spec == null ? null : MessageParser.mapper().readTree(spec);
        } catch (SQLException | IOException e) {
            return null; // masking falls back to key names
        }
    }

    private static JsonNode json(Path file, String dirVariable, boolean required, List<String> problems) {
        if (!Files.exists(file)) {
            if (required) {
                problems.add(file.getFileName() + " is missing in " + dirVariable);
            }
            return null;
        }
        try {
            return MessageParser.mapper().readTree(file.toFile());
        } catch (IOException e) {
            // never the content: it may be a secret
            problems.add(file.getFileName() + " is not valid JSON");
            return null;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
