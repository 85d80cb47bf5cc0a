#!/usr/bin/env python3
"""Checks the deploy/ files: YAML syntax, and the hardening each one promises.

docker-compose.yml: private-registry image variable, read-only root fs, all capabilities
dropped, no-new-privileges, tmpfs /tmp, named volume on /data, non-root user, a healthcheck
that runs the binary itself (the image has no shell or curl); every `${...}` closed; no
unknown service key (a typo such as `profile:` is not caught by YAML); and the opt-in
automatic-update profile: Watchtower only in profile `autoupdate`, limited by label and scope
to the server, monitor-only unless asked, keeping the replaced image for rollback, its own
image pinned (a version tag or a digest, never `latest` or no tag). (There is
no Docker engine in CI to run `docker compose config`; these are the same checks, by hand.)
Kubernetes: every full resource is validated against the API schema (kubernetes-validate,
strict), the Deployment's pod runs non-root with a read-only root fs and no capabilities, the
probes hit /healthz and /readyz, and the PostgreSQL overlay that raises replicas above one takes
CSF_DB from a Secret and drops the ReadWriteOnce volume.
Exits non-zero with one line per problem.
"""

import pathlib
import re
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


# Service keys of the Compose specification this file may use (others are typos).
COMPOSE_SERVICE_KEYS = {
    "image", "pull_policy", "command", "entrypoint", "environment", "env_file", "ports",
    "volumes", "user", "read_only", "tmpfs", "cap_drop", "cap_add", "security_opt",
    "healthcheck", "restart", "mem_limit", "pids_limit", "labels", "profiles", "depends_on",
    "networks", "container_name", "logging", "stop_grace_period", "init", "deploy",
}
WATCHTOWER_SCOPE = "nist-csf-mcp"
UPDATE_PROFILE = "autoupdate"
INTERPOLATION = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?+])[^{}$]*)?\}")


def pinned(image):
    """True if an image reference names a digest or a tag other than `latest`."""
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


def as_map(value):
    """Compose allows a mapping or a list of KEY=VALUE for environment and labels."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    out = {}
    for item in value or []:
        key, _, val = str(item).partition("=")
        out[key] = val
    return out


def compose_problems(doc, raw):
    """Problems of the compose file (parsed doc and its raw text); empty if none."""
    found = []

    def need(cond, what):
        if not cond:
            found.append(f"compose: {what}")

    opened = raw.count("${")
    closed = len(INTERPOLATION.findall(raw))
    need(opened == closed, f"{opened - closed} `${{...}}` interpolation(s) not well formed")
    services = doc.get("services", {})
    for name, svc in services.items():
        unknown = sorted(set(svc) - COMPOSE_SERVICE_KEYS)
        need(not unknown, f"service {name} has unknown keys {unknown}")

    svc = services["nist-csf-mcp"]
    need(str(svc.get("image", "")).startswith("${CSF_IMAGE:-"), "image is not ${CSF_IMAGE:-...}")
    need(svc.get("read_only") is True, "read_only is not true")
    need(svc.get("cap_drop") == ["ALL"], "cap_drop is not [ALL]")
    need("no-new-privileges:true" in svc.get("security_opt", []), "no no-new-privileges")
    need(any(t.startswith("/tmp") for t in svc.get("tmpfs", [])), "no tmpfs on /tmp")
    need(str(svc.get("user")) == "10001:10001", "user is not 10001:10001")
    vols = svc.get("volumes", [])
    need(any(v.endswith(":/data") and not v.startswith(("/", ".")) for v in vols),
         "/data is not a named volume")
    named = {v.split(":")[0] for v in vols}
    need(named <= set(doc.get("volumes", {})), "volume not declared at top level")
    hc = svc.get("healthcheck", {}).get("test", [])
    need(hc == ["CMD", "/nist-csf-mcp", "healthcheck"], f"healthcheck is {hc}")
    need(as_map(svc.get("environment")).get("CSF_DB", "").startswith("/data/"),
         "CSF_DB not on /data")

    # Automatic updates: opt-in, confined to the server, reporting only by default.
    need("profiles" not in svc, "the server must not be in a profile (a plain `up` starts it)")
    labels = as_map(svc.get("labels"))
    need(str(labels.get("com.centurylinklabs.watchtower.enable")) == "true",
         "the server lacks label com.centurylinklabs.watchtower.enable=true")
    need(labels.get("com.centurylinklabs.watchtower.scope") == WATCHTOWER_SCOPE,
         f"the server's watchtower scope label is not {WATCHTOWER_SCOPE}")
    for name, other in services.items():
        if name != "nist-csf-mcp":
            need(bool(other.get("profiles")), f"service {name} is not opt-in (no profiles)")
    wt = services.get("watchtower")
    need(wt is not None, "no watchtower service (the autoupdate profile)")
    if wt is None:
        return found
    need(wt.get("profiles") == [UPDATE_PROFILE], f"watchtower profiles are not [{UPDATE_PROFILE}]")
    image = str(wt.get("image", ""))
    need(image.startswith("${CSF_WATCHTOWER_IMAGE:-"), "watchtower image is not overridable "
         "(${CSF_WATCHTOWER_IMAGE:-...}: a digest must be settable)")
    need("containrrr/" not in image, "containrrr/watchtower is archived; use the maintained fork")
    default = image.removeprefix("${CSF_WATCHTOWER_IMAGE:-").removesuffix("}")
    need(pinned(default), f"watchtower's default image {default} is not pinned (a version tag "
         "or a digest, not `latest` or no tag): it holds the Docker socket")
    env = as_map(wt.get("environment"))
    need(str(env.get("WATCHTOWER_LABEL_ENABLE")) == "true",
         "watchtower is not limited by label (WATCHTOWER_LABEL_ENABLE)")
    need(env.get("WATCHTOWER_SCOPE") == WATCHTOWER_SCOPE,
         f"watchtower scope is not {WATCHTOWER_SCOPE}")
    need(env.get("WATCHTOWER_MONITOR_ONLY") == "${CSF_WATCHTOWER_MONITOR_ONLY:-true}",
         "watchtower is not monitor-only by default")
    need(str(env.get("WATCHTOWER_CLEANUP")) == "false",
         "watchtower would delete the replaced image (the rollback point)")
    need(not as_map(wt.get("labels")).get("com.centurylinklabs.watchtower.enable"),
         "watchtower must not watch itself")
    need(any(str(v).startswith("/var/run/docker.sock:") for v in wt.get("volumes", [])),
         "watchtower has no Docker socket")
    return found


def compose():
    path = DEPLOY / "docker-compose.yml"
    raw = path.read_text(encoding="utf-8")
    (doc,) = load(path)
    problems.extend(compose_problems(doc, raw))


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
    print("lint: deploy/ files parse and keep their hardening (compose with its opt-in "
          "autoupdate profile, kubernetes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
