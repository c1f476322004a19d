#!/usr/bin/env python3
"""Checks the deployment files without Docker or a cluster (CI has neither).

- docker-compose.yml, alone and with docker-compose.postgres.yml merged over it: parses
  as YAML, its services, named volumes and bind-mounted files exist; the PostgreSQL
  variant points the app at the db service and waits for it to be healthy. This is
  not `docker compose config`: compose's own schema is not checked.
- deploy/k8s: each overlay is rendered the way `kubectl kustomize` would for the subset
  of kustomize these files use (resources, strategic-merge patches matched by kind and
  name with lists merged by `name`, images), every rendered object and every other
  manifest is validated strictly against the Kubernetes OpenAPI schemas
  (kubernetes-validate), and each overlay is held to what it promises: single (one
  replica, Recreate, the database on the claim), replicas (RollingUpdate without taking
  a replica down first, the database URL from a Secret, a PodDisruptionBudget and an
  autoscaler that match the pods), both (probes, grace period, security context,
  requests and limits, /metrics not routed).
- Every REHEARSE_* variable set in these files is one `rehearse serve` reads.

Usage: scripts/check_deploy.py [KUBERNETES_VERSION ...]   (default: 1.30.0 and the latest)
"""
import copy
import pathlib
import re
import sys

import kubernetes_validate
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL {message}")


def known_variables():
    """Environment variables the CLI reads (`env = "..."` in src/cli)."""
    names = set()
    for path in (ROOT / "src" / "cli").glob("*.rs"):
        names.update(re.findall(r'env = "([A-Z_]+)"', path.read_text()))
    return names


def check_variables(where, names, known):
    for name in names:
        if name.startswith("REHEARSE_") and name not in known:
            fail(f"{where}: {name} is not read by `rehearse serve`")


def check_compose(known):
    """docker-compose.yml alone, and with the PostgreSQL override merged over it the way
    `docker compose -f docker-compose.yml -f docker-compose.postgres.yml` does (maps
    merge; the override adds the `db` service and its volume)."""
    base = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    override = yaml.safe_load((ROOT / "docker-compose.postgres.yml").read_text())
    check_compose_file("docker-compose.yml", base, known)
    merged = merge(base, override)
    where = "docker-compose.yml + docker-compose.postgres.yml"
    if check_compose_file(where, merged, known):
        app = merged["services"]["app"]
        url = str(app["environment"].get("REHEARSE_DATABASE_URL", ""))
        if not url.startswith("postgres://") or "@db:" not in url:
            fail(f"{where}: the app's database URL is not the db service's PostgreSQL")
        if app.get("depends_on", {}).get("db", {}).get("condition") != "service_healthy":
            fail(f"{where}: the app does not wait for a healthy db")


def check_compose_file(where, compose, known):
    before = len(failures)
    services = compose.get("services") or {}
    if "app" not in services:
        fail(f"{where}: no `app` service")
    declared = set((compose.get("volumes") or {}).keys())
    for name, service in services.items():
        if "image" not in service and "build" not in service:
            fail(f"{where}: service {name} has neither image nor build")
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                if not (ROOT / source).exists():
                    fail(f"{where}: {name} mounts {source}, which does not exist")
            elif source not in declared:
                fail(f"{where}: {name} uses volume {source}, not declared")
        for dependency in service.get("depends_on", {}):
            if dependency not in services:
                fail(f"{where}: {name} depends on unknown service {dependency}")
        if name == "app":
            check_variables(f"{where} app", (service.get("environment") or {}).keys(), known)
    if len(failures) == before:
        print(f"ok   {where}: {len(services)} services parse (YAML and references only)")
    return len(failures) == before


def load_objects(path):
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def merge(base, patch):
    """Strategic merge, for what these patches use: maps merge, lists of named maps
    merge by name, any other value replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    named = lambda items: isinstance(items, list) and all(isinstance(i, dict) and "name" in i for i in items)
    if named(base) and named(patch):
        out = [copy.deepcopy(i) for i in base]
        for item in patch:
            at = next((n for n, existing in enumerate(out) if existing["name"] == item["name"]), None)
            if at is None:
                out.append(copy.deepcopy(item))
            else:
                out[at] = merge(out[at], item)
        return out
    return copy.deepcopy(patch)


def render(directory, used):
    """The objects a kustomization directory produces; records the files it reads."""
    kustomization_path = directory / "kustomization.yaml"
    used.add(kustomization_path)
    kustomization = yaml.safe_load(kustomization_path.read_text())
    supported = {"apiVersion", "kind", "resources", "patches", "images"}
    for key in set(kustomization) - supported:
        fail(f"{kustomization_path.relative_to(ROOT)}: `{key}` is not rendered by this check")
    objects = []
    for resource in kustomization.get("resources", []):
        target = (directory / resource).resolve()
        if target.is_dir():
            objects += render(target, used)
        elif target.is_file():
            used.add(target)
            objects += load_objects(target)
        else:
            fail(f"{kustomization_path.relative_to(ROOT)}: resource {resource} does not exist")
    for patch_entry in kustomization.get("patches", []):
        target = directory / patch_entry["path"]
        if not target.is_file():
            fail(f"{kustomization_path.relative_to(ROOT)}: patch {patch_entry['path']} does not exist")
            continue
        used.add(target)
        for patch in load_objects(target):
            key = (patch["kind"], patch["metadata"]["name"])
            matches = [n for n, o in enumerate(objects) if (o["kind"], o["metadata"]["name"]) == key]
            if len(matches) != 1:
                fail(f"{target.relative_to(ROOT)}: patches {key}, which the resources hold {len(matches)} times")
                continue
            objects[matches[0]] = merge(objects[matches[0]], patch)
    for image in kustomization.get("images", []):
        for obj in objects:
            for container in obj.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image.get('newName', image['name'])}:{image.get('newTag', 'latest')}"
    return objects


def validate(where, obj, versions):
    for version in versions:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as e:
            fail(f"{where} {obj.get('kind')}/{obj['metadata'].get('name')} (Kubernetes {version}): {e.message}")


def common_promises(name, by_kind, config):
    """What every overlay promises: probes, grace period, security context, requests
    and limits, metrics on their own port and not routed by the Ingress."""
    deployment = by_kind["Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    expectations = [
        (container["livenessProbe"]["httpGet"]["path"] == "/health", "liveness on /health"),
        (container["readinessProbe"]["httpGet"]["path"] == "/ready", "readiness on /ready"),
        (
            pod["terminationGracePeriodSeconds"]
            > int(config["REHEARSE_SHUTDOWN_DRAIN"]) + int(config["REHEARSE_SHUTDOWN_TIMEOUT"]),
            "grace period longer than drain + timeout",
        ),
        (pod["securityContext"].get("runAsNonRoot") is True, "runAsNonRoot"),
        (pod["securityContext"].get("seccompProfile", {}).get("type") == "RuntimeDefault", "seccomp RuntimeDefault"),
        (container["securityContext"].get("readOnlyRootFilesystem") is True, "read-only root filesystem"),
        (container["securityContext"].get("allowPrivilegeEscalation") is False, "no privilege escalation"),
        (container["securityContext"].get("capabilities", {}).get("drop") == ["ALL"], "all capabilities dropped"),
        ("requests" in container["resources"] and "limits" in container["resources"], "requests and limits"),
        ("REHEARSE_METRICS_BIND" in config, "metrics on their own port"),
    ]
    for path in by_kind["Ingress"]["spec"]["rules"][0]["http"]["paths"]:
        port = path["backend"]["service"]["port"]
        expectations.append((port.get("name") == "http", f"Ingress path {path['path']} goes to the http port only"))
    return expectations


def report(name, expectations):
    broken = [what for ok, what in expectations if not ok]
    for what in broken:
        fail(f"{name}: expected {what}")
    if not broken:
        print(f"ok   {name}: {len(expectations)} promises hold")


def by_kind_or_fail(name, objects, kinds):
    by_kind = {o["kind"]: o for o in objects}
    missing = [kind for kind in kinds if kind not in by_kind]
    for kind in missing:
        fail(f"{name}: no {kind}")
    return None if missing else by_kind


def check_single(objects, known):
    by_kind = by_kind_or_fail("single", objects, ["Deployment", "Service", "Ingress", "ConfigMap", "PersistentVolumeClaim"])
    if by_kind is None:
        return
    config = by_kind["ConfigMap"]["data"]
    check_variables("single ConfigMap", config.keys(), known)
    spec = by_kind["Deployment"]["spec"]
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    expectations = common_promises("single", by_kind, config) + [
        (spec.get("replicas") == 1, "one replica"),
        (spec.get("strategy", {}).get("type") == "Recreate", "strategy Recreate"),
        (config.get("REHEARSE_DATABASE_URL", "").startswith("sqlite:///data/"), "database on the volume"),
        (any(m["mountPath"] == "/data" for m in container["volumeMounts"]), "/data mounted"),
        (
            any(v.get("persistentVolumeClaim", {}).get("claimName") == by_kind["PersistentVolumeClaim"]["metadata"]["name"] for v in pod["volumes"]),
            "the volume is the claim",
        ),
    ]
    report("single", expectations)


def check_replicas(objects, known):
    kinds = ["Deployment", "Service", "Ingress", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler"]
    by_kind = by_kind_or_fail("replicas", objects, kinds)
    if by_kind is None:
        return
    config = by_kind["ConfigMap"]["data"]
    check_variables("replicas ConfigMap", config.keys(), known)
    deployment = by_kind["Deployment"]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    env = {e["name"]: e for e in container.get("env", [])}
    check_variables("replicas Deployment env", env.keys(), known)
    labels = spec["template"]["metadata"]["labels"]
    selects = lambda selector: all(labels.get(k) == v for k, v in selector["matchLabels"].items())
    strategy = spec.get("strategy", {})
    url = env.get("REHEARSE_DATABASE_URL", {}).get("valueFrom", {}).get("secretKeyRef", {})
    hpa, pdb = by_kind["HorizontalPodAutoscaler"]["spec"], by_kind["PodDisruptionBudget"]["spec"]
    expectations = common_promises("replicas", by_kind, config) + [
        (spec.get("replicas", 0) >= 2, "at least two replicas"),
        (strategy.get("type") == "RollingUpdate", "strategy RollingUpdate"),
        (strategy.get("rollingUpdate", {}).get("maxUnavailable") == 0, "no replica taken down before its successor is ready"),
        ("REHEARSE_DATABASE_URL" not in config, "no database URL in the ConfigMap"),
        (bool(url.get("name")) and url.get("optional") is not True, "the database URL from a required Secret"),
        (not any(v.get("persistentVolumeClaim") for v in pod.get("volumes", [])), "no volume claim (the state is in PostgreSQL)"),
        (selects(pdb["selector"]), "the PodDisruptionBudget selects the pods"),
        (pdb.get("maxUnavailable") == 1 or pdb.get("minAvailable", 0) >= 1, "the PodDisruptionBudget keeps one serving"),
        (hpa["scaleTargetRef"]["kind"] == "Deployment" and hpa["scaleTargetRef"]["name"] == deployment["metadata"]["name"], "the autoscaler scales the Deployment"),
        (hpa.get("minReplicas", 1) >= 2, "the autoscaler keeps two at least"),
        (hpa["maxReplicas"] * 10 <= 100, "the autoscaler's maximum fits PostgreSQL's default 100 connections (10 per replica)"),
        ("cpu" in container["resources"]["requests"], "CPU requests (the autoscaler's percentage is of them)"),
    ]
    report("replicas", expectations)


def main():
    versions = sys.argv[1:] or ["1.30.0", kubernetes_validate.latest_version()]
    known = known_variables()
    check_compose(known)
    used = set()
    overlays = sorted(p.parent for p in K8S.glob("*/kustomization.yaml") if p.parent.name != "base")
    for overlay in overlays:
        before = len(failures)
        objects = render(overlay, used)
        for obj in objects:
            validate(overlay.name, obj, versions)
        if len(failures) == before:
            print(f"ok   {overlay.relative_to(ROOT)}: {len(objects)} objects rendered and validated ({', '.join(versions)})")
        if overlay.name == "single":
            check_single(objects, known)
        elif overlay.name == "replicas":
            check_replicas(objects, known)
        else:
            fail(f"{overlay.relative_to(ROOT)}: an overlay with no promises checked (add them here)")
    # Files no overlay uses (examples) are validated on their own; none may be stray.
    for path in sorted(K8S.rglob("*.yaml")):
        if path.resolve() in {u.resolve() for u in used}:
            continue
        if not path.name.endswith(".example.yaml"):
            fail(f"{path.relative_to(ROOT)} is used by no kustomization (name examples *.example.yaml)")
            continue
        before = len(failures)
        for obj in load_objects(path):
            validate(path.relative_to(ROOT), obj, versions)
        if len(failures) == before:
            print(f"ok   {path.relative_to(ROOT)} validated on its own")
    if failures:
        print(f"{len(failures)} problem(s) in the deployment files")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
