package io.syncctl.devkit.cluster;

/** What the log endpoint answers for {@code GET /api/v1/namespaces/{ns}/pods/{name}/log}. */
@FunctionalInterface
interface PodLogs {

    Answer read(String namespace, String pod, String container, Integer tailLines);

    sealed interface Answer {
    }

    record Text(String text) implements Answer {
    }

    /** An API error as a Kubernetes {@code Status}: 400 BadRequest, 404 NotFound. */
    record Problem(int code, String reason, String message) implements Answer {
        static Problem badRequest(String message) {
            return new Problem(400, "BadRequest", message);
        }

        static Problem notFound(String message) {
            return new Problem(404, "NotFound", message);
        }
    }
}
