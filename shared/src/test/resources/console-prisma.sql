-- The result tables as the Jitsu console creates them: `prisma db push` of the models source_spec,
-- source_check, source_catalog, source_state, source_task and task_log in
-- webapps/console/prisma/schema.prisma (jitsucom/jitsu), written as Prisma's migration SQL
-- (`prisma migrate diff --from-empty --to-schema-datamodel schema.prisma --script`) and as
-- CONTRACT.md section 2 gives it. Unqualified: run it with search_path set to the console's schema
-- (newjitsu in the e2e suite; ConsoleSchema.create does).
-- Note what the console does NOT have: no database default on task_log.id (Prisma's uuid() is made
-- by the client), no source_task.metrics or source_task.error, Json columns are JSONB.

-- CreateTable
CREATE TABLE "source_spec" (
    "package" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "specs" JSONB,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error" TEXT,

    CONSTRAINT "source_spec_pkey" PRIMARY KEY ("package","version")
);

-- CreateTable
CREATE TABLE "source_check" (
    "package" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "description" TEXT,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_check_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "source_catalog" (
    "package" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "catalog" JSONB,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL,
    "description" TEXT,

    CONSTRAINT "source_catalog_pkey" PRIMARY KEY ("package","version","key")
);

-- CreateTable
CREATE TABLE "source_state" (
    "sync_id" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_state_pkey" PRIMARY KEY ("sync_id","stream")
);

-- CreateTable
CREATE TABLE "source_task" (
    "sync_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "package" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_by" JSONB,
    "status" TEXT NOT NULL,
    "description" TEXT,

    CONSTRAINT "source_task_pkey" PRIMARY KEY ("task_id")
);

-- CreateTable
CREATE TABLE "task_log" (
    "id" UUID NOT NULL,
    "level" TEXT NOT NULL,
    "logger" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "sync_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "source_task_sync_id_idx" ON "source_task"("sync_id");

-- CreateIndex
CREATE INDEX "source_task_started_at_idx" ON "source_task"("started_at");

-- CreateIndex
CREATE INDEX "task_log_sync_id_idx" ON "task_log"("sync_id");

-- CreateIndex
CREATE INDEX "task_log_task_id_idx" ON "task_log"("task_id");

-- CreateIndex
CREATE INDEX "task_log_timestamp_idx" ON "task_log"("timestamp");
