#!/usr/bin/env bash
# Regenerates the README's tool table (between the tools:begin/end markers) from the registry.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CSF_BIN:-target/debug/nist-csf-mcp}
table=$("$BIN" tools --format markdown)
python3 - "$table" <<'PY'
import re, sys
p = "README.md"
s = open(p, encoding="utf-8").read()
s = re.sub(r"(<!-- tools:begin -->\n).*?(<!-- tools:end -->)", lambda m: m.group(1) + sys.argv[1] + "\n" + m.group(2), s, flags=re.S)
open(p, "w", encoding="utf-8").write(s)
PY
