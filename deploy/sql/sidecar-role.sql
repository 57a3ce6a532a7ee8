-- The sidecar's own PostgreSQL role (SYNCCTL_SIDECAR_DATABASE_URL): task pods run third-party connector
-- code next to the sidecar, so what reaches a pod gets only what the sidecar does, nothing more:
--   - the result tables: read and write the rows of spec, check, discover, read and state, add log lines;
--   - our internal schema: read six columns of syncctl_task (the guard that keeps a late check result
--     from overwriting a newer check's, whether a SIGTERM was a /cancel or the worker's own), nothing else there: no payloads, none of JobRunr's tables;
--   - no DDL, no DELETE, no other schema.
-- Destinations are not concerned: the sidecar writes them with the credentials of destinationConfig.
--
-- Run it as the owner of the tables (the role of SYNCCTL_DATABASE_URL), after api or worker started once
-- (they create the tables), and again after each upgrade (it is idempotent; grants follow the sidecar):
--   psql "postgresql://owner@host:5432/db" -v ON_ERROR_STOP=1 -v role=syncctl_sidecar \
--        -v password="$(openssl rand -hex 24)" -v results_schema=public -v internal_schema=syncctl \
--        -f deploy/sql/sidecar-role.sql
-- results_schema: the search_path of SYNCCTL_DATABASE_URL (public when it has none);
-- internal_schema: SYNCCTL_INTERNAL_SCHEMA (syncctl). Then set
--   SYNCCTL_SIDECAR_DATABASE_URL=postgresql://syncctl_sidecar:<password>@host:5432/db?search_path=<results_schema>
\set ON_ERROR_STOP on
BEGIN;

SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'role') \gexec

-- exactly these grants, whatever an earlier version of this file granted
REVOKE ALL ON ALL TABLES IN SCHEMA :"results_schema" FROM :"role";
REVOKE ALL ON ALL TABLES IN SCHEMA :"internal_schema" FROM :"role";

GRANT USAGE ON SCHEMA :"results_schema" TO :"role";
GRANT SELECT, INSERT, UPDATE ON
    :"results_schema".source_spec, :"results_schema".source_check, :"results_schema".source_catalog,
    :"results_schema".source_task, :"results_schema".source_state
    TO :"role";
GRANT INSERT ON :"results_schema".task_log TO :"role";

GRANT USAGE ON SCHEMA :"internal_schema" TO :"role";
GRANT SELECT (id, type, storage_key, accepted_at, cancel_requested_at, phase) ON :"internal_schema".syncctl_task TO :"role";
COMMIT;
