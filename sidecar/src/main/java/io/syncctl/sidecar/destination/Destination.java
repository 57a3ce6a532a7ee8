package io.syncctl.sidecar.destination;

/**
 * Where the records of a read go. One {@link StreamWriter} per stream; writers of different streams may
 * be open at the same time (connectors interleave streams). Add a destination by implementing this,
 * naming it in {@link Destinations} and giving its required fields to
 * {@link io.syncctl.shared.destination.DestinationTypes}.
 */
public interface Destination extends AutoCloseable {

    /**
     * Opens the destination once before the connector's output is read, so that a wrong host, credential or
     * bucket fails the task within seconds instead of after the first records. Writes nothing.
     *
     * @throws Exception whose message says what is wrong (it reaches the task's error, masked)
     */
    void check() throws Exception;

    /**
     * What {@link #check()} decided about how rows will be loaded, for the task log (after the
     * "destination checked" line), or null when there is nothing to say.
     */
    default String loadingNote() {
        return null;
    }

    StreamWriter open(DestinationStream stream) throws Exception;

    @Override
    void close();
}
