"""The shape a source entry must have before the summary derives anything from it.

Loading a history checks each record's frame (schema, time, one status per source); the fields
inside an entry come from the APIs through the collector, or from a hand-edited history, and a
wrong type there (a count that is a string, a list that is an object) must not crash the
summary or the charts. `problem(source, entry)` names the first thing wrong, or None; the
summary leaves such an entry out and says so, as it does for a failed read.
"""

ARCHES = ("amd64", "arm64", "multiarch")


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _objects(parent, key, where=""):
    """None if parent[key] is a list of objects, else what is wrong."""
    items = parent.get(key)
    if not isinstance(items, list):
        return f"{where}{key} is {type(items).__name__}, not a list"
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            return f"{where}{key}[{i}] is {type(item).__name__}, not an object"
    return None


def _absent(item, keys, where):
    for key in keys:
        if key not in item:
            return f"{where} has no {key}"
    return None


def _dockerhub_repository(entry):
    if not _count(entry.get("pull_count")):
        return f"pull_count is {entry.get('pull_count')!r}, not a count"
    return None


def _dockerhub_tags(entry):
    bad = _objects(entry, "tags")
    for i, tag in enumerate([] if bad else entry["tags"]):
        bad = _absent(tag, ("name", "tag_last_pulled"), f"tags[{i}]")
        if bad is None and not isinstance(tag.get("missing", []), list):
            bad = f"tags[{i}].missing is not a list"
        if bad:
            break
    return bad


def _release_assets(entry):
    bad = _objects(entry, "releases")
    for i, rel in enumerate([] if bad else entry["releases"]):
        where = f"releases[{i}]"
        bad = _absent(rel, ("tag", "published_at"), where) or _objects(rel, "assets", where + ".")
        for j, asset in enumerate([] if bad else rel["assets"]):
            if asset.get("arch") not in ARCHES:
                continue  # not an image archive: none of its fields is used
            if "download_count" not in asset:
                bad = f"{where}.assets[{j}] has no download_count"
            elif asset["download_count"] is not None and not _count(asset["download_count"]):
                bad = (f"{where}.assets[{j}].download_count is {asset['download_count']!r}, "
                       f"not a count")
            if bad:
                break
        if bad:
            break
    return bad


def _ghcr_versions(entry):
    bad = _objects(entry, "versions")
    for i, version in enumerate([] if bad else entry["versions"]):
        tags = version.get("tags")
        if tags is not None and not (isinstance(tags, list)
                                     and all(isinstance(t, str) for t in tags)):
            bad = f"versions[{i}].tags is not a list of names"
            break
    return bad


CHECKS = {
    "dockerhub_repository": _dockerhub_repository,
    "dockerhub_tags": _dockerhub_tags,
    "release_assets": _release_assets,
    "ghcr_versions": _ghcr_versions,
}


def problem(source, entry):
    """What makes this entry unusable (None if nothing): an ok entry's fields, an error
    entry's error (an object with a kind)."""
    if entry["status"] == "ok":
        return CHECKS[source](entry)
    if entry["status"] == "error":
        err = entry.get("error")
        if not isinstance(err, dict) or not isinstance(err.get("kind"), str):
            return "error is not an object with a kind"
    return None
