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


def _each(items, check):
    """The first problem check(index, item) finds among items, or None."""
    for i, item in enumerate(items):
        bad = check(i, item)
        if bad:
            return bad
    return None


def _objects(parent, key, where=""):
    """None if parent[key] is a list of objects, else what is wrong."""
    items = parent.get(key)
    if not isinstance(items, list):
        return f"{where}{key} is {type(items).__name__}, not a list"
    return _each(items, lambda i, item: None if isinstance(item, dict) else
                 f"{where}{key}[{i}] is {type(item).__name__}, not an object")


def _dockerhub_repository(entry):
    if not _count(entry.get("pull_count")):
        return f"pull_count is {entry.get('pull_count')!r}, not a count"
    return None


def _tag(i, tag):
    for key in ("name", "tag_last_pulled"):
        if key not in tag:
            return f"tags[{i}] has no {key}"
    if not isinstance(tag.get("missing", []), list):
        return f"tags[{i}].missing is not a list"
    return None


def _dockerhub_tags(entry):
    return _objects(entry, "tags") or _each(entry["tags"], _tag)


def _release(i, rel):
    where = f"releases[{i}]"
    for key in ("tag", "published_at"):
        if key not in rel:
            return f"{where} has no {key}"

    def asset(j, a):
        if a.get("arch") not in ARCHES:
            return None  # not an image archive: none of its fields is used
        if "download_count" not in a:
            return f"{where}.assets[{j}] has no download_count"
        count = a["download_count"]
        if count is not None and not _count(count):
            return f"{where}.assets[{j}].download_count is {count!r}, not a count"
        return None

    return _objects(rel, "assets", where + ".") or _each(rel["assets"], asset)


def _release_assets(entry):
    return _objects(entry, "releases") or _each(entry["releases"], _release)


def _version(i, version):
    tags = version.get("tags")
    if tags is None or (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return None
    return f"versions[{i}].tags is not a list of names"


def _ghcr_versions(entry):
    return _objects(entry, "versions") or _each(entry["versions"], _version)


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
