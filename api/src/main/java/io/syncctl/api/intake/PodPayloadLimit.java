package io.syncctl.api.intake;

import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.payload.PodSecretSize;
import io.syncctl.shared.payload.TaskPayload;

/**
 * A task whose payload cannot reach its pod is refused at intake (413) rather than accepted and
 * failed at launch: the worker hands the payload over in a Kubernetes Secret, gzip-compressed, and a
 * Secret holds at most 1 MiB ({@link PodSecretSize}).
 */
final class PodPayloadLimit {
    private PodPayloadLimit() {
    }

    static TaskPayload check(TaskPayload payload) {
        if (!PodSecretSize.fits(payload)) {
            throw ApiException.tooLarge(message(PodSecretSize.packedBytes(payload)));
        }
        return payload;
    }

    static String message(long packed) {
        return "the task's config, catalog, state and destinationConfig take " + packed + " bytes gzip-compressed; a task pod "
                + "can receive at most " + PodSecretSize.PAYLOAD_LIMIT + " (its Kubernetes Secret holds 1 MiB)";
    }
}
