package io.syncctl.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncctl.api.db.Transactions;
import io.syncctl.api.support.Ids;
import io.syncctl.shared.config.Settings;
import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import jakarta.inject.Inject;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.details.CachingJobDetailsGenerator;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.syncctl.api.support.TestDb.execute;
import static io.syncctl.api.support.TestDb.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The launch jobs the intake builds directly are the jobs JobRunr's scheduler makes from the lambda
 * {@code jobs -> jobs.launch(id, label)}: same stored JSON apart from timestamps, so the worker (which
 * deserialises and runs them) and the dashboard (which shows the name) see no difference.
 */
@QuarkusTest
class JobQueueTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    JobQueue jobs;
    @Inject
    Transactions transactions;
    @Inject
    AgroalDataSource pool;
    @Inject
    Settings settings;
    JobScheduler scheduler;

    @BeforeEach
    void scheduler() {
        // as the api's scheduler was: the caching lambda analysis marks details cacheable
        scheduler = new JobScheduler(JobRunrStorage.open(pool, settings.internalSchema()), new CachingJobDetailsGenerator(), List.of());
    }

    @Test
    void aDirectlyBuiltLaunchJobIsStoredExactlyAsTheSchedulerWouldStoreIt() throws Exception {
        for (TaskRecord task : new TaskRecord[]{
                TaskRecord.accepted(UUID.randomUUID(), TaskType.CHECK, "airbyte/source-faker", "6.2.1", Ids.unique("key"), null, null, Map.of()),
                TaskRecord.accepted(JobIds.readTask("t1-" + UUID.randomUUID()), TaskType.READ, "registry.example.com:5000/a/b", "1.0",
                        null, Ids.unique("sync"), "t1", Map.of("startedBy", "x"))}) {
            UUID id = task.id();
            String label = task.label();
            // the scheduler's way: lambda analysis and @Job filters (it cannot add per-job labels to an @Job)
            scheduler.<TaskJobs>enqueue(JobIds.launch(id), j -> j.launch(id, label));
            String viaScheduler = storedJob(task);
            String viaSchedulerRow = jobRow(task);
            execute("DELETE FROM jobrunr_jobs WHERE id = ?", JobIds.launch(task.id()).toString());
            Job built = jobs.launchJob(task);
            transactions.inTransaction(c -> {
                jobs.saveNew(c, List.of(built)); // the intake's way
                return null;
            });
            JsonNode direct = withoutTimestamps(storedJob(task));
            assertEquals(JSON.valueToTree(List.of("type:" + task.type().command(), "package:" + task.pkg())),
                    ((ObjectNode) direct).remove("labels"));
            assertEquals(((ObjectNode) withoutTimestamps(viaScheduler)).without("labels"), direct);
            assertEquals(viaSchedulerRow, jobRow(task));

            JobMapper mapper = new JobMapper(JobRunrStorage.jsonMapper());
            // what the worker gets back, and what the dashboard shows
            Job read = mapper.deserializeJob(mapper.serializeJob(built));
            assertEquals(TaskJobs.class.getName(), read.getJobDetails().getClassName());
            assertEquals("launch", read.getJobDetails().getMethodName());
            assertArrayEquals(new Object[]{task.id(), task.label()}, read.getJobDetails().getJobParameterValues());
            assertEquals("launch " + task.label(), read.getJobName());
            assertEquals(8, read.getAmountOfRetries());
            execute("DELETE FROM jobrunr_jobs WHERE id = ?", JobIds.launch(task.id()).toString());
            // the worker stores the outcome here later; the api's cancel jobs carry the same labels
            transactions.inTransaction(c -> {
                jobs.enqueueLaunch(task);
                jobs.enqueueCancel(task);
                return null;
            });
            JsonNode enqueued = withoutTimestamps(storedJob(task));
            assertEquals(JSON.valueToTree(List.of("type:" + task.type().command(), "package:" + task.pkg())), enqueued.get("labels"));
            assertEquals(direct, ((ObjectNode) enqueued).without("labels"));
            JsonNode cancel = JSON.readTree(one("SELECT jobAsJson FROM jobrunr_jobs WHERE id = ?", JobIds.cancel(task.id()).toString()));
            assertEquals("cancel " + task.label(), cancel.get("jobName").asText());
            assertEquals(JSON.valueToTree(List.of("type:" + task.type().command(), "package:" + task.pkg())), cancel.get("labels"));
            // the dashboard shows these beside the name; the worker adds the outcome
            assertEquals(List.of("type:" + task.type().command(), "package:" + task.pkg()), read.getLabels());
        }
    }

    static String storedJob(TaskRecord task) {
        return one("SELECT jobAsJson FROM jobrunr_jobs WHERE id = ?", JobIds.launch(task.id()).toString());
    }

    /**
     * The row's columns besides the JSON; the timestamps as whether they are the JSON's creation time
     * in UTC (to the microsecond), since the two jobs were made at different moments.
     */
    static String jobRow(TaskRecord task) {
        return one("""
                SELECT concat_ws('|', version, jobsignature, state, coalesce(scheduledat::text, 'null'),
                                 coalesce(recurringjobid, 'null'),
                                 createdat = date_trunc('microseconds', ((jobasjson::json -> 'jobHistory' -> 0 ->> 'createdAt')::timestamptz) AT TIME ZONE 'UTC'),
                                 updatedat = createdat)
                FROM jobrunr_jobs WHERE id = ?""", JobIds.launch(task.id()).toString());
    }

    /** createdAt/updatedAt of the job and of its states differ between two jobs made at different moments. */
    static JsonNode withoutTimestamps(String json) throws Exception {
        JsonNode tree = JSON.readTree(json);
        strip(tree);
        return tree;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove("createdAt");
            o.remove("updatedAt");
        }
        node.forEach(JobQueueTest::strip);
    }
}
