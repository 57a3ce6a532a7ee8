-- A check result is written only if no newer check of the same storageKey was accepted meanwhile
-- (ResultTables.checkFinished): that lookup probes this index instead of scanning syncctl_task.
CREATE INDEX IF NOT EXISTS syncctl_task_storage_key_idx ON syncctl_task (storage_key, accepted_at)
    WHERE storage_key IS NOT NULL;
