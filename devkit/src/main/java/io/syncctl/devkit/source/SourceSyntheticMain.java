package io.syncctl.devkit.source;

import java.io.FileDescriptor;
import java.io.FileOutputStream;

/** Entry point of {@code source-synthetic.jar}: the connector executable that images and tests run. */
public final class SourceSyntheticMain {
    private SourceSyntheticMain() {
    }

    public static void main(String[] args) {
        // Straight to the file descriptors: System.out's PrintStream locks and flushes per call.
        int exitCode = SyntheticSource.run(args, new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err));
        System.exit(exitCode);
    }
}
