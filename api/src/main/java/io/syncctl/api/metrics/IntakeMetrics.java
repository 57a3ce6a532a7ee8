package io.syncctl.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.syncctl.shared.task.TaskType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/**
 * Prometheus counters at {@code /q/metrics}: {@code syncctl_tasks_accepted_total{type}} and
 * {@code syncctl_requests_rejected_total{reason}} (reason: bad_request, unauthorized, conflict,
 * too_large, unavailable, not_found, internal, http_NNN), and for the group commit
 * {@code syncctl_intake_batch_size} (tasks per transaction) and {@code syncctl_intake_batches_split_total}.
 * Tags are fixed words, never request data.
 */
@ApplicationScoped
public class IntakeMetrics {
    private final MeterRegistry registry;
    private final Map<TaskType, Counter> accepted = new EnumMap<>(TaskType.class);
    private final DistributionSummary batchSize;
    private final Counter batchesSplit;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (TaskType t : TaskType.values()) {
            accepted.put(t, Counter.builder("syncctl.tasks.accepted").description("Tasks accepted and durably queued")
                    .tag("type", t.command()).register(registry));
        }
        batchSize = DistributionSummary.builder("syncctl.intake.batch.size")
                .description("Tasks per group-commit transaction of the intake").register(registry);
        batchesSplit = Counter.builder("syncctl.intake.batches.split")
                .description("Group commits rolled back and committed task by task (a task failed, or a race)").register(registry);
        // The known reasons start at zero, so rates and alerts see the first rejection (http_NNN come as they occur).
        for (String reason : new String[]{"bad_request", "unauthorized", "conflict", "too_large", "unavailable", "not_found", "internal"}) {
            rejectedCounter(reason);
        }
    }

    public void batchCommitted(int tasks) {
        batchSize.record(tasks);
    }

    public void batchSplit() {
        batchesSplit.increment();
    }

    /** Batches committed task by task since start. */
    public double batchesSplit() {
        return batchesSplit.count();
    }

    public void accepted(TaskType type) {
        accepted.get(type).increment();
    }

    public void rejected(String reason) {
        rejectedCounter(reason).increment();
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder("syncctl.requests.rejected").description("Requests answered with an error")
                .tag("reason", reason).register(registry);
    }
}
