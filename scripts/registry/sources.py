"""The four public sources the registry statistics are read from, one function each.

Each function returns the fields it read, exactly as the API gave them, and lists under
`missing` the documented fields an item lacked (a field the API sent as null is kept as null:
Docker Hub sends `tag_last_pulled: null` for a tag nobody pulled). A source that cannot be read
raises api.Failure; `read()` turns that into the source's error entry. No value is ever made
up: an absent count stays absent.
"""

import re
import urllib.parse

from api import Failure

HUB = "https://hub.docker.com"
GITHUB = "https://api.github.com"
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}

# Offline archives the release workflow attaches: one per platform, and the multi-arch OCI
# archive (both platforms: a download of it says nothing about which one is used).
ASSET = re.compile(r"^nist-csf-mcp-(?P<arch>amd64|arm64|multiarch)\.(?P<format>docker|oci)\.tar$")


def q(part):
    return urllib.parse.quote(part, safe="")


def _fields(item, names, where):
    """{name: value} for the documented fields, plus the list of those the item lacks."""
    if not isinstance(item, dict):
        raise Failure("bad_response", f"{where}: expected an object, got {type(item).__name__}")
    out = {n: item.get(n) for n in names}
    missing = [n for n in names if n not in item]
    return out, missing


def read(fn, *args):
    """Run one source; its entry in the record: status ok with its fields, or the error."""
    try:
        return {"status": "ok", **fn(*args)}
    except Failure as failure:
        return {"status": "error", "error": failure.as_record()}


def dockerhub_repository(client, namespace, repo):
    """Total pulls: `pull_count` of the repository, from the documented list-repositories
    endpoint filtered by name (anonymous for public repositories)."""
    url = f"{HUB}/v2/namespaces/{q(namespace)}/repositories?name={q(repo)}&page_size=100"
    rows = client.pages_hub(url)
    match = [r for r in rows if isinstance(r, dict) and r.get("name") == repo]
    if not match:
        raise Failure("not_found", f"{namespace}/{repo} is not among the {len(rows)} repositories "
                      f"Docker Hub listed for that name", url=url)
    row = match[0]
    if "pull_count" not in row:
        raise Failure("missing_field", "the repository entry has no pull_count", url=url,
                      field="pull_count")
    count = row["pull_count"]
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise Failure("bad_response", f"pull_count is {count!r}, not a count", url=url,
                      field="pull_count")
    return {"endpoint": url, "pull_count": count, "last_updated": row.get("last_updated")}


def _hub_image(img, where):
    out, missing = _fields(img, ["architecture", "variant", "os", "digest", "last_pulled"], where)
    if missing:
        out["missing"] = missing
    return out


def dockerhub_tags(client, namespace, repo):
    """Per tag: last pull, last push, digest and the per-platform images (each with its own
    last pull). Docker Hub's `status`/`tag_status` says whether the tag was pushed or pulled
    in the past month."""
    url = f"{HUB}/v2/namespaces/{q(namespace)}/repositories/{q(repo)}/tags?page_size=100"
    tags = []
    for i, raw in enumerate(client.pages_hub(url)):
        where = f"tag #{i}"
        out, missing = _fields(raw, ["name", "digest", "last_updated", "tag_last_pulled",
                                     "tag_last_pushed", "images"], where)
        out["status"] = raw.get("tag_status", raw.get("status"))
        images = out.pop("images")
        if images is not None and not isinstance(images, list):
            raise Failure("bad_response", f"{where}: images is not a list", url=url)
        out["images"] = [_hub_image(img, f"{where} image #{j}") for j, img in
                         enumerate(images or [])]
        if missing:
            out["missing"] = missing
        tags.append(out)
    return {"endpoint": url, "tags": tags}


def github_owner_kind(client, repo, headers):
    """'orgs' or 'users': the packages API has one path per kind of owner."""
    url = f"{GITHUB}/repos/{repo}"
    data, _ = client.get_json(url, headers)
    owner = data.get("owner") if isinstance(data, dict) else None
    kind = owner.get("type") if isinstance(owner, dict) else None
    if kind == "Organization":
        return "orgs"
    if kind == "User":
        return "users"
    raise Failure("missing_field", f"GET {url}: owner.type is {kind!r}", url=url,
                  field="owner.type")


def ghcr_versions(client, repo, package, token):
    """Versions of the GitHub container package: digest, tags, creation time. The API has no
    pull count for container packages (none is recorded)."""
    headers = {**GITHUB_HEADERS, "Authorization": f"Bearer {token}"}
    owner = repo.split("/")[0]
    kind = github_owner_kind(client, repo, headers)
    url = (f"{GITHUB}/{kind}/{q(owner)}/packages/container/{q(package)}/versions"
           f"?per_page=100")
    versions = []
    for i, raw in enumerate(client.pages_github(url, headers)):
        where = f"version #{i}"
        out, missing = _fields(raw, ["id", "name", "created_at", "updated_at", "metadata"], where)
        meta = out.pop("metadata")
        container = meta.get("container") if isinstance(meta, dict) else None
        if isinstance(container, dict) and isinstance(container.get("tags"), list):
            out["tags"] = container["tags"]
        else:
            out["tags"] = None
            missing.append("metadata.container.tags")
        out["digest"] = out.pop("name")
        if missing:
            out["missing"] = missing
        versions.append(out)
    return {"endpoint": url, "versions": versions}


def release_assets(client, repo, token):
    """Download counts of every published release's assets. The per-platform offline archives
    are the one platform split any public API gives (drafts are skipped: not public)."""
    headers = dict(GITHUB_HEADERS)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = f"{GITHUB}/repos/{repo}/releases?per_page=100"
    releases = []
    for i, raw in enumerate(client.pages_github(url, headers)):
        where = f"release #{i}"
        out, missing = _fields(raw, ["tag_name", "published_at", "draft", "prerelease", "assets"],
                               where)
        if out["draft"] is True:
            continue
        assets = out.pop("assets")
        if assets is not None and not isinstance(assets, list):
            raise Failure("bad_response", f"{where}: assets is not a list", url=url)
        rows = []
        for j, a in enumerate(assets or []):
            row, amiss = _fields(a, ["name", "download_count", "size"], f"{where} asset #{j}")
            count = row["download_count"]
            if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
                raise Failure("bad_response", f"{where} asset #{j}: download_count is {count!r}",
                              url=url)
            m = ASSET.match(row["name"] or "")
            row["arch"] = m.group("arch") if m else None
            if amiss:
                row["missing"] = amiss
            rows.append(row)
        out["tag"] = out.pop("tag_name")
        out.pop("draft")
        out["assets"] = rows
        if missing:
            out["missing"] = missing
        releases.append(out)
    return {"endpoint": url, "releases": releases}
