#!/bin/sh
# The connector command line (spec | check --config F | discover --config F | read --config F
# --catalog F --state F) arrives as arguments; Airbyte messages go to stdout, logs to stderr.
# JAVA_OPTS (optional) adds JVM flags; it is split on spaces on purpose.
exec java -XX:MaxRAMPercentage=60 ${JAVA_OPTS:-} -jar /airbyte/source-synthetic.jar "$@"
