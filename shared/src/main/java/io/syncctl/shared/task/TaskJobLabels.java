package io.syncctl.shared.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JobRunr labels of a task's jobs, shown as chips beside the job's name in the dashboard's job
 * lists and on the job's page: {@code type:read}, {@code package:airbyte/source-postgres} at enqueue,
 * and {@code outcome:FAILED (out_of_memory)} once the task has ended (the worker adds it to the launch
 * job). A launch job succeeds when the pod is created; the outcome label says how the task went.
 *
 * <p>JobRunr allows at most {@value #MAX_LABELS} labels of at most {@value #MAX_LENGTH} characters per
 * job (it throws otherwise), so a long package name is cut with an ellipsis; the job's name keeps it
 * whole. Only non-secret identifiers go here.
 */
public final class TaskJobLabels {
    public static final int MAX_LABELS = 3;
    public static final int MAX_LENGTH = 45;
    static final String OUTCOME = "outcome:";

    private TaskJobLabels() {
    }

    /** The labels of a task's jobs at enqueue: type and package. */
    public static List<String> of(TaskRecord task) {
        return List.of(fit("type:" + task.type().command()), fit("package:" + task.pkg()));
    }

    /**
     * {@code labels} with the task's outcome as the last label (replacing an earlier outcome label).
     * {@code failureKind}: the worker's failure kind or {@code recorded}; null or {@code none} adds nothing.
     */
    public static List<String> withOutcome(List<String> labels, TaskOutcome outcome, String failureKind) {
        List<String> out = new ArrayList<>();
        for (String l : labels == null ? List.<String>of() : labels) {
            if (!l.startsWith(OUTCOME) && out.size() < MAX_LABELS - 1) {
                out.add(l);
            }
        }
        boolean kind = failureKind != null && !failureKind.isBlank() && !"none".equals(failureKind);
        out.add(fit(OUTCOME + outcome.name() + (kind ? " (" + failureKind + ")" : "")));
        return List.copyOf(out);
    }

    /** The outcome label among {@code labels}, if any. */
    public static Optional<String> outcome(List<String> labels) {
        return labels == null ? Optional.empty() : labels.stream().filter(l -> l.startsWith(OUTCOME)).findFirst();
    }

    static String fit(String label) {
        if (label.length() <= MAX_LENGTH) {
            return label;
        }
        int end = MAX_LENGTH - 1;
        if (Character.isHighSurrogate(label.charAt(end - 1))) {
            end--;
        }
        return label.substring(0, end) + "…";
    }
}
