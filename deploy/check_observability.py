#!/usr/bin/env python3
"""Static checks of the Grafana dashboard and the Prometheus rules in a directory (by default
deploy/observability): syncctl-dashboard.json, syncctl-rules.yml, prometheus-rule.yaml.
Needs python3 with PyYAML and promtool (Debian package `prometheus`); no server, no network.

  check_observability.py [DIR]   prints `PASS name` / `FAIL name: problem` per check, exits 1 on a failure
  check_observability.py --list  the names of the checks
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CHECKS = ["generated", "dashboard-json", "dashboard-panels", "dashboard-queries", "rules-promtool",
          "rules-annotated", "prometheus-rule"]
SEVERITIES = {"critical", "warning", "info"}


def load_dashboard(d):
    try:
        return json.loads((d / "syncctl-dashboard.json").read_text(encoding="utf-8")), None
    except (OSError, ValueError) as e:
        return None, str(e)


def load_yaml(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), None
    except (OSError, yaml.YAMLError) as e:
        return None, str(e).replace("\n", " ")


def query_panels(dash):
    return [p for p in dash.get("panels", []) if isinstance(p, dict) and p.get("type") != "row"]


def promtool(groups):
    """promtool's complaints about a rules document, or [] if it accepts it."""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump(groups, f)
    try:
        r = subprocess.run(["promtool", "check", "rules", f.name], capture_output=True, text=True)
    finally:
        Path(f.name).unlink()
    if r.returncode == 0:
        return []
    lines = [l.strip() for l in (r.stdout + r.stderr).splitlines() if l.strip() and not l.startswith("Checking")]
    return lines or [f"promtool exited {r.returncode}"]


def check(d, default_dir):
    results = {}
    if default_dir:
        r = subprocess.run([sys.executable, str(d / "generate.py"), "--check"], capture_output=True, text=True)
        results["generated"] = [] if r.returncode == 0 else [(r.stdout + r.stderr).strip()]

    dash, err = load_dashboard(d)
    results["dashboard-json"] = [f"syncctl-dashboard.json is not JSON: {err}"] if err else (
        [] if isinstance(dash, dict) and isinstance(dash.get("panels"), list) and dash.get("uid") and dash.get("title")
        else ["syncctl-dashboard.json needs uid, title and a list of panels"])
    if err or results["dashboard-json"]:
        results["dashboard-panels"] = results["dashboard-queries"] = ["no dashboard to check"]
    else:
        problems, ids = [], set()
        for p in dash["panels"]:
            pid = p.get("id")
            if pid in ids:
                problems.append(f"panel id {pid} is used twice")
            ids.add(pid)
        for p in query_panels(dash):
            title = p.get("title") or f"panel {p.get('id')}"
            if not p.get("title"):
                problems.append(f"panel {p.get('id')} has no title")
            ds = (p.get("datasource") or {}).get("uid")
            if ds != "${datasource}":
                problems.append(f"{title}: datasource must be the ${{datasource}} variable, not {ds!r}")
            targets = p.get("targets") or []
            if not targets or any(not (t.get("expr") or "").strip() for t in targets):
                problems.append(f"{title}: every panel needs queries, each with an expr")
        results["dashboard-panels"] = problems
        # Every query as a recording rule, so promtool parses the dashboard's PromQL too.
        rules = [{"record": f"dashboard:panel_{p.get('id')}_{i}", "expr": t["expr"]}
                 for p in query_panels(dash) for i, t in enumerate(p.get("targets") or []) if (t.get("expr") or "").strip()]
        results["dashboard-queries"] = promtool({"groups": [{"name": "dashboard", "rules": rules}]}) if rules else []

    plain, err = load_yaml(d / "syncctl-rules.yml")
    if err or not isinstance(plain, dict) or not isinstance(plain.get("groups"), list):
        results["rules-promtool"] = [f"syncctl-rules.yml is no rules file: {err or 'no groups'}"]
        results["rules-annotated"] = ["no rules to check"]
        plain = None
    else:
        results["rules-promtool"] = promtool(plain)
        problems = []
        for g in plain["groups"]:
            for r in g.get("rules") or []:
                name = r.get("alert") or r.get("record")
                if "alert" not in r:
                    continue
                if (r.get("labels") or {}).get("severity") not in SEVERITIES:
                    problems.append(f"{name}: label severity must be one of {sorted(SEVERITIES)}")
                ann = r.get("annotations") or {}
                if not ann.get("summary") or not ann.get("description"):
                    problems.append(f"{name}: annotations summary and description are required")
                if "for" not in r:
                    problems.append(f"{name}: say how long the condition must hold (for:)")
        results["rules-annotated"] = problems

    rule, err = load_yaml(d / "prometheus-rule.yaml")
    problems = []
    if err or not isinstance(rule, dict):
        problems.append(f"prometheus-rule.yaml is not YAML: {err}")
    else:
        if rule.get("apiVersion") != "monitoring.coreos.com/v1" or rule.get("kind") != "PrometheusRule":
            problems.append("prometheus-rule.yaml must be a monitoring.coreos.com/v1 PrometheusRule")
        if not re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", str((rule.get("metadata") or {}).get("name", ""))):
            problems.append("prometheus-rule.yaml needs a valid metadata.name")
        if plain is not None and (rule.get("spec") or {}).get("groups") != plain["groups"]:
            problems.append("the PrometheusRule's spec.groups differ from syncctl-rules.yml")
    results["prometheus-rule"] = problems
    return results


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(CHECKS))
        return 0
    d = Path(argv[1]).resolve() if len(argv) > 1 else HERE / "observability"
    results = check(d, d == (HERE / "observability").resolve())
    failed = 0
    for name in CHECKS:
        if name not in results:
            continue
        if results[name]:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(results[name]))
        else:
            print(f"PASS {name}")
    print(f"observability-check: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
