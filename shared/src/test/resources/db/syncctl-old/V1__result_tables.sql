-- The six result tables of CONTRACT section 2. Clients poll them directly, so names,
-- columns, types, constraint names and indexes are part of the public contract.
-- A client application may already have created identical tables: every statement
-- is IF NOT EXISTS so this migration adopts them instead of failing.
-- Tables land in Flyway's default schema, which is the search_path of SYNCCTL_DATABASE_URL.

CREATE TABLE IF NOT EXISTS source_spec (
    package     text NOT NULL,
    version     text NOT NULL,
    specs       json,
    "timestamp" timestamptz(3) NOT NULL DEFAULT now(),
    error       text,
    CONSTRAINT source_spec_pkey PRIMARY KEY (package, version)
);

CREATE TABLE IF NOT EXISTS source_check (
    package     text NOT NULL,
    version     text NOT NULL,
    key         text CONSTRAINT source_check_pkey PRIMARY KEY,
    status      text NOT NULL,
    description text,
    "timestamp" timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS source_catalog (
    package     text NOT NULL,
    version     text NOT NULL,
    key         text NOT NULL,
    catalog     json,
    "timestamp" timestamptz(3) NOT NULL DEFAULT now(),
    status      text NOT NULL,
    description text,
    CONSTRAINT source_catalog_pkey PRIMARY KEY (package, version, key)
);

CREATE TABLE IF NOT EXISTS source_state (
    sync_id     text NOT NULL,
    stream      text NOT NULL,
    state       json NOT NULL,
    "timestamp" timestamptz(3) NOT NULL DEFAULT now(),
    CONSTRAINT source_state_pkey PRIMARY KEY (sync_id, stream)
);

CREATE TABLE IF NOT EXISTS source_task (
    sync_id     text NOT NULL,
    task_id     text CONSTRAINT source_task_pkey PRIMARY KEY,
    package     text NOT NULL,
    version     text NOT NULL,
    started_at  timestamptz(3) NOT NULL DEFAULT now(),
    updated_at  timestamptz(3) NOT NULL DEFAULT now(),
    started_by  json,
    status      text NOT NULL,
    description text,
    metrics     json,
    error       text
);
CREATE INDEX IF NOT EXISTS source_task_sync_id_idx ON source_task (sync_id);
CREATE INDEX IF NOT EXISTS source_task_started_at_idx ON source_task (started_at);
CREATE INDEX IF NOT EXISTS source_task_sync_id_started_at_idx ON source_task (sync_id, started_at DESC);

CREATE TABLE IF NOT EXISTS task_log (
    id          uuid CONSTRAINT task_log_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
    level       text NOT NULL,
    logger      text NOT NULL,
    message     text NOT NULL,
    sync_id     text NOT NULL,
    task_id     text NOT NULL,
    "timestamp" timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS task_log_sync_id_idx ON task_log (sync_id);
CREATE INDEX IF NOT EXISTS task_log_task_id_idx ON task_log (task_id);
CREATE INDEX IF NOT EXISTS task_log_timestamp_idx ON task_log ("timestamp");
