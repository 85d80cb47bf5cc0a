#!/usr/bin/env python3
"""Checks the deploy/ files: YAML syntax, and the hardening each one promises.

docker-compose.yml: private-registry image variable, read-only root fs, all capabilities
dropped, no-new-privileges, tmpfs /tmp, named volume on /data, non-root user, a healthcheck
that runs the binary itself (the image has no shell or curl).
Kubernetes: every full resource is validated against the API schema (kubernetes-validate,
strict), the Deployment's pod runs non-root with a read-only root fs and no capabilities, the
probes hit /healthz and /readyz, and the PostgreSQL overlay that raises replicas above one takes
CSF_DB from a Secret and drops the ReadWriteOnce volume.
Exits non-zero with one line per problem.
"""

import pathlib
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def load(path):
    with open(path, encoding="utf-8") as f:
        return list(yaml.safe_load_all(f))


def compose():
    (doc,) = load(DEPLOY / "docker-compose.yml")
    svc = doc["services"]["nist-csf-mcp"]
    check(svc["image"].startswith("${CSF_IMAGE:-"), "compose: image is not ${CSF_IMAGE:-...}")
    check(svc.get("read_only") is True, "compose: read_only is not true")
    check(svc.get("cap_drop") == ["ALL"], "compose: cap_drop is not [ALL]")
    check("no-new-privileges:true" in svc.get("security_opt", []), "compose: no no-new-privileges")
    check(any(t.startswith("/tmp") for t in svc.get("tmpfs", [])), "compose: no tmpfs on /tmp")
    check(str(svc.get("user")) == "10001:10001", "compose: user is not 10001:10001")
    vols = svc.get("volumes", [])
    check(any(v.endswith(":/data") and not v.startswith(("/", ".")) for v in vols),
          "compose: /data is not a named volume")
    named = {v.split(":")[0] for v in vols}
    check(named <= set(doc.get("volumes", {})), "compose: volume not declared at top level")
    hc = svc.get("healthcheck", {}).get("test", [])
    check(hc == ["CMD", "/nist-csf-mcp", "healthcheck"], f"compose: healthcheck is {hc}")
    check(svc["environment"].get("CSF_DB", "").startswith("/data/"), "compose: CSF_DB not on /data")


def container_of(deployment):
    return deployment["spec"]["template"]["spec"]["containers"][0]


def kubernetes(venv_bin):
    k8s = DEPLOY / "kubernetes"
    full, docs = [], {}
    for path in sorted(k8s.rglob("*.yaml")):
        for doc in load(path):
            docs.setdefault(path.relative_to(k8s).as_posix(), []).append(doc)
        # Kustomizations and strategic-merge patches are not API objects.
        if path.name != "kustomization.yaml" and "-postgres" not in path.name:
            full.append(str(path))
    validate = pathlib.Path(venv_bin) / "kubernetes-validate"
    res = subprocess.run([str(validate), "--strict", "--quiet", *full],
                         capture_output=True, text=True, check=False)
    check(res.returncode == 0, f"kubernetes-validate: {res.stdout.strip()} {res.stderr.strip()}")

    dep = docs["base/deployment.yaml"][0]
    pod = dep["spec"]["template"]["spec"]
    psc, c = pod["securityContext"], container_of(dep)
    csc = c["securityContext"]
    check(psc.get("runAsNonRoot") is True, "k8s: runAsNonRoot is not true")
    check(psc.get("runAsUser") == 10001, "k8s: runAsUser is not 10001")
    check(csc.get("readOnlyRootFilesystem") is True, "k8s: readOnlyRootFilesystem is not true")
    check(csc.get("allowPrivilegeEscalation") is False, "k8s: allowPrivilegeEscalation not false")
    check(csc.get("capabilities", {}).get("drop") == ["ALL"], "k8s: capabilities.drop is not [ALL]")
    check(c["livenessProbe"]["httpGet"]["path"] == "/healthz", "k8s: liveness probe not /healthz")
    check(c["readinessProbe"]["httpGet"]["path"] == "/readyz", "k8s: readiness probe not /readyz")
    mounts = {m["mountPath"] for m in c["volumeMounts"]}
    check({"/data", "/tmp"} <= mounts, "k8s: /data and /tmp are not both mounted")
    check(dep["spec"]["replicas"] == 1 and dep["spec"]["strategy"]["type"] == "Recreate",
          "k8s: SQLite base must be 1 replica with Recreate")

    patch = docs["postgres/deployment-postgres.yaml"][0]
    check(patch["spec"]["replicas"] > 1, "k8s postgres: replicas not > 1")
    env = {e["name"]: e for e in container_of(patch)["env"]}
    check("secretKeyRef" in env.get("CSF_DB", {}).get("valueFrom", {}),
          "k8s postgres: CSF_DB does not come from a Secret")
    kust = docs["postgres/kustomization.yaml"][0]
    check(any("$patch: delete" in str(p.get("patch", "")) and
              p.get("target", {}).get("kind") == "PersistentVolumeClaim"
              for p in kust.get("patches", [])),
          "k8s postgres: the ReadWriteOnce PVC is not removed")


def main():
    venv_bin = pathlib.Path(sys.executable).parent
    compose()
    kubernetes(venv_bin)
    for p in problems:
        print(f"deploy: {p}", file=sys.stderr)
    if problems:
        return 1
    print("lint: deploy/ files parse and keep their hardening (compose, kubernetes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
