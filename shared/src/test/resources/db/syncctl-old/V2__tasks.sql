-- syncctl's own task table, beside the result tables (same schema: the search_path of
-- SYNCCTL_DATABASE_URL). One row per accepted task. Clients do not read it; the api writes it
-- when it accepts a task and the worker moves it along. JobRunr's jobs carry only the id.
CREATE TABLE IF NOT EXISTS syncctl_task (
    id                  uuid PRIMARY KEY,                 -- internal id; JobIds derive job ids from it; read: JobIds.readTask(clientTaskId)
    type                text NOT NULL,                    -- spec|check|discover|read (TaskType.command())
    package             text NOT NULL,
    version             text NOT NULL,
    storage_key         text,                             -- check/discover: the client's storageKey
    sync_id             text,                             -- read (and cancel): the client's syncId
    task_id             text,                             -- read: the client's taskId
    options             json NOT NULL DEFAULT '{}',       -- non-secret read options (tableNamePrefix, namespace, ..., startedBy)
    payload             bytea,                            -- AES-GCM encrypted TaskPayload; NULL once the task is finished
    phase               text NOT NULL DEFAULT 'QUEUED',   -- QUEUED -> LAUNCHED -> DONE, or CANCELLED
    pod_name            text,
    accepted_at         timestamptz NOT NULL DEFAULT now(),
    launched_at         timestamptz,
    finished_at         timestamptz,
    outcome             text,                             -- the terminal status/reason in short
    cancel_requested_at timestamptz,
    CONSTRAINT syncctl_task_type_check CHECK (type IN ('spec', 'check', 'discover', 'read')),
    CONSTRAINT syncctl_task_phase_check CHECK (phase IN ('QUEUED', 'LAUNCHED', 'DONE', 'CANCELLED'))
);
-- The worker's resync walks unfinished tasks by phase.
CREATE INDEX IF NOT EXISTS syncctl_task_phase_idx ON syncctl_task (phase, accepted_at);
-- /cancel finds a read by the client's ids.
CREATE INDEX IF NOT EXISTS syncctl_task_sync_id_idx ON syncctl_task (sync_id, task_id) WHERE sync_id IS NOT NULL;
