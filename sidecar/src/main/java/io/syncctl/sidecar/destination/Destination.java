package io.syncctl.sidecar.destination;

/**
 * Where the records of a read go. One {@link StreamWriter} per stream; writers of different streams may
 * be open at the same time (connectors interleave streams). Add a destination by implementing this and
 * naming it in {@link Destinations}.
 */
public interface Destination extends AutoCloseable {

    StreamWriter open(DestinationStream stream) throws Exception;

    @Override
    void close();
}
