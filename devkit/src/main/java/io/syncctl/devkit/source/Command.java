package io.syncctl.devkit.source;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Airbyte connector command line: {@code spec | check | discover | read} and their file options. */
sealed interface Command {
    String USAGE = """
            usage: source-synthetic spec
                   source-synthetic check --config CONFIG.json
                   source-synthetic discover --config CONFIG.json
                   source-synthetic read --config CONFIG.json --catalog CATALOG.json [--state STATE.json]""";

    record Spec() implements Command {
    }

    record Check(Path config) implements Command {
    }

    record Discover(Path config) implements Command {
    }

    record Read(Path config, Path catalog, Optional<Path> state) implements Command {
    }

    static Command parse(String... args) {
        if (args.length == 0) throw new InvalidConfigException("no command given");
        Map<String, Path> options = options(args);
        return switch (args[0]) {
            case "spec" -> {
                allowOnly(options, Set.of());
                yield new Spec();
            }
            case "check" -> {
                allowOnly(options, Set.of("--config"));
                yield new Check(required(options, "--config"));
            }
            case "discover" -> {
                allowOnly(options, Set.of("--config"));
                yield new Discover(required(options, "--config"));
            }
            case "read" -> {
                allowOnly(options, Set.of("--config", "--catalog", "--state"));
                yield new Read(required(options, "--config"), required(options, "--catalog"),
                        Optional.ofNullable(options.get("--state")));
            }
            default -> throw new InvalidConfigException("unknown command '" + args[0] + "'");
        };
    }

    private static Map<String, Path> options(String[] args) {
        Map<String, Path> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new InvalidConfigException("expected an option, got '" + args[i] + "'");
            if (i + 1 >= args.length) throw new InvalidConfigException("option " + args[i] + " needs a file");
            options.put(args[i], Path.of(args[i + 1]));
        }
        return options;
    }

    private static void allowOnly(Map<String, Path> options, Set<String> allowed) {
        for (String option : options.keySet()) {
            if (!allowed.contains(option)) throw new InvalidConfigException("unknown option " + option);
        }
    }

    private static Path required(Map<String, Path> options, String option) {
        Path path = options.get(option);
        if (path == null) throw new InvalidConfigException("missing option " + option);
        return path;
    }
}
