package io.syncctl.devkit.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container's main process, started in its own session and process group ({@code setsid})
 * so that signals reach everything the container started, as they would in a container's PID
 * namespace. stdout and stderr both go to the container's log file, as with a container runtime.
 */
final class ContainerProcess {

    private static final File NO_INPUT = new File("/dev/null");

    private final Process process;

    private ContainerProcess(Process process) {
        this.process = process;
    }

    static ContainerProcess start(List<String> argv, Map<String, String> env, Path workingDir, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(argv.size() + 1);
        command.add("setsid");
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return new ContainerProcess(builder.start());
    }

    /** The process id, which is also its process group id. */
    long pid() {
        return process.pid();
    }

    /** Waits for the main process and returns its exit code (128 + signal when killed by one). */
    int waitFor() throws InterruptedException {
        int exitCode = process.waitFor();
        // The container is gone once its main process is: nothing it left behind survives it.
        signalGroup("KILL");
        return exitCode;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends {@code signal} (TERM, KILL) to the whole process group. */
    void signalGroup(String signal) {
        try {
            new ProcessBuilder("kill", "-s", signal, "--", "-" + pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            // No kill(1) on this host: fall back to signalling the main process alone.
            if (signal.equals("KILL")) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
