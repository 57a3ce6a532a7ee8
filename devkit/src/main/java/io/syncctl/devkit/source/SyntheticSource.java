package io.syncctl.devkit.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The synthetic Airbyte source: runs one command and answers with its exit code, writing
 * protocol messages to {@code stdout} and noise to {@code stderr}. Exit codes: 0 done, 1 failed
 * (bad config, injected failure), 2 bad command line.
 */
public final class SyntheticSource {
    private static final int OUTPUT_BUFFER_BYTES = 1 << 18;

    private SyntheticSource() {
    }

    public static int run(String[] args, OutputStream stdout, OutputStream stderr) {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        Command command;
        try {
            command = Command.parse(args);
        } catch (InvalidConfigException e) {
            err.println("source-synthetic: " + e.getMessage());
            err.println(Command.USAGE);
            return 2;
        }
        AirbyteOutput out = new AirbyteOutput(new BufferedOutputStream(stdout, OUTPUT_BUFFER_BYTES));
        try {
            return switch (command) {
                case Command.Spec s -> spec(out);
                case Command.Check c -> check(c, out, err);
                case Command.Discover d -> discover(d, out, err);
                case Command.Read r -> read(r, out, err);
            };
        } catch (InvalidConfigException e) {
            out.log("ERROR", e.getMessage());
            out.traceError(null, e.getMessage(), "config_error");
            return 1;
        } catch (SyntheticRead.InjectedCrash e) {
            return 1;
        } catch (UncheckedIOException e) {
            // Most likely the reader went away (broken pipe): nobody is left to read a message.
            err.println("source-synthetic: cannot write output: " + e.getCause().getMessage());
            return 1;
        } finally {
            try {
                out.flush();
            } catch (UncheckedIOException ignored) {
                // Reported above when it matters; a closed stdout has no reader to tell.
            }
        }
    }

    private static int spec(AirbyteOutput out) {
        out.spec(specification());
        return 0;
    }

    /** The SPEC answer, with the connectionSpecification that documents every config option. */
    public static JsonNode specification() {
        try (InputStream in = SyntheticSource.class.getResourceAsStream("spec.json")) {
            return AirbyteOutput.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("spec.json is missing from the jar", e);
        }
    }

    /** Check reports every problem as a FAILED status, as the protocol wants, and exits 0. */
    private static int check(Command.Check check, AirbyteOutput out, PrintStream err) {
        SyntheticConfig config;
        try {
            config = config(check.config());
        } catch (InvalidConfigException e) {
            out.connectionStatus(false, "invalid config: " + e.getMessage());
            return 0;
        }
        preamble(config, out, err);
        if (config.failCheck().isPresent()) {
            out.connectionStatus(false, config.failCheck().get());
        } else {
            out.connectionStatus(true, null);
        }
        return 0;
    }

    private static int discover(Command.Discover discover, AirbyteOutput out, PrintStream err) {
        SyntheticConfig config = config(discover.config());
        preamble(config, out, err);
        if (config.failDiscover().isPresent()) {
            String message = config.failDiscover().get();
            out.log("ERROR", message);
            out.traceError(null, message, "system_error");
            return 1;
        }
        out.catalog(SyntheticCatalog.of(config));
        return 0;
    }

    private static int read(Command.Read read, AirbyteOutput out, PrintStream err) {
        SyntheticConfig config = config(read.config());
        JsonNode catalog = json(read.catalog(), "catalog");
        IncomingState state = IncomingState.parse(read.state().map(p -> json(p, "state")).orElse(null));
        List<StreamPlan> plans = StreamPlan.of(catalog, config, state);
        preamble(config, out, err);
        new SyntheticRead(config, out, err).run(plans, state);
        return 0;
    }

    /** What every configured command logs first: unknown options, the secret and garbage when asked. */
    private static void preamble(SyntheticConfig config, AirbyteOutput out, PrintStream err) {
        if (!config.unknownOptions().isEmpty()) {
            out.log("WARN", "ignoring unknown config options " + config.unknownOptions());
        }
        if (config.logSecret()) {
            String line = "log_secret: api_key is " + config.apiKey().orElse("");
            out.log("INFO", line);
            err.println(line);
        }
        if (config.garbageLines()) {
            out.rawLine("garbage line: this is not JSON {");
            err.println("noise on stderr: the synthetic source was asked for garbage");
        }
    }

    private static SyntheticConfig config(Path file) {
        return SyntheticConfig.parse(json(file, "config"));
    }

    /** Reads a JSON file; an empty file is null. Errors name the file, never its content. */
    static JsonNode json(Path file, String what) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.isBlank() ? null : AirbyteOutput.JSON.readTree(text);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(what + " file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidConfigException(what + " file " + file + " is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read " + what + " file " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
