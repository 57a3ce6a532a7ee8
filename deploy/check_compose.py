#!/usr/bin/env python3
"""Static checks of deploy/compose/docker-compose.yml, the override that replaces the `syncctl`
service of Jitsu's docker/docker-compose.yml by our api and worker (needs PyYAML, no Docker).

Usage: check_compose.py FILE README.md   (README.md: the main README, whose settings table is the
list of variables we document). Prints one line per check and per problem and a summary line
`compose-check: N passed, M failed`; exit status 1 when any check failed. `--list` prints the names.
"""
import re
import sys

API, WORKER = "syncctl", "syncctl-worker"

# What Jitsu's docker/docker-compose.yml (jitsucom/jitsu) sets on its `syncctl` service, by name and
# value; SYNCCTL_SYNCS_ENABLED is the Go controller's UI flag and HTTP_PORT/TERM are not ours. The
# drop-in must carry each of these over unchanged, so Jitsu's .env keeps working as it is.
JITSU = {
    "SYNCCTL_RAW_AUTH_TOKENS": "${SYNCCTL_TOKEN:-default}",
    "SYNCCTL_DATABASE_URL": "postgresql://postgres:${POSTGRES_PASSWORD:-default}@127.0.0.1:${EXTERNAL_POSTGRES_PORT:-5432}/postgres?search_path=newjitsu",
    "SYNCCTL_SIDECAR_DATABASE_URL": "postgresql://postgres:${POSTGRES_PASSWORD:-default}@${EXTERNAL_POSTGRES_HOST}:${EXTERNAL_POSTGRES_PORT:-5432}/postgres?search_path=newjitsu",
    "SYNCCTL_KUBERNETES_CLIENT_CONFIG": "${SYNCCTL_KUBERNETES_CLIENT_CONFIG:-local}",
    "SYNCCTL_KUBERNETES_CONTEXT": "${SYNCCTL_KUBERNETES_CONTEXT}",
}

# What each service cannot start without (CONTRACT section 5), plus the api's token and port.
REQUIRED = {
    API: ("SYNCCTL_DATABASE_URL", "SYNCCTL_PAYLOAD_KEY", "SYNCCTL_RAW_AUTH_TOKENS", "SYNCCTL_HTTP_PORT"),
    WORKER: ("SYNCCTL_DATABASE_URL", "SYNCCTL_PAYLOAD_KEY", "SYNCCTL_SIDECAR_IMAGE", "SYNCCTL_KUBERNETES_CLIENT_CONFIG",
             "SYNCCTL_HTTP_PORT"),
}

# Settings both services must agree on: one database, one key for stored payloads, one internal schema.
SHARED = ("SYNCCTL_DATABASE_URL", "SYNCCTL_PAYLOAD_KEY", "SYNCCTL_INTERNAL_SCHEMA")

SECRET_WORDS = ("PASSWORD", "TOKEN", "SECRET", "PAYLOAD_KEY")
INTERPOLATION = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}$")
URL_PASSWORD = re.compile(r"^[a-z]+://[^:/@]+:([^@]*)@")

CHECKS = ["yaml", "services", "documented", "jitsu-variables", "required", "shared", "secrets", "images",
          "ports", "internal-schema"]


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # the KEY=VALUE list form
        env = dict(e.split("=", 1) if "=" in e else (e, None) for e in env)
    return {str(k): ("" if v is None else str(v)) for k, v in env.items()}


def run(path, readme_path):
    try:
        import yaml
    except ImportError:
        print("compose-check: PyYAML is missing (apt-get install python3-yaml)", file=sys.stderr)
        return 2
    results = []

    def report(name, problems):
        results.append((name, problems))

    try:
        with open(path) as f:
            doc = yaml.safe_load(f)
        problems = [] if isinstance(doc, dict) and isinstance(doc.get("services"), dict) else ["no `services` mapping"]
    except yaml.YAMLError as e:
        doc, problems = None, ["does not parse: %s" % str(e).replace("\n", " ")]
    report("yaml", problems)
    if problems:
        return summary(results)
    services = doc["services"]
    report("services", ["service %s is missing" % s for s in (API, WORKER) if not isinstance(services.get(s), dict)])
    envs = {name: env_of(s) for name, s in services.items() if isinstance(s, dict)}
    api, worker = envs.get(API, {}), envs.get(WORKER, {})

    with open(readme_path) as f:
        documented = set(re.findall(r"SYNCCTL_[A-Z0-9_]*[A-Z0-9]", f.read()))
    report("documented", ["%s: %s is not a syncctl setting the README documents" % (s, k)
                          for s, env in envs.items() for k in env if k not in documented])

    problems = []
    for key, value in JITSU.items():
        carriers = [s for s, env in envs.items() if key in env]
        if not carriers:
            problems.append("%s (set by Jitsu's syncctl service) is set by no service" % key)
        problems += ["%s: %s is %r, Jitsu's file has %r" % (s, key, envs[s][key], value)
                     for s in carriers if envs[s][key] != value]
    report("jitsu-variables", problems)

    report("required", ["%s: %s is not set" % (s, k) for s, keys in REQUIRED.items() for k in keys
                        if s in envs and not envs[s].get(k)])

    report("shared", ["%s differs between %s and %s" % (k, API, WORKER) for k in SHARED
                      if k in api and k in worker and api[k] != worker[k]]
           + ["%s is set on one service only" % k for k in SHARED if (k in api) != (k in worker)])

    problems = []
    for s, env in envs.items():
        for k, v in env.items():
            if any(w in k for w in SECRET_WORDS) and not k.endswith("_IMAGE") and v and not INTERPOLATION.match(v):
                problems.append("%s: %s has a literal value; take it from .env (${...})" % (s, k))
            m = URL_PASSWORD.match(v)
            if m and not INTERPOLATION.match(m.group(1)):
                problems.append("%s: %s has a literal password" % (s, k))
    report("secrets", problems)

    problems = []
    images = [(s, "image", str(svc.get("image", ""))) for s, svc in services.items() if isinstance(svc, dict)]
    images += [(s, "SYNCCTL_SIDECAR_IMAGE", env["SYNCCTL_SIDECAR_IMAGE"]) for s, env in envs.items()
               if "SYNCCTL_SIDECAR_IMAGE" in env]
    for s, what, image in images:
        if "@sha256:" in image:
            continue
        # The tag follows the last ':' after the last '/', not counting those inside ${...}.
        masked = re.sub(r"\$\{[^}]*\}", lambda m: "v" * len(m.group(0)), image)
        colon = masked.rfind(":")
        tag = image[colon + 1:] if colon > masked.rfind("/") else ""
        if not tag or tag == "latest":
            problems.append("%s: %s %r has no pinned tag" % (s, what, image))
        elif tag.startswith("${") and ":?" not in tag:
            problems.append("%s: %s %r: its tag variable needs a `:?` error when unset (no silent default)" % (s, what, image))
    report("images", problems)

    problems = []
    host = [s for s, svc in services.items() if isinstance(svc, dict) and svc.get("network_mode") == "host"]
    ports = {}
    for s in host:
        ports.setdefault(envs[s].get("SYNCCTL_HTTP_PORT", "3043"), []).append(s)
    problems += ["%s share host port %s (SYNCCTL_HTTP_PORT)" % (" and ".join(v), k) for k, v in ports.items() if len(v) > 1]
    if API in services and services[API].get("network_mode") != "host":
        problems.append("%s must use the host network, as Jitsu's syncctl service does" % API)
    report("ports", problems)

    problems = []
    for s in (API, WORKER):
        schema = envs.get(s, {}).get("SYNCCTL_INTERNAL_SCHEMA", "")
        url = envs.get(s, {}).get("SYNCCTL_DATABASE_URL", "")
        results_schema = (re.findall(r"search_path=([^&]+)", url) or ["public"])[0]
        if not schema:
            problems.append("%s: SYNCCTL_INTERNAL_SCHEMA is not set" % s)
        elif schema == results_schema:
            problems.append("%s: SYNCCTL_INTERNAL_SCHEMA is the console's schema %s, which its schema push empties"
                            % (s, schema))
    report("internal-schema", problems)
    return summary(results)


def summary(results):
    failed = 0
    for name, problems in results:
        if problems:
            failed += 1
            for p in problems:
                print("FAIL %s: %s" % (name, p))
        else:
            print("ok   %s" % name)
    print("compose-check: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        print("\n".join(CHECKS))
        sys.exit(0)
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(run(sys.argv[1], sys.argv[2]))
