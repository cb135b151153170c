#!/usr/bin/env python3
"""make k8s-check: the manifests of deploy/kubernetes, offline.

1. Every resource kustomization.yaml lists (and no other YAML file there) validates against the
   Kubernetes 1.33 schemas that kubernetes-validate ships, in strict mode (unknown fields fail).
2. What the schemas cannot say: every container runs non-root (uid 10001) with a read-only root
   filesystem, no privilege escalation, all capabilities dropped and seccomp RuntimeDefault; has
   CPU and memory requests and limits; its probes use ports it declares (the admin port, which is
   POOLSERVE_ADMIN_PORT); the grace period exceeds preStop + POOLSERVE_DRAIN_TIMEOUT + 1 s; the
   memory budget POOLSERVE_MAX_INFLIGHT_BYTES leaves room below the memory limit; the Service, the
   HPA and the PDB select the Deployment's pods; Prometheus is told the admin port.

Usage: k8s-check.py [DIR]   (default deploy/kubernetes; exit 1 on any failed check)"""
import os, re, sys

import kubernetes_validate
import yaml

KUBERNETES = "1.33.0"
UID = 10001
# Below the memory limit the budget must leave the idle process (17-23 MiB measured),
# libmicrohttpd's 64 KiB per connection at 1,024 connections (64 MiB) and allocator slack.
MIN_HEADROOM = 128 << 20
DEFAULT_DRAIN_TIMEOUT = 10

directory = sys.argv[1] if len(sys.argv) > 1 else "deploy/kubernetes"
passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    print(("ok    " if ok else "FAIL  ") + what)
    if ok:
        passed += 1
    else:
        failed += 1
    return ok


def memory_bytes(quantity):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?", str(quantity))
    if not m:
        raise ValueError("memory quantity %r" % quantity)
    scale = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
             "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40}[m.group(2)]
    return int(float(m.group(1)) * scale)


def cpu_cores(quantity):
    q = str(quantity)
    return int(q[:-1]) / 1000 if q.endswith("m") else float(q)


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def load():
    with open(os.path.join(directory, "kustomization.yaml")) as f:
        kustomization = yaml.safe_load(f)
    listed = kustomization.get("resources", [])
    present = sorted(n for n in os.listdir(directory) if n.endswith((".yaml", ".yml")) and n != "kustomization.yaml")
    check(sorted(listed) == present, "kustomization.yaml lists every manifest here: %s" % ", ".join(listed))
    check(any(i.get("name") == "poolserve" for i in kustomization.get("images", [])),
          "kustomization.yaml has an images: entry for poolserve (the operator's image)")
    documents = []
    for name in listed:
        with open(os.path.join(directory, name)) as f:
            for doc in yaml.safe_load_all(f):
                if doc:
                    documents.append((name, doc))
    return documents


def schema(documents):
    for name, doc in documents:
        what = "%s: %s/%s valid against the Kubernetes %s schemas (strict)" % (
            name, doc.get("kind"), doc.get("metadata", {}).get("name"), KUBERNETES)
        try:
            kubernetes_validate.validate(doc, KUBERNETES, strict=True)
            check(True, what)
        except kubernetes_validate.ValidationError as e:
            check(False, "%s: %s at %s" % (what, e.message, ".".join(str(p) for p in e.path)))


def container_checks(pod, c, annotations):
    name = "container %s" % c["name"]
    pod_sc, sc = pod.get("securityContext", {}), c.get("securityContext", {})
    effective = lambda key: sc.get(key, pod_sc.get(key))
    check(effective("runAsNonRoot") is True, "%s: runAsNonRoot" % name)
    check(effective("runAsUser") == UID, "%s: runs as uid %d (the Dockerfile's user)" % (name, UID))
    check(sc.get("readOnlyRootFilesystem") is True, "%s: readOnlyRootFilesystem" % name)
    check(sc.get("allowPrivilegeEscalation") is False, "%s: allowPrivilegeEscalation false" % name)
    check(sc.get("privileged") is not True, "%s: not privileged" % name)
    caps = sc.get("capabilities", {})
    check("ALL" in caps.get("drop", []) and not caps.get("add"), "%s: all capabilities dropped, none added" % name)
    check((effective("seccompProfile") or {}).get("type") == "RuntimeDefault", "%s: seccomp RuntimeDefault" % name)

    res = c.get("resources", {})
    have = all(res.get(kind, {}).get(r) for kind in ("requests", "limits") for r in ("cpu", "memory"))
    if not check(have, "%s: cpu and memory requests and limits" % name):
        return

    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
    numbers = set(ports.values())
    check(env.get("POOLSERVE_HOST") == "0.0.0.0", "%s: POOLSERVE_HOST=0.0.0.0 (reachable from outside the pod)" % name)
    check(env.get("POOLSERVE_PORT") is not None and int(env["POOLSERVE_PORT"]) == ports.get("http"),
          "%s: POOLSERVE_PORT is the port named http" % name)
    admin = env.get("POOLSERVE_ADMIN_PORT")
    check(admin is not None and int(admin) == ports.get("admin") and int(admin) != ports.get("http"),
          "%s: POOLSERVE_ADMIN_PORT is the port named admin, apart from http" % name)
    threads = env.get("POOLSERVE_THREADS")
    check(threads is not None and int(threads) == max(1, round(cpu_cores(res["limits"]["cpu"]))),
          "%s: POOLSERVE_THREADS matches the CPU limit (the default would be the node's core count)" % name)

    # Readiness: a grpc probe on the gRPC listener when the pod serves gRPC, else GET /readyz.
    grpc_port = env.get("POOLSERVE_GRPC_PORT")
    if grpc_port is not None:
        check(int(grpc_port) == ports.get("grpc"), "%s: POOLSERVE_GRPC_PORT is the port named grpc" % name)
        probe = c.get("readinessProbe", {}).get("grpc")
        check(probe is not None and probe.get("port") == int(grpc_port) and probe.get("service", "") in ("", "inference.GRPCInferenceService"),
              "%s: readinessProbe is a grpc probe of the gRPC port (grpc.health.v1 Check)" % name)
    http_probes = (("startupProbe", "/healthz"), ("livenessProbe", "/healthz")) + (() if grpc_port is not None else (("readinessProbe", "/readyz"),))
    for probe, path in http_probes:
        get = c.get(probe, {}).get("httpGet")
        if not check(get is not None and get.get("path") == path, "%s: %s is GET %s" % (name, probe, path)):
            continue
        port = get.get("port")
        number = ports.get(port) if isinstance(port, str) else port
        check(number in numbers, "%s: %s port %s is a declared container port" % (name, probe, port))
        check(number == ports.get("admin"), "%s: %s on the admin port (not behind busy API workers)" % (name, probe))

    limit = memory_bytes(res["limits"]["memory"])
    budget = env.get("POOLSERVE_MAX_INFLIGHT_BYTES")
    check(budget is not None and 0 < int(budget) <= limit - MIN_HEADROOM,
          "%s: POOLSERVE_MAX_INFLIGHT_BYTES=%s at most the memory limit %d less %d MiB for the idle process" % (
              name, budget, limit, MIN_HEADROOM >> 20))
    check(memory_bytes(res["requests"]["memory"]) == limit,
          "%s: memory request = limit (the budget is sized to the limit; no overcommit)" % name)

    stop = c.get("lifecycle", {}).get("preStop", {})
    if check("sleep" in stop, "%s: preStop sleeps (lifecycle.preStop.sleep) before SIGTERM" % name):
        sleep = stop["sleep"]["seconds"]
        drain = float(env.get("POOLSERVE_DRAIN_TIMEOUT", DEFAULT_DRAIN_TIMEOUT))
        grace = pod.get("terminationGracePeriodSeconds", 30)
        check(grace > sleep + drain + 1, "%s: terminationGracePeriodSeconds %s > preStop %s + drain timeout %g + 1" % (
            name, grace, sleep, drain))

    check(annotations.get("prometheus.io/scrape") == "true" and annotations.get("prometheus.io/port") == admin
          and annotations.get("prometheus.io/path", "/metrics") == "/metrics",
          "%s: Prometheus scrape annotations on the admin port" % name)


def deployment_checks(documents):
    kinds = {}
    for _, doc in documents:
        kinds.setdefault(doc["kind"], []).append(doc)
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        check(len(kinds.get(kind, [])) == 1, "one %s" % kind)
    if len(kinds.get("Deployment", [])) != 1:
        return
    deployment = kinds["Deployment"][0]
    template = deployment["spec"]["template"]
    pod, labels = template["spec"], template["metadata"].get("labels", {})
    annotations = template["metadata"].get("annotations", {})
    check(selects(deployment["spec"]["selector"], labels), "Deployment: its selector matches its pod labels")
    check(pod.get("enableServiceLinks") is False,
          "pod: enableServiceLinks false (a Service named poolserve would inject POOLSERVE_PORT=tcp://...)")
    check(pod.get("automountServiceAccountToken") is False, "pod: no service account token (it needs no API)")
    rolling = deployment["spec"].get("strategy", {}).get("rollingUpdate", {})
    check(rolling.get("maxUnavailable") == 0, "Deployment: rolling updates keep every pod until its successor is ready")
    for c in pod.get("initContainers", []) + pod["containers"]:
        container_checks(pod, c, annotations)

    names = {p.get("name") for c in pod["containers"] for p in c.get("ports", [])}
    numbers = {p["containerPort"] for c in pod["containers"] for p in c.get("ports", [])}
    for service in kinds.get("Service", []):
        check(selects({"matchLabels": service["spec"].get("selector", {})}, labels), "Service: selects the pods")
        for p in service["spec"]["ports"]:
            target = p.get("targetPort", p["port"])
            check(target in names if isinstance(target, str) else target in numbers,
                  "Service: port %s targets a container port (%s)" % (p["port"], target))
    for hpa in kinds.get("HorizontalPodAutoscaler", []):
        ref = hpa["spec"]["scaleTargetRef"]
        check(ref["kind"] == "Deployment" and ref["name"] == deployment["metadata"]["name"],
              "HorizontalPodAutoscaler: scales the Deployment")
        check(any(m["type"] == "Resource" and m["resource"]["name"] == "cpu"
                  and m["resource"]["target"]["type"] == "Utilization" for m in hpa["spec"].get("metrics", [])),
              "HorizontalPodAutoscaler: on CPU utilisation")
        check(hpa["spec"].get("minReplicas", 1) >= 2, "HorizontalPodAutoscaler: at least 2 replicas")
    for pdb in kinds.get("PodDisruptionBudget", []):
        check(selects(pdb["spec"]["selector"], labels), "PodDisruptionBudget: selects the pods")
        check(pdb["spec"].get("maxUnavailable") == 1 or pdb["spec"].get("minAvailable") == 1,
              "PodDisruptionBudget: one pod at a time")


documents = load()
schema(documents)
deployment_checks(documents)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
