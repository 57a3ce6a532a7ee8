package io.syncctl.worker.jobs;

import io.quarkus.arc.Arc;
import org.jobrunr.server.JobActivator;

/** Resolves job classes (the {@code TaskJobs} interface) to CDI beans. Job threads have no request context. */
public final class CdiJobActivator implements JobActivator {
    @Override
    public <T> T activateJob(Class<T> type) {
        return Arc.container().instance(type).get();
    }
}
