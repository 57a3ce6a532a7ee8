package io.syncctl.api.jobs;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.syncctl.api.db.TransactionJoiningDataSource;
import io.syncctl.shared.config.Settings;
import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobLabels;
import io.syncctl.shared.task.TaskRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.details.CachingJobDetailsGenerator;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.utils.JobUtils;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;

/**
 * The api's side of JobRunr: it only enqueues and deletes jobs (the worker runs them). Jobs carry
 * the internal task id and the task's label, nothing else: secrets stay in the encrypted payload.
 * Called inside a {@code Transactions} unit, so job rows commit with the task row.
 */
@ApplicationScoped
public class JobQueue {
    private static final Logger LOG = Logger.getLogger(JobQueue.class);
    private static final JobTemplate LAUNCH = JobTemplate.of("launch");
    private static final JobTemplate CANCEL = JobTemplate.of("cancel");

    private final AgroalDataSource pool;
    private final TransactionJoiningDataSource joining;
    private final Settings settings;
    private final JobMapper jobMapper = new JobMapper(JobRunrStorage.jsonMapper());
    private String jobsTable;
    private StorageProvider storage;
    private JobScheduler scheduler;

    public JobQueue(AgroalDataSource pool, TransactionJoiningDataSource joining, Settings settings) {
        this.pool = pool;
        this.joining = joining;
        this.settings = settings;
    }

    /**
     * At startup, after SchemaStartup: creates or upgrades JobRunr's tables in the internal schema, so a
     * misconfiguration shows at once.
     */
    void start(@Observes StartupEvent event) {
        String schema = settings.internalSchema();
        storage = JobRunrStorage.open(joining, pool, schema);
        jobsTable = JobRunrStorage.tablePrefix(schema) + "jobrunr_jobs";
        // caching: the lambda's bytecode is analysed once per call site, not on every enqueue
        scheduler = new JobScheduler(storage, new CachingJobDetailsGenerator(), List.of());
        LOG.infof("job queue ready in schema %s", schema);
    }

    void stop(@Observes ShutdownEvent event) {
        if (storage != null) {
            storage.close();
        }
    }

    /**
     * Job {@code JobIds.launch(id)}: the worker creates the task's pod. Labelled with the task's type
     * and package ({@link TaskJobLabels}); the worker adds the task's outcome when it ends.
     */
    public void enqueueLaunch(TaskRecord task) {
        create(LAUNCH.job(JobIds.launch(task.id()), task, 0));
    }

    /**
     * The launch job of a task, built directly rather than by analysing a lambda and looking up the
     * {@code @Job} annotation on every enqueue ({@link JobTemplate#job}; {@code JobQueueTest} compares
     * the stored rows with the scheduler's), at version 1 as JobRunr stores a new job, for {@link #saveNew}.
     */
    public Job launchJob(TaskRecord task) {
        return LAUNCH.job(JobIds.launch(task.id()), task, 1);
    }

    /**
     * Inserts new enqueued jobs (from {@link #launchJob}) on the caller's connection, so they commit or
     * roll back with its transaction: one multi-row INSERT with the columns and values JobRunr's
     * {@code JobTable} writes for a new job. JobRunr's own batch insert binds every parameter through
     * reflection, which cost a sixth of the api's CPU per task. A job id that already exists fails the
     * statement (as it fails JobRunr's insert), and with it the caller's transaction.
     */
    public void saveNew(Connection c, List<Job> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(jobsTable)
                .append(" (id, version, jobAsJson, jobSignature, state, createdAt, updatedAt, scheduledAt, recurringJobId) VALUES ");
        for (int i = 0; i < jobs.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, NULL, NULL)");
        }
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC));
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Job job : jobs) {
                if (job.getState() != StateName.ENQUEUED || job.getRecurringJobId().isPresent()) {
                    throw new IllegalArgumentException("only new enqueued one-off jobs: " + job.getId());
                }
                ps.setString(p++, job.getId().toString());
                ps.setInt(p++, job.getVersion());
                ps.setString(p++, jobMapper.serializeJob(job));
                ps.setString(p++, JobUtils.getJobSignature(job));
                ps.setString(p++, job.getState().name());
                // as JobRunr's Dialect binds instants: UTC wall time in a timestamp without time zone
                ps.setTimestamp(p++, Timestamp.from(job.getCreatedAt()), utc);
                ps.setTimestamp(p++, Timestamp.from(job.getUpdatedAt()), utc);
            }
            ps.executeUpdate();
        }
    }

    /** Job {@code JobIds.cancel(id)}: the worker stops the task's pod. */
    public void enqueueCancel(TaskRecord task) {
        create(CANCEL.job(JobIds.cancel(task.id()), task, 0));
    }

    /** Saves a new job as JobRunr's scheduler does: a job whose id exists already is left as it is. */
    private void create(Job job) {
        try {
            storage.save(job);
        } catch (ConcurrentJobModificationException e) {
            LOG.infof("job %s exists already", job.getId());
        }
    }

    /**
     * Deletes the launch job of a task cancelled before it started. A job that is gone or that a
     * worker is moving right now is left alone: the task's phase is CANCELLED, so the launch step
     * finds nothing to launch.
     */
    public void deleteLaunch(UUID taskId) {
        try {
            scheduler.delete(JobIds.launch(taskId), "task cancelled before it started");
        } catch (JobNotFoundException | ConcurrentJobModificationException e) {
            LOG.debugf("launch job of task %s not deleted: %s", taskId, e.getClass().getSimpleName());
        }
    }
}
