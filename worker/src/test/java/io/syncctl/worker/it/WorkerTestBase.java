package io.syncctl.worker.it;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.syncctl.worker.Worker;
import io.syncctl.worker.WorkerRuntime;
import io.syncctl.worker.support.SimulatedKubelet;
import io.syncctl.worker.support.TaskQueue;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

/**
 * The worker application against the fabric8 mock API server (CRUD mode) and the real PostgreSQL
 * (through a cuttable proxy). Every test class carries the same annotations so Quarkus boots once.
 */
abstract class WorkerTestBase {
    static final String NAMESPACE = "test";

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    WorkerRuntime runtime;
    @Inject
    AgroalDataSource dataSource;

    SimulatedKubelet kubelet;
    TaskQueue queue;

    @BeforeEach
    void setUpHelpers() {
        kubelet = new SimulatedKubelet(server, NAMESPACE);
        queue = new TaskQueue(dataSource);
    }

    Worker worker() {
        return runtime.worker();
    }
}
