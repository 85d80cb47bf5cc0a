#!/usr/bin/env bash
# Opens each sample HTML report in headless Chromium: fails on console errors ("Uncaught"),
# on a DOM without drawn SVG charts, or on a missing/blank screenshot.
# Usage: tests/reports/check_html.sh SAMPLES_DIR   (PNG screenshots are written next to the HTML)
set -euo pipefail
dir=${1:?usage: check_html.sh SAMPLES_DIR}
# file:// URLs need an absolute path (a relative one reads as a host name: ERR_INVALID_URL).
dir=$(cd "$dir" && pwd)
chrome=$(command -v chromium || command -v chromium-browser)
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --disable-quic)
for html in "$dir"/report-*.html; do
  name=$(basename "$html" .html)
  profile=$(mktemp -d)
  "$chrome" "${flags[@]}" --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$html" >"$dir/$name.dom" 2>"$dir/$name.log" || true
  "$chrome" "${flags[@]}" --user-data-dir="$profile" --window-size=1100,1500 \
    --screenshot="$dir/$name.png" "file://$html" >/dev/null 2>&1 || true
  rm -rf "$profile"
  if grep -q "Uncaught" "$dir/$name.log"; then
    echo "check_html: FAIL $name: console error"; grep "Uncaught" "$dir/$name.log"; exit 1
  fi
  svgs=$(grep -o "<svg" "$dir/$name.dom" | wc -l || true)
  shapes=$(grep -oE "<(polygon|rect|circle|path)[ >]" "$dir/$name.dom" | wc -l || true)
  if [ "$svgs" -lt 1 ] || [ "$shapes" -lt 5 ]; then
    echo "check_html: FAIL $name: $svgs svg, $shapes shapes in the rendered DOM"; exit 1
  fi
  if [ "$name" = report-executive ] && ! grep -q 'class="series-current"' "$dir/$name.dom"; then
    echo "check_html: FAIL $name: radar polygon missing"; exit 1
  fi
  size=$(stat -c %s "$dir/$name.png" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ]; then
    echo "check_html: FAIL $name: screenshot missing or blank ($size bytes)"; exit 1
  fi
  echo "check_html: OK $name: $svgs svg, $shapes shapes, screenshot $size bytes"
done
# Print: the executive report must produce a PDF (A4 print styles).
profile=$(mktemp -d)
"$chrome" "${flags[@]}" --user-data-dir="$profile" --no-pdf-header-footer \
  --print-to-pdf="$dir/report-executive.pdf" "file://$dir/report-executive.html" >/dev/null 2>&1 || true
rm -rf "$profile"
pages=$(grep -ao "/Type */Page[a-zA-Z]*" "$dir/report-executive.pdf" 2>/dev/null | grep -c "Page$" || true)
if [ "${pages:-0}" -lt 1 ]; then echo "check_html: FAIL report-executive: no PDF pages"; exit 1; fi
echo "check_html: OK report-executive.pdf: $pages A4 pages"
