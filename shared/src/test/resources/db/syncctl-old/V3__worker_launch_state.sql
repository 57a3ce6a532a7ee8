-- The worker retries launches that fail for transient reasons (Kubernetes API 5xx, throttling,
-- timeouts) and gives up after SYNCCTL_LAUNCH_GIVE_UP (about two minutes). The moment the first
-- attempt failed is kept here, measured on the database's clock so every worker replica agrees.
ALTER TABLE syncctl_task ADD COLUMN IF NOT EXISTS launch_failing_since timestamptz;

-- The namespace the task's pod was created in. A worker declares a pod "disappeared" only in the
-- namespace it watches, so workers of another namespace (or a changed SYNCCTL_KUBERNETES_NAMESPACE
-- during a rolling update) never end tasks whose pods they cannot see.
ALTER TABLE syncctl_task ADD COLUMN IF NOT EXISTS pod_namespace text;
