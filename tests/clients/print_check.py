"""Prints an HTML page to PDF with headless Chromium (Debian's `chromium`) and counts its A4
pages with pypdf. The page's own print CSS sets the paper size (A4)."""

import os
import shutil
import subprocess
import tempfile

from pypdf import PdfReader


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def a4_pages(html):
    """(number of pages, detail) — pages is None when the page could not be printed."""
    exe = chromium()
    if exe is None:
        return None, "chromium is not installed (scripts/ensure-test-tools.sh installs it)"
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "report.html")
        pdf = os.path.join(d, "report.pdf")
        with open(src, "w", encoding="utf-8") as f:
            f.write(html)
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={os.path.join(d, 'profile')}", f"--print-to-pdf={pdf}", f"file://{src}"]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if not os.path.exists(pdf):
            return None, f"no PDF (exit {run.returncode}): {run.stderr[-300:]}"
        reader = PdfReader(pdf)
        box = reader.pages[0].mediabox
        # A4 is 595 × 842 points.
        size = f"{float(box.width):.0f}×{float(box.height):.0f} pt"
        if abs(float(box.width) - 595) > 3 or abs(float(box.height) - 842) > 3:
            return None, f"paper is {size}, not A4"
        return len(reader.pages), size
