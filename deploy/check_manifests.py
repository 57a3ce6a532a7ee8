#!/usr/bin/env python3
"""Static checks of rendered syncctl Kubernetes manifests (standard library only).

Reads the manifests as a stream of JSON objects on stdin (check.sh turns the rendered YAML into
JSON with kubectl, offline), runs every check below, prints one line per check and per problem,
and a summary line `deploy-check: N passed, M failed`. Exit status 1 when any check failed.
`--list` prints the check names (the self-test expects each of them to reject testdata/bad.yaml).
"""
import base64
import json
import sys

# What the worker may do in the task namespace, as (apiGroup, resource, verb): CONTRACT section 3
# and deploy/k8s/base/worker-rbac.yaml. A Role must grant exactly this, nothing more or less.
WORKER_PERMISSIONS = frozenset(
    [("", "pods", v) for v in ("create", "get", "list", "watch", "delete")]
    + [("", "pods/log", "get")]
    + [("", "secrets", v) for v in ("create", "get", "delete")]
)

# Long-running workloads: their containers need probes and must not be restarted blindly.
SERVING_KINDS = {"Deployment", "StatefulSet", "DaemonSet"}

# Environment names whose value is a secret: they come from a Secret, never as a literal.
SECRET_ENV_WORDS = ("PASSWORD", "TOKEN", "SECRET", "PAYLOAD_KEY", "DATABASE_URL")

# Settings that name an image and so must be pinned like container images.
IMAGE_SETTINGS = ("SYNCCTL_SIDECAR_IMAGE",)

# What the example settings use for "fill this in"; api and worker refuse to start on it.
PLACEHOLDER = "CHANGE_ME"

# The labels of task pods (worker: TaskLabels.SELECTOR): no NetworkPolicy may let them in anywhere.
TASK_POD_LABELS = {"app.kubernetes.io/name": "syncctl-task", "app.kubernetes.io/managed-by": "syncctl"}

# What the quota of the task namespace must bound, and what the LimitRange must default.
QUOTA_KEYS = ("pods", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
LIMIT_DEFAULTS = ("cpu", "memory")


def load(text):
    """The objects of a stream of JSON values, with `List` objects flattened."""
    decoder, objects, pos = json.JSONDecoder(), [], 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return objects
        value, pos = decoder.raw_decode(text, pos)
        items = value.get("items", []) if isinstance(value, dict) and value.get("kind") == "List" else [value]
        objects.extend(items)


def ref(obj):
    meta = obj.get("metadata") or {}
    return "%s/%s" % (obj.get("kind", "?"), meta.get("name", "?"))


def pod_spec(obj):
    """The pod spec an object runs, or None."""
    spec = obj.get("spec") or {}
    kind = obj.get("kind")
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    return ((spec.get("template") or {}).get("spec")) if "template" in spec else None


def workloads(objects):
    """(object, pod spec) for every object that runs pods."""
    return [(o, s) for o in objects for s in [pod_spec(o)] if s is not None]


def containers(spec, include_init=True):
    kinds = ("initContainers", "containers", "ephemeralContainers") if include_init else ("containers",)
    return [c for k in kinds for c in spec.get(k) or []]


def where(obj, container):
    return '%s container "%s"' % (ref(obj), container.get("name", "?"))


def pod_labels(obj):
    if obj.get("kind") == "Pod":
        return (obj.get("metadata") or {}).get("labels") or {}
    return (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def secret_values(secret):
    """A Secret's values as text: `data` is base64, `stringData` plain."""
    values = {k: base64.b64decode(v or "").decode("utf-8", "replace") for k, v in (secret.get("data") or {}).items()}
    values.update(secret.get("stringData") or {})
    return values


def image_problem(image):
    """Why an image reference is not pinned, or None. Pinned = an explicit tag other than latest, or a digest."""
    if not image:
        return "has no image"
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return 'image "%s" has no tag (it would mean latest)' % image
    if last.rsplit(":", 1)[1] == "latest":
        return 'image "%s" uses the floating tag latest' % image
    return None


# ---- checks: each takes all objects and returns a list of problems ----

def check_objects(objects):
    if not objects:
        return ["no objects rendered"]
    problems = []
    for i, o in enumerate(objects, 1):
        if not isinstance(o, dict):
            problems.append("document %d is not an object" % i)
            continue
        missing = [f for f, v in (("apiVersion", o.get("apiVersion")), ("kind", o.get("kind")),
                                  ("metadata.name", (o.get("metadata") or {}).get("name"))) if not v]
        if missing:
            problems.append("document %d (%s) lacks %s" % (i, ref(o), ", ".join(missing)))
    return problems


def check_images_pinned(objects):
    problems = []
    for o, spec in workloads(objects):
        for c in containers(spec):
            why = image_problem(c.get("image"))
            if why:
                problems.append("%s: %s" % (where(o, c), why))
    for o in objects:
        if o.get("kind") == "Secret":
            for name, value in secret_values(o).items():
                if name in IMAGE_SETTINGS:
                    why = image_problem(value.strip())
                    if why:
                        problems.append("%s %s: %s" % (ref(o), name, why))
    return problems


def check_probes(objects):
    problems = []
    for o, spec in workloads(objects):
        if o.get("kind") in SERVING_KINDS:
            for c in containers(spec, include_init=False):
                for probe in ("livenessProbe", "readinessProbe"):
                    if not c.get(probe):
                        problems.append("%s has no %s" % (where(o, c), probe))
    return problems


def check_resources(objects):
    problems = []
    for o, spec in workloads(objects):
        for c in containers(spec):
            res = c.get("resources") or {}
            for bound in ("requests", "limits"):
                for r in ("cpu", "memory"):
                    if not (res.get(bound) or {}).get(r):
                        problems.append("%s has no %s.%s" % (where(o, c), bound, r))
    return problems


def check_not_privileged(objects):
    problems = []
    for o, spec in workloads(objects):
        for c in containers(spec):
            sc = c.get("securityContext") or {}
            if sc.get("privileged") is True:
                problems.append("%s is privileged" % where(o, c))
            if sc.get("allowPrivilegeEscalation") is not False:
                # Unset means allowed, so it must be false explicitly.
                problems.append("%s does not set allowPrivilegeEscalation: false" % where(o, c))
            caps = sc.get("capabilities") or {}
            if "ALL" not in (caps.get("drop") or []):
                problems.append("%s does not drop ALL capabilities" % where(o, c))
            if caps.get("add"):
                problems.append("%s adds capabilities %s" % (where(o, c), caps["add"]))
    return problems


def check_non_root(objects):
    problems = []
    for o, spec in workloads(objects):
        pod_sc = spec.get("securityContext") or {}
        for c in containers(spec):
            sc = c.get("securityContext") or {}
            non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
            user = sc.get("runAsUser", pod_sc.get("runAsUser"))
            if non_root is not True:
                problems.append("%s does not set runAsNonRoot: true" % where(o, c))
            if user == 0:
                problems.append("%s runs as uid 0" % where(o, c))
    return problems


def check_read_only_root(objects):
    problems = []
    for o, spec in workloads(objects):
        for c in containers(spec):
            if (c.get("securityContext") or {}).get("readOnlyRootFilesystem") is not True:
                problems.append("%s has a writable root filesystem" % where(o, c))
    return problems


def check_host_isolation(objects):
    problems = []
    for o, spec in workloads(objects):
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(field) is True:
                problems.append("%s sets %s" % (ref(o), field))
        for v in spec.get("volumes") or []:
            if "hostPath" in v:
                problems.append('%s mounts hostPath volume "%s"' % (ref(o), v.get("name", "?")))
        for c in containers(spec):
            for p in c.get("ports") or []:
                if p.get("hostPort"):
                    problems.append("%s binds hostPort %s" % (where(o, c), p["hostPort"]))
    return problems


def check_rbac_namespaced(objects):
    problems = ["%s: cluster-wide RBAC is not allowed" % ref(o)
                for o in objects if o.get("kind") in ("ClusterRole", "ClusterRoleBinding")]
    roles = {(o.get("metadata") or {}).get("name") for o in objects if o.get("kind") == "Role"}
    for b in objects:
        if b.get("kind") == "RoleBinding":
            role_ref = b.get("roleRef") or {}
            if role_ref.get("kind") != "Role":
                problems.append("%s binds a %s" % (ref(b), role_ref.get("kind")))
            elif role_ref.get("name") not in roles:
                problems.append('%s binds Role "%s", which is not in the manifests' % (ref(b), role_ref.get("name")))
            for s in b.get("subjects") or []:
                if s.get("kind") != "ServiceAccount":
                    problems.append("%s binds a %s (only service accounts)" % (ref(b), s.get("kind")))
    return problems


def check_rbac_rules(objects):
    problems = []
    for role in objects:
        if role.get("kind") not in ("Role", "ClusterRole"):
            continue
        granted = set()
        for rule in role.get("rules") or []:
            if rule.get("nonResourceURLs"):
                problems.append("%s grants non-resource URLs %s" % (ref(role), rule["nonResourceURLs"]))
            granted.update((g, r, v) for g in rule.get("apiGroups") or [] for r in rule.get("resources") or []
                           for v in rule.get("verbs") or [])
        extra = sorted(granted - WORKER_PERMISSIONS)
        missing = sorted(WORKER_PERMISSIONS - granted)
        if extra:
            problems.append("%s grants more than the worker needs: %s" % (ref(role), fmt(extra)))
        if missing:
            problems.append("%s lacks what the worker needs: %s" % (ref(role), fmt(missing)))
    return problems


def fmt(triples):
    return ", ".join("%s %s%s" % (v, g + "/" if g else "", r) for g, r, v in triples)


def check_service_tokens(objects):
    """Pods whose account has no RoleBinding have no use for a token, so it must not be mounted."""
    bound = {s.get("name") for b in objects if b.get("kind") == "RoleBinding" for s in b.get("subjects") or []
             if s.get("kind") == "ServiceAccount"}
    accounts = {(o.get("metadata") or {}).get("name"): o for o in objects if o.get("kind") == "ServiceAccount"}
    problems = []
    for o, spec in workloads(objects):
        account = spec.get("serviceAccountName") or "default"
        if account in bound:
            continue
        mount = spec.get("automountServiceAccountToken", (accounts.get(account) or {}).get("automountServiceAccountToken"))
        if mount is not False:
            problems.append('%s mounts a token of service account "%s", which has no role' % (ref(o), account))
    return problems


def check_settings(objects):
    """Settings come from Secrets/ConfigMaps present in the output, secret-looking values are never
    literal, and no Service link variables can shadow them."""
    present = {(o.get("kind"), (o.get("metadata") or {}).get("name")) for o in objects}
    problems = []
    for o, spec in workloads(objects):
        if spec.get("enableServiceLinks") is not False:
            # Service links add <SERVICE>_PORT=tcp://... variables: syncctl-dashboard would set
            # SYNCCTL_DASHBOARD_PORT, a real setting, whenever the Secret does not.
            problems.append("%s does not set enableServiceLinks: false" % ref(o))
        for c in containers(spec):
            for src in c.get("envFrom") or []:
                for key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                    name = (src.get(key) or {}).get("name")
                    if name and not (src.get(key) or {}).get("optional") and (kind, name) not in present:
                        problems.append('%s reads %s "%s", which is not in the manifests' % (where(o, c), kind, name))
            for e in c.get("env") or []:
                if "value" in e and any(w in e.get("name", "").upper() for w in SECRET_ENV_WORDS):
                    problems.append("%s sets %s as a literal value" % (where(o, c), e.get("name")))
    return problems


def check_placeholders(objects):
    """No setting still holds the example's placeholder, and no secret-looking setting is empty."""
    problems = []
    for o in objects:
        if o.get("kind") in ("Secret", "ConfigMap"):
            values = secret_values(o) if o.get("kind") == "Secret" else dict(o.get("data") or {})
            for name, value in sorted(values.items()):
                if PLACEHOLDER in str(value).upper():
                    problems.append("%s %s holds the placeholder %s" % (ref(o), name, PLACEHOLDER))
                elif any(w in name.upper() for w in SECRET_ENV_WORDS) and not str(value).strip():
                    problems.append("%s %s is empty (remove it, or set a real value)" % (ref(o), name))
                elif name.upper().endswith(("_TOKENS", "TOKEN_SECRET")) and any(not t.strip() for t in str(value).split(",")):
                    problems.append("%s %s has an empty entry" % (ref(o), name))
    for o, spec in workloads(objects):
        for c in containers(spec):
            for e in c.get("env") or []:
                if PLACEHOLDER in str(e.get("value", "")).upper():
                    problems.append("%s sets %s to the placeholder %s" % (where(o, c), e.get("name"), PLACEHOLDER))
    return problems


def namespace(obj):
    return (obj.get("metadata") or {}).get("namespace")


def selects(selector, labels):
    """Whether a LabelSelector (matchLabels and matchExpressions) selects these labels."""
    selector = selector or {}
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e.get("key"), e.get("operator"), e.get("values") or []
        if (op == "In" and labels.get(key) not in values) or (op == "NotIn" and labels.get(key) in values) \
                or (op == "Exists" and key not in labels) or (op == "DoesNotExist" and key in labels):
            return False
    return True


def is_empty_selector(selector):
    return selector is not None and not (selector.get("matchLabels") or selector.get("matchExpressions"))


def check_network_policies(objects):
    """Every namespace with workloads denies ingress by default; each allowing rule names its sources and
    ports, never every pod or every address, and never the task pods."""
    policies = [o for o in objects if o.get("kind") == "NetworkPolicy"]
    problems = []
    spaces = {namespace(o) for o, _ in workloads(objects)}
    for ns in sorted(spaces, key=str):
        denies = [p for p in policies if namespace(p) == ns and is_empty_selector((p.get("spec") or {}).get("podSelector", {}))
                  and "Ingress" in ((p.get("spec") or {}).get("policyTypes") or [])
                  and not (p.get("spec") or {}).get("ingress")]
        if not denies:
            problems.append("namespace %s has no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], "
                            "no rules): task pods could reach api, worker and dashboard" % (ns or "(unset)"))
    for p in policies:
        for i, rule in enumerate((p.get("spec") or {}).get("ingress") or [], 1):
            sources = rule.get("from")
            if not sources:
                problems.append("%s ingress rule %d allows every source" % (ref(p), i))
            if not rule.get("ports"):
                problems.append("%s ingress rule %d allows every port" % (ref(p), i))
            for peer in sources or []:
                pods, spaces_sel, block = peer.get("podSelector"), peer.get("namespaceSelector"), peer.get("ipBlock")
                if block and block.get("cidr") in ("0.0.0.0/0", "::/0"):
                    problems.append("%s ingress rule %d allows every address (%s)" % (ref(p), i, block.get("cidr")))
                if is_empty_selector(spaces_sel) and (pods is None or is_empty_selector(pods)):
                    problems.append("%s ingress rule %d allows every pod of every namespace" % (ref(p), i))
                elif spaces_sel is None and pods is not None and selects(pods, TASK_POD_LABELS):
                    problems.append("%s ingress rule %d allows task pods (%s)" % (
                        ref(p), i, "every pod of its namespace" if is_empty_selector(pods) else "their labels match"))
    return problems


def check_quota(objects):
    """The namespace where task pods run has a ResourceQuota bounding pods, CPU and memory, and a LimitRange
    that gives containers without resources default requests and limits."""
    problems = []
    spaces = {namespace(o) for o, _ in workloads(objects)}
    for ns in sorted(spaces, key=str):
        where_ns = "namespace %s" % (ns or "(unset)")
        quotas = [o for o in objects if o.get("kind") == "ResourceQuota" and namespace(o) == ns]
        hard = {k for q in quotas for k in ((q.get("spec") or {}).get("hard") or {})}
        if not quotas:
            problems.append("%s has no ResourceQuota: task pods can take the whole cluster" % where_ns)
        elif any(k not in hard for k in QUOTA_KEYS):
            problems.append("%s: the ResourceQuota does not bound %s" % (where_ns, ", ".join(k for k in QUOTA_KEYS if k not in hard)))
        ranges = [o for o in objects if o.get("kind") == "LimitRange" and namespace(o) == ns]
        items = [l for r in ranges for l in ((r.get("spec") or {}).get("limits") or []) if l.get("type") == "Container"]
        missing = ["%s.%s" % (f, r) for f in ("defaultRequest", "default") for r in LIMIT_DEFAULTS
                   if not any((l.get(f) or {}).get(r) for l in items)]
        if not items:
            problems.append("%s has no LimitRange for containers" % where_ns)
        elif missing:
            problems.append("%s: the LimitRange sets no %s" % (where_ns, ", ".join(missing)))
    return problems


def check_seccomp(objects):
    """Every container runs under the runtime's seccomp profile (or a Localhost one), set on the pod or itself."""
    problems = []
    for o, spec in workloads(objects):
        pod_profile = ((spec.get("securityContext") or {}).get("seccompProfile") or {}).get("type")
        for c in containers(spec):
            profile = (((c.get("securityContext") or {}).get("seccompProfile") or {}).get("type")) or pod_profile
            if profile not in ("RuntimeDefault", "Localhost"):
                problems.append("%s runs without a seccomp profile (%s)" % (where(o, c), profile or "unset"))
    return problems


def check_references(objects):
    """Services, autoscalers and disruption budgets point at workloads that exist."""
    loads = workloads(objects)
    named = {(o.get("kind"), (o.get("metadata") or {}).get("name")) for o, _ in loads}
    problems = []

    def selected(selector):
        return [(o, s) for o, s in loads if selector and all(pod_labels(o).get(k) == v for k, v in selector.items())]

    for o in objects:
        kind, spec = o.get("kind"), o.get("spec") or {}
        if kind == "Service" and spec.get("selector"):
            matches = selected(spec["selector"])
            if not matches:
                problems.append("%s selects no workload" % ref(o))
            port_names = {p.get("name") for _, s in matches for c in containers(s, False) for p in c.get("ports") or []}
            for p in spec.get("ports") or []:
                target = p.get("targetPort")
                if matches and isinstance(target, str) and target not in port_names:
                    problems.append('%s targets port "%s", which its pods do not name' % (ref(o), target))
        elif kind == "PodDisruptionBudget":
            if not selected((spec.get("selector") or {}).get("matchLabels")):
                problems.append("%s selects no workload" % ref(o))
        elif kind == "HorizontalPodAutoscaler":
            target = spec.get("scaleTargetRef") or {}
            if (target.get("kind"), target.get("name")) not in named:
                problems.append("%s scales %s/%s, which is not in the manifests" % (ref(o), target.get("kind"), target.get("name")))
    return problems


CHECKS = [
    ("objects", check_objects),
    ("images-pinned", check_images_pinned),
    ("probes", check_probes),
    ("resources", check_resources),
    ("not-privileged", check_not_privileged),
    ("non-root", check_non_root),
    ("read-only-root", check_read_only_root),
    ("host-isolation", check_host_isolation),
    ("rbac-namespaced", check_rbac_namespaced),
    ("rbac-rules", check_rbac_rules),
    ("service-tokens", check_service_tokens),
    ("settings", check_settings),
    ("references", check_references),
    ("placeholders", check_placeholders),
    ("network-policies", check_network_policies),
    ("quota", check_quota),
    ("seccomp", check_seccomp),
]


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(name for name, _ in CHECKS))
        return 0
    try:
        objects = load(sys.stdin.read())
    except ValueError as e:
        objects, load_error = None, str(e)
    passed = failed = 0
    for name, check in CHECKS:
        if objects is None:
            problems = ["the manifests are not a JSON stream: %s" % load_error] if name == "objects" else ["skipped"]
        else:
            problems = check([o for o in objects if isinstance(o, dict)] if name != "objects" else objects)
        if problems:
            failed += 1
            for p in problems:
                print("FAIL %s: %s" % (name, p))
        else:
            passed += 1
            print("ok   %s" % name)
    print("deploy-check: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
