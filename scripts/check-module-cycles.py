#!/usr/bin/env python3
"""Fails when modules of one crate depend on each other in a cycle.

For every Rust source file under a crate's `src/`, each path it names (`crate::a::b`,
`super::x`, `self::y`) is resolved to the deepest module that exists. A reference from module
S to module T becomes an edge between the two children of their nearest common ancestor that
contain S and T (siblings depend on each other; a child naming its own parent is not an edge).
A cycle among siblings means neither can be understood, tested or moved without the other.
Test modules (`tests.rs`, `tests/`, `mod tests`) are left out: they look into their parent.

Usage: check-module-cycles.py [CRATE_DIR ...] (default: every workspace member with a src/).
"""
import re
import sys
from pathlib import Path

PATH_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE_GROUP_RE = re.compile(r"\buse\s+(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^;]*)\};", re.S)
MEMBERS_RE = re.compile(r"members\s*=\s*\[([^\]]*)\]", re.S)


def module_path(src: Path, file: Path) -> tuple:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("lib", "main", "mod"):
        parts.pop()
    return tuple(parts)


def strip_tests(text: str) -> str:
    """Drop `#[cfg(test)] mod tests { ... }` blocks (by brace matching)."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def references(text: str):
    for m in USE_GROUP_RE.finditer(text):
        head = [m.group(1)] + [p for p in m.group(2).split("::") if p]
        for item in re.split(r",", m.group(3)):
            first = item.strip().split("::")[0].split(" ")[0].strip("{} \n")
            if first and first not in ("self", "*"):
                yield head + [first]
    for m in PATH_RE.finditer(text):
        yield [m.group(1)] + [p for p in m.group(2).split("::") if p]


def resolve(current: tuple, is_mod_root: bool, ref: list, modules: set):
    base = list(current)
    head, rest = ref[0], ref[1:]
    if head == "crate":
        base = []
    elif head == "super":
        base = base[:-1]
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
    target = tuple(base)
    for name in rest:
        if target + (name,) in modules:
            target = target + (name,)
        else:
            break
    return target


def crate_cycles(crate: Path):
    src = crate / "src"
    files = [f for f in src.rglob("*.rs") if "tests" not in f.relative_to(src).parts[:-1]
             and f.name != "tests.rs" and "bin" not in f.relative_to(src).parts[:1]]
    modules = {module_path(src, f) for f in files}
    for m in list(modules):
        for i in range(len(m)):
            modules.add(m[:i])
    edges = {}
    for f in files:
        here = module_path(src, f)
        text = strip_tests(strip_comments(f.read_text()))
        for ref in references(text):
            there = resolve(here, f.stem in ("mod", "lib", "main"), ref, modules)
            k = 0
            while k < min(len(here), len(there)) and here[k] == there[k]:
                k += 1
            if k < len(here) and k < len(there):
                parent = here[:k]
                edges.setdefault(parent, {}).setdefault(here[k], set()).add(there[k])
    cycles = []
    for parent, graph in edges.items():
        for scc in strongly_connected(graph):
            if len(scc) > 1:
                cycles.append(("::".join(("crate",) + parent), sorted(scc)))
    return cycles


def strongly_connected(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            out.append(scc)

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def workspace_crates(root: Path):
    members = MEMBERS_RE.search((root / "Cargo.toml").read_text())
    names = re.findall(r'"([^"]+)"', members.group(1)) if members else []
    return [root / n for n in names if (root / n / "src").is_dir()]


def main():
    root = Path(__file__).resolve().parent.parent
    crates = [Path(a) for a in sys.argv[1:]] or workspace_crates(root)
    failed = False
    for crate in crates:
        for parent, scc in crate_cycles(crate):
            failed = True
            print(f"module cycle in {crate.name}: {parent}: {' <-> '.join(scc)}", file=sys.stderr)
    if failed:
        sys.exit(1)
    print(f"module cycles: none in {len(crates)} crates")


if __name__ == "__main__":
    main()
