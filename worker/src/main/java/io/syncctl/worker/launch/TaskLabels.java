package io.syncctl.worker.launch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.syncctl.shared.task.TaskType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The labels and annotations that mark our pods and Secrets and tie them to their task. */
public final class TaskLabels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String TASK = "syncctl.io/task";
    public static final String TASK_TYPE = "syncctl.io/task-type";
    public static final String SYNC_ID = "syncctl.io/sync-id";

    public static final String APP = "syncctl-task";
    public static final String MANAGER = "syncctl";

    /** Annotations hold what may not fit a label value: the client's ids in full, the image. */
    public static final String ANNOTATION_PREFIX = "syncctl.io/";

    /** Every replica watches exactly these: pods of other tools in the namespace are none of our business. */
    public static final Map<String, String> SELECTOR = Map.of(NAME, APP, MANAGED_BY, MANAGER);

    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private TaskLabels() {
    }

    public static boolean isLabelValue(String s) {
        return s != null && LABEL_VALUE.matcher(s).matches();
    }

    /**
     * A label value that stands for {@code s}: {@code s} itself when Kubernetes can hold it, else
     * {@code sha256-} and the first 40 hex digits of its SHA-256. The client's ids are free text of up
     * to 1,024 characters (the console's storageKey has about 110), and a value a label cannot hold must
     * never fail a launch; the full value goes to an annotation, which can hold it.
     */
    public static String labelValue(String s) {
        if (isLabelValue(s)) {
            return s;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The internal task id of one of our objects, if it carries one. */
    public static Optional<UUID> taskId(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String v = labels == null ? null : labels.get(TASK);
        try {
            return v == null ? Optional.empty() : Optional.of(UUID.fromString(v));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Optional<TaskType> taskType(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String v = labels == null ? null : labels.get(TASK_TYPE);
        try {
            return v == null ? Optional.empty() : Optional.of(TaskType.ofCommand(v));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
