-- syncctl's own task table, in the internal schema (SYNCCTL_INTERNAL_SCHEMA, Flyway's default schema
-- here), never beside the result tables: the Jitsu console drops every table it has no model for in
-- its schema. One row per accepted task. Clients do not read it; the api writes it when it accepts a
-- task and the worker moves it along. JobRunr's jobs carry only the id.
--
-- Every statement is idempotent: an installation upgraded from the old layout (everything in the
-- result schema) has this table moved here at startup with its rows, and this migration adopts it.
CREATE TABLE IF NOT EXISTS syncctl_task (
    id                   uuid PRIMARY KEY,                 -- internal id; JobIds derive job ids from it; read: JobIds.readTask(clientTaskId)
    type                 text NOT NULL,                    -- spec|check|discover|read (TaskType.command())
    package              text NOT NULL,
    version              text NOT NULL,
    storage_key          text,                             -- check/discover: the client's storageKey
    sync_id              text,                             -- read (and cancel): the client's syncId
    task_id              text,                             -- read: the client's taskId
    options              json NOT NULL DEFAULT '{}',       -- non-secret read options (tableNamePrefix, namespace, ..., startedBy)
    payload              bytea,                            -- AES-GCM encrypted TaskPayload; NULL once the task is finished
    phase                text NOT NULL DEFAULT 'QUEUED',   -- QUEUED -> LAUNCHED -> DONE, or CANCELLED
    pod_name             text,
    accepted_at          timestamptz NOT NULL DEFAULT now(),
    launched_at          timestamptz,
    finished_at          timestamptz,
    outcome              text,                             -- the terminal status/reason in short
    cancel_requested_at  timestamptz,
    CONSTRAINT syncctl_task_type_check CHECK (type IN ('spec', 'check', 'discover', 'read')),
    CONSTRAINT syncctl_task_phase_check CHECK (phase IN ('QUEUED', 'LAUNCHED', 'DONE', 'CANCELLED'))
);

-- The worker retries launches that fail for transient reasons (Kubernetes API 5xx, throttling,
-- timeouts) and gives up after SYNCCTL_LAUNCH_GIVE_UP (about two minutes). The moment the first
-- attempt failed is kept here, measured on the database's clock so every worker replica agrees.
ALTER TABLE syncctl_task ADD COLUMN IF NOT EXISTS launch_failing_since timestamptz;

-- The namespace the task's pod was created in. A worker declares a pod "disappeared" only in the
-- namespace it watches, so workers of another namespace (or a changed SYNCCTL_KUBERNETES_NAMESPACE
-- during a rolling update) never end tasks whose pods they cannot see.
ALTER TABLE syncctl_task ADD COLUMN IF NOT EXISTS pod_namespace text;

-- The worker's resync walks unfinished tasks by phase.
CREATE INDEX IF NOT EXISTS syncctl_task_phase_idx ON syncctl_task (phase, accepted_at);
-- /cancel finds a read by the client's ids.
CREATE INDEX IF NOT EXISTS syncctl_task_sync_id_idx ON syncctl_task (sync_id, task_id) WHERE sync_id IS NOT NULL;
-- A check result is written only if no newer check of the same storageKey was accepted meanwhile
-- (ResultTables.checkFinished): that lookup probes this index instead of scanning syncctl_task.
CREATE INDEX IF NOT EXISTS syncctl_task_storage_key_idx ON syncctl_task (storage_key, accepted_at)
    WHERE storage_key IS NOT NULL;
