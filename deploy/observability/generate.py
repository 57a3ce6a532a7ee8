#!/usr/bin/env python3
"""Renders syncctl's Grafana dashboard and Prometheus alert rules from one definition, so every
metric name and query lives here once.

  python3 deploy/observability/generate.py           write the files next to this script
  python3 deploy/observability/generate.py --check   exit 1 if a committed file differs from its rendering
  python3 deploy/observability/generate.py --metrics print the metric names the queries use

Files: syncctl-dashboard.json (Grafana, import it), syncctl-rules.yml (a Prometheus rules file),
prometheus-rule.yaml (the same rules as a prometheus-operator PrometheusRule), metrics.txt (the
metric names the queries use; the e2e test ObservabilityMetricsTest checks a running api and worker
expose each). Needs python3 with PyYAML.

Selectors: the api's and the worker's series are told apart by metric name, never by scrape job or
namespace labels (those depend on how Prometheus is set up). Every worker sees the whole queue and
every task pod, so queue and pod gauges are aggregated with max, not sum.
"""
import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
RATE = "5m"
INTAKE = 'uri=~"/(spec|check|discover|read|cancel)"'


def panel(title, unit, *targets, description="", kind="timeseries"):
    return {"title": title, "unit": unit, "targets": list(targets), "description": description, "type": kind}


def t(expr, legend):
    return {"expr": expr, "legend": legend}


ROWS = [
    ("api: intake", [
        panel("Requests by endpoint", "reqps",
              t(f'sum by (uri, status) (rate(http_server_requests_seconds_count{{{INTAKE}}}[{RATE}]))', "{{uri}} {{status}}"),
              description="Requests per second the api answered, by endpoint and HTTP status."),
        panel("Request latency by endpoint (mean and max)", "s",
              t(f'sum by (uri) (rate(http_server_requests_seconds_sum{{{INTAKE}}}[{RATE}])) / '
                f'sum by (uri) (rate(http_server_requests_seconds_count{{{INTAKE}}}[{RATE}]))', "mean {{uri}}"),
              t(f'max by (uri) (http_server_requests_seconds_max{{{INTAKE}}})', "max {{uri}}")),
        panel("Tasks accepted by type", "ops",
              t(f'sum by (type) (rate(syncctl_tasks_accepted_total[{RATE}]))', "{{type}}")),
        panel("Requests rejected by reason", "reqps",
              t(f'sum by (reason) (rate(syncctl_requests_rejected_total[{RATE}]))', "{{reason}}"),
              description="unavailable: the database could not take the request (503)."),
    ]),
    ("queue and launches", [
        panel("Queue depth", "short",
              t('max(syncctl_queue_depth)', "tasks waiting for a pod"),
              description="Accepted tasks that have no pod yet."),
        panel("Oldest queued task", "s",
              t('max(syncctl_queue_oldest_age_seconds)', "age")),
        panel("Launches by type", "ops",
              t(f'sum by (type) (rate(syncctl_launch_latency_seconds_count[{RATE}]))', "{{type}}"),
              t(f'sum by (type) (rate(syncctl_launch_retries_total[{RATE}]))', "retried {{type}}")),
        panel("Launch latency (accepted to pod created)", "s",
              t('max by (type) (syncctl_launch_latency_seconds{quantile="0.99"})', "p99 {{type}}"),
              t('max by (type) (syncctl_launch_latency_seconds{quantile="0.5"})', "p50 {{type}}")),
    ]),
    ("task pods and outcomes", [
        panel("Task pods by phase", "short",
              t('max by (phase) (syncctl_pods)', "{{phase}}")),
        panel("Longest-running task pod by type", "s",
              t('max by (type) (syncctl_running_oldest_age_seconds)', "{{type}}")),
        panel("Task outcomes by type", "ops",
              t(f'sum by (type, outcome) (rate(syncctl_tasks_finished_total[{RATE}]))', "{{type}} {{outcome}}")),
        panel("Failures by kind", "ops",
              t(f'sum by (failure) (rate(syncctl_tasks_finished_total{{failure!="none"}}[{RATE}]))', "{{failure}}"),
              description="recorded: the connector or sidecar reported the failure; other kinds the worker found in the pod."),
        panel("Finalise latency (pod ended to task finalised)", "s",
              t('max by (type) (syncctl_finalise_latency_seconds{quantile="0.99"})', "p99 {{type}}"),
              t('max by (type) (syncctl_finalise_latency_seconds{quantile="0.5"})', "p50 {{type}}")),
        panel("Task run time (pod created to finished, mean)", "s",
              t(f'sum by (type) (rate(syncctl_task_duration_seconds_sum[1h])) / '
                f'sum by (type) (rate(syncctl_task_duration_seconds_count[1h]))', "{{type}}")),
    ]),
    ("dependencies and processes", [
        panel("Kubernetes API errors", "ops",
              t(f'sum by (operation, code) (rate(syncctl_kubernetes_api_errors_total[{RATE}]))', "{{operation}} {{code}}"),
              description="code: the HTTP status, io for no answer."),
        panel("Job server restarts and health", "short",
              t('sum(increase(syncctl_job_server_restarts_total[1h]))', "restarts in the last hour"),
              t('sum(syncctl_job_server_healthy)', "healthy job servers")),
        panel("Database reachable (workers)", "short",
              t('min(syncctl_database_up)', "up")),
        panel("JVM heap used", "bytes",
              t('sum by (instance) (jvm_memory_used_bytes{area="heap"})', "used {{instance}}"),
              t('sum by (instance) (jvm_memory_max_bytes{area="heap"})', "max {{instance}}")),
    ]),
]


def alert(name, expr, for_, severity, summary, description):
    return {"alert": name, "expr": expr, "for": for_, "labels": {"severity": severity},
            "annotations": {"summary": summary, "description": description}}


FAILED = 'syncctl_tasks_finished_total{failure!="none"}'
READ_MEAN = ('(sum(rate(syncctl_task_duration_seconds_sum{type="read"}[1d])) / '
             'sum(rate(syncctl_task_duration_seconds_count{type="read"}[1d])))')
RULES = [
    alert("SyncctlQueueNotDraining",
          'max(syncctl_queue_oldest_age_seconds) > 600 and max(syncctl_queue_depth) > 0', "10m", "warning",
          "Accepted tasks have waited more than 10 minutes for a pod",
          "The oldest queued task is {{ $value | humanizeDuration }} old. Are workers running and taking jobs "
          "(SyncctlNoWorkerTakingJobs), is the cluster refusing pods (SyncctlLaunchFailures)?"),
    alert("SyncctlNoWorkerTakingJobs",
          '(sum(syncctl_job_server_healthy) == 0) or absent(syncctl_job_server_healthy)', "5m", "critical",
          "No worker's job server is taking jobs",
          "No worker reports a running, heart-beating job server: nothing launches or cancels tasks. "
          "Check the worker pods, their liveness and their database connection."),
    alert("SyncctlLaunchFailures",
          # The counter of a (type, outcome, failure) appears at its first increment, which increase() cannot
          # see: a series that is new within the window counts too.
          'sum by (type) (increase(syncctl_tasks_finished_total{outcome="CREATE_FAILED"}[10m])) > 0 or '
          'sum by (type) (syncctl_tasks_finished_total{outcome="CREATE_FAILED"} '
          'unless syncctl_tasks_finished_total{outcome="CREATE_FAILED"} offset 10m)', "0m", "warning",
          "Task pods could not be created",
          "{{ $value }} {{ $labels.type }} tasks ended CREATE_FAILED in 10 minutes: the Kubernetes API refused "
          "their pod or Secret (RBAC, quota, admission). The reason is in the task's result row."),
    alert("SyncctlLaunchesRetrying",
          f'sum(rate(syncctl_launch_retries_total[{RATE}])) > 0.1', "10m", "warning",
          "Pod creation keeps failing transiently",
          "Launches are being retried ({{ $value }}/s): the Kubernetes API answers 5xx/429 or not at all."),
    alert("SyncctlFailureRateRising",
          f'sum by (failure) (rate({FAILED}[15m])) > 3 * sum by (failure) (rate({FAILED}[1d] offset 15m)) '
          f'and sum by (failure) (increase({FAILED}[15m])) >= 5', "15m", "warning",
          "Task failures of one kind are rising",
          "Failures of kind {{ $labels.failure }} run at more than three times their daily rate "
          "(out_of_memory: raise memory limits; image_pull: registry or image name; recorded: the connector's own errors)."),
    alert("SyncctlReadRunningFarLongerThanUsual",
          f'max(syncctl_running_oldest_age_seconds{{type="read"}}) > 3 * {READ_MEAN} '
          'and max(syncctl_running_oldest_age_seconds{type="read"}) > 1800', "15m", "warning",
          "A read has been running far longer than reads usually take",
          "The longest-running read pod has run {{ $value | humanizeDuration }}, over three times the mean read "
          "of the last day. It may be stuck; SYNCCTL_TASK_TIMEOUT_HOURS ends it eventually."),
    alert("SyncctlKubernetesApiErrors",
          f'sum by (operation, code) (rate(syncctl_kubernetes_api_errors_total[{RATE}])) > 0.05', "10m", "warning",
          "The Kubernetes API keeps failing the worker's calls",
          "{{ $labels.operation }} calls fail with {{ $labels.code }} ({{ $value }}/s); io means no answer."),
    alert("SyncctlDatabaseUnreachable",
          f'(min(syncctl_database_up) == 0) or (sum(rate(syncctl_requests_rejected_total{{reason="unavailable"}}[{RATE}])) > 0)',
          "2m", "critical",
          "syncctl cannot reach its PostgreSQL database",
          "Workers fail their periodic query or the api answers 503 because the database cannot take requests."),
]


def dashboard():
    panels, pid, y = [], 1, 0
    for row_title, row_panels in ROWS:
        panels.append({"id": pid, "type": "row", "title": row_title, "collapsed": False,
                       "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
        pid, y = pid + 1, y + 1
        for i, p in enumerate(row_panels):
            panels.append({
                "id": pid, "type": p["type"], "title": p["title"], "description": p["description"],
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": y + (i // 2) * 8},
                "fieldConfig": {"defaults": {"unit": p["unit"]}, "overrides": []},
                "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                            "tooltip": {"mode": "multi", "sort": "desc"}},
                "targets": [{"refId": chr(ord("A") + k), "expr": tg["expr"], "legendFormat": tg["legend"],
                             "datasource": {"type": "prometheus", "uid": "${datasource}"}}
                            for k, tg in enumerate(p["targets"])],
            })
            pid += 1
        y += ((len(row_panels) + 1) // 2) * 8
    return {
        "uid": "syncctl-overview", "title": "syncctl", "tags": ["syncctl"], "timezone": "browser",
        "editable": True, "schemaVersion": 39, "version": 1, "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [{"name": "datasource", "label": "Prometheus", "type": "datasource",
                                 "query": "prometheus", "current": {}, "hide": 0}]},
        "annotations": {"list": []},
        "panels": panels,
    }


def rule_groups():
    return {"groups": [{"name": "syncctl", "rules": RULES}]}


def prometheus_rule():
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "metadata": {"name": "syncctl", "labels": {"app.kubernetes.io/name": "syncctl"}},
            "spec": rule_groups()}


def expressions():
    for _, row_panels in ROWS:
        for p in row_panels:
            for tg in p["targets"]:
                yield tg["expr"]
    for r in RULES:
        yield r["expr"]


METRIC = re.compile(r"\b((?:syncctl|jvm|http_server|process)_[a-z0-9_]+)\b")


def metrics():
    return sorted({m for e in expressions() for m in METRIC.findall(e)})


HEADER = "# Generated by deploy/observability/generate.py: edit that script, not this file.\n"


def rendered():
    dump = lambda d: yaml.safe_dump(d, sort_keys=False, width=120, allow_unicode=True)
    return {
        "syncctl-dashboard.json": json.dumps(dashboard(), indent=2) + "\n",
        "syncctl-rules.yml": HEADER + dump(rule_groups()),
        "prometheus-rule.yaml": HEADER + dump(prometheus_rule()),
        "metrics.txt": HEADER + "".join(m + "\n" for m in metrics()),
    }


def main(argv):
    files = rendered()
    if argv[1:] == ["--metrics"]:
        sys.stdout.write("".join(m + "\n" for m in metrics()))
        return 0
    if argv[1:] == ["--check"]:
        stale = [n for n, text in files.items()
                 if not (HERE / n).exists() or (HERE / n).read_text(encoding="utf-8") != text]
        for n in stale:
            print(f"deploy/observability/{n} is not what generate.py renders; run python3 deploy/observability/generate.py")
        return 1 if stale else 0
    if argv[1:]:
        print(__doc__)
        return 2
    for n, text in files.items():
        (HERE / n).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
