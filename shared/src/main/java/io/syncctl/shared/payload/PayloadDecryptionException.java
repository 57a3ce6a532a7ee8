package io.syncctl.shared.payload;

import java.util.UUID;

/** A stored task payload that cannot be opened. The message names the task and the reason, never any content. */
public final class PayloadDecryptionException extends RuntimeException {
    public PayloadDecryptionException(UUID taskId, String reason) {
        super("cannot decrypt the payload of task " + taskId + ": " + reason, null, false, false);
    }
}
