"""The web console in a real browser: Debian's chromium driven by Playwright for Python.

Starts `serve --http` with a write key and a read key on a private SQLite file, then: signs in;
creates an organization with a Current and a Target profile; records ten entries through the
entry form and sees the dashboard's coverage change; compares with the Target (top gaps); opens
the printable report and downloads it; checks that a read-only key sees no write control and
that its posts change nothing (the store compared before and after); that a post without its
CSRF token or from another origin is refused; registers an evidence item and links it; answers a
campaign's questions through the question form, submits it for review and signs it off, and sees
the dashboard change; that no page logs a console error; and that
axe-core finds no serious or critical accessibility violation on any page.

Usage: console_browser_test.py BIN   (prints one summary line; exit status 1 on any failure)
"""

import hashlib
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AXE = os.path.join(ROOT, ".tools/axe/node_modules/axe-core/axe.min.js")
CHROMIUM = os.environ.get("CSF_CHROMIUM", "/usr/bin/chromium")
WRITER = "browser-writer-key-" + os.urandom(8).hex()
READER = "browser-reader-key-" + os.urandom(8).hex()
SUBCATEGORIES = ["GV.OC-01", "GV.OC-02", "GV.RM-01", "ID.AM-01", "ID.AM-02",
                 "PR.AA-01", "PR.AT-01", "DE.CM-01", "RS.MA-01", "RC.RP-01"]

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print(f"FAIL console-browser: {what}", file=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hash_key(bin_path, key):
    out = subprocess.run([bin_path, "hash-key"], input=key + "\n", capture_output=True,
                         text=True, check=True)
    return out.stdout.strip().split()[-1]


def start(bin_path, db, port):
    keys = f"reader:read:{hash_key(bin_path, READER)},writer:read+write:{hash_key(bin_path, WRITER)}"
    proc = subprocess.Popen([bin_path, "serve", "--http", f"127.0.0.1:{port}", "--db", db,
                             "--auth", "api-key", "--api-key", keys],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def store_digest(db):
    """A digest of every row of every table (WAL included: read through SQLite)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    h = hashlib.sha256()
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    for t in tables:
        for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1'):
            h.update(repr((t, row)).encode())
    con.close()
    return h.hexdigest()


def watch(page, errors):
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))


def axe_check(page, axe_src, visited):
    visited.add(re.sub(r"(prof|org|camp|evd)_\w+", "ID", page.url.split("?")[0]))
    page.evaluate(axe_src)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""")
    check(not result, f"axe on {page.url}: {result}")


def kpi(page, label):
    text = page.locator(".kpis li", has_text=label).inner_text()
    return text


def main():
    bin_path = sys.argv[1]
    with open(AXE, encoding="utf-8") as f:
        axe_src = f.read()
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "console.db")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(bin_path, db, port)
    errors = []
    visited = set()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox"])
            ctx = browser.new_context(accept_downloads=True)
            page = ctx.new_page()
            watch(page, errors)

            page.goto(base + "/ui/")
            check(page.url.endswith("/ui/signin"), "unsigned visit goes to sign-in")
            axe_check(page, axe_src, visited)
            page.fill("#key", WRITER)
            page.click("button[type=submit]")
            check(page.url.endswith("/ui/"), f"sign-in lands on the organizations: {page.url}")
            axe_check(page, axe_src, visited)

            page.fill("#name", "Browser <b>Test</b> Org")
            page.fill("#sector", "testing")
            page.select_option("#size", "small")
            page.click("text=Create organization")
            check("/ui/orgs/" in page.url, "organization created")
            check("Browser <b>Test</b> Org" in page.inner_text("h1"), "organization name shown as text")
            axe_check(page, axe_src, visited)
            org_url = page.url
            page.fill("#pname", "Current state")
            page.select_option("#kind", "current")
            page.click("text=Create profile")
            current = page.url
            check("/ui/profiles/" in current, "current profile created")
            page.goto(org_url)
            page.fill("#pname", "Target state")
            page.select_option("#kind", "target")
            page.click("text=Create profile")
            target = page.url
            target_id = target.rsplit("/", 1)[-1]

            page.goto(current)
            before = kpi(page, "Coverage")
            axe_check(page, axe_src, visited)
            statuses = ["fully", "largely", "partially", "not_implemented"]
            for i, sub in enumerate(SUBCATEGORIES):
                page.goto(f"{current}/entries/{sub}")
                if i == 0:
                    axe_check(page, axe_src, visited)
                page.select_option("#status", statuses[i % 4])
                page.select_option("#maturity", str(1 + i % 5))
                page.fill("#notes", f"note {i} <i>hostile</i>")
                page.click("text=Save entry")
                check(page.url.split("?")[0] == current, f"entry {sub} saved")
            after = kpi(page, "Coverage")
            check(before != after and "10 of" in after, f"dashboard coverage changed: {before!r} -> {after!r}")
            check(page.locator("svg.chart").count() >= 3, "dashboard charts drawn")
            for sub in SUBCATEGORIES[:4]:
                page.goto(f"{target}/entries/{sub}")
                page.select_option("#status", "fully")
                page.click("text=Save entry")
            page.goto(f"{current}?target={target_id}")
            check(page.locator("text=Top gaps against the Target").count() == 1, "top gaps shown")
            axe_check(page, axe_src, visited)

            page.goto(f"{current}/reports")
            axe_check(page, axe_src, visited)
            page.click("text=View the report")
            check(page.locator("h1").count() >= 1, "report view opens")
            axe_check(page, axe_src, visited)
            page.goto(f"{current}/reports")
            with page.expect_download() as dl:
                page.click("text=Report as Markdown")
            path = dl.value.path()
            with open(path, encoding="utf-8") as f:
                check(f.read().startswith("#"), "markdown report downloaded")
            with page.expect_download() as dl:
                page.click("text=Entries as CSV")
            with open(dl.value.path(), encoding="utf-8") as f:
                check(len(f.read().splitlines()) == 11, "CSV export has ten entries")

            # Evidence: register an item from the organization's register and link it.
            page.goto(org_url)
            page.click("text=Evidence register")
            check(page.url.endswith("/evidence"), "evidence register reached from the organization")
            axe_check(page, axe_src, visited)
            register_url = page.url
            page.fill("#title", "Access <b>policy</b>")
            page.select_option("#ekind", "policy")
            page.fill("#location", "dms:POL-0042")
            page.fill("#eowner", "Security team")
            page.fill("#collected_on", "2026-01-10")
            page.fill("#review_by", "2026-12-31")
            page.click("text=Register evidence")
            check("/ui/evidence/evd_" in page.url, f"evidence registered: {page.url}")
            check("Access <b>policy</b>" in page.inner_text("h1"), "evidence title shown as text")
            axe_check(page, axe_src, visited)
            page.select_option("#lprofile", current.rsplit("/", 1)[-1])
            page.fill("#lsub", "GV.OC-01")
            page.click("text=Link evidence")
            check(page.locator("a", has_text="GV.OC-01").count() >= 1, "evidence linked to GV.OC-01")

            # A campaign answered through the question form, reviewed and signed off.
            page.goto(current)
            before_campaign = kpi(page, "Coverage")
            page.click("text=Assessment campaigns")
            axe_check(page, axe_src, visited)
            campaigns_url = page.url
            page.fill("#cname", "Browser cycle")
            page.fill("#categories", "GV.OC, GV.RM")
            page.fill("#assessors", "Jo")
            page.click("text=Create campaign")
            camp_url = page.url
            check("/ui/campaigns/camp_" in camp_url, f"campaign created: {camp_url}")
            axe_check(page, axe_src, visited)
            page.click("a:text-is('Jo')")
            questions_url = page.url
            axe_check(page, axe_src, visited)
            answered = 0
            levels = {"implementation": "fully", "maturity": "3", "evidence": "documented"}
            for _ in range(40):
                ids = page.eval_on_selector_all("input[type=hidden][name^=q]",
                                                "els => els.map(e => [e.name, e.value])")
                if not ids:
                    break
                for name, qid in ids:
                    i = name[1:]
                    field = page.locator(f"[name=a{i}]")
                    dim = qid.rsplit(":", 1)[-1]
                    if field.evaluate("e => e.tagName") == "SELECT":
                        field.select_option(levels.get(dim, "fully"))
                    else:
                        field.fill("Security lead")
                    page.select_option(f"#c{i}", "high")
                page.click("text=Save answers")
                answered += len(ids)
            check(answered >= 10, f"at least ten questions answered through the form ({answered})")
            check("No open question" in page.inner_text("main"), "every question answered")
            page.goto(camp_url)
            page.click("text=Submit for review")
            check("Changes since the last cycle" in page.inner_text("main"), "review shown")
            axe_check(page, axe_src, visited)
            page.click("button:text-is('Sign off')")
            check(page.url.split("?")[0] == current, f"sign-off lands on the dashboard: {page.url}")
            after_campaign = kpi(page, "Coverage")
            check(before_campaign != after_campaign,
                  f"dashboard changed by sign-off: {before_campaign!r} -> {after_campaign!r}")

            for url in ["/ui/framework", "/ui/framework?q=asset+inventory",
                        "/ui/framework/GV.OC-01", "/ui/audit", "/ui/audit?tool=record_assessment"]:
                page.goto(base + url)
                axe_check(page, axe_src, visited)
            seen = len(errors)
            page.goto(base + "/ui/no-such-page")
            axe_check(page, axe_src, visited)
            # The one error expected: the browser logs the 404 of the page asked for.
            del errors[seen:seen + 1]

            # A post without its CSRF token, and one from another origin, are refused.
            r = page.request.post(base + "/ui/", form={"name": "no token"},
                                  headers={"Origin": base})
            check(r.status == 403, f"CSRF-less post refused ({r.status})")
            page.goto(base + "/ui/")
            token = page.get_attribute("input[name=csrf]", "value")
            r = page.request.post(base + "/ui/", form={"name": "cross", "csrf": token},
                                  headers={"Origin": "http://evil.example"})
            check(r.status == 403, f"cross-origin post refused ({r.status})")

            # A read-only key sees everything and changes nothing.
            ro = browser.new_context()
            rpage = ro.new_page()
            watch(rpage, errors)
            rpage.goto(base + "/ui/signin")
            rpage.fill("#key", READER)
            rpage.click("button[type=submit]")
            digest = store_digest(db)
            for url in ["/ui/", org_url, current, f"{current}/entries/GV.OC-01", register_url,
                        campaigns_url, camp_url, questions_url]:
                rpage.goto(url if url.startswith("http") else base + url)
                check("read-only" in rpage.inner_text("header"), f"read-only shown on {url}")
                check(rpage.locator("form.stack").count() == 0, f"no write form on {url}")
            token = rpage.get_attribute("input[name=csrf]", "value")
            for url, form in [("/ui/", {"name": "intruder"}),
                              (org_url, {"name": "p", "kind": "target"}),
                              (f"{current}/entries/GV.OC-01", {"status": "fully"})]:
                form["csrf"] = token
                r = rpage.request.post(url if url.startswith("http") else base + url,
                                       form=form, headers={"Origin": base})
                check(r.status == 403, f"read-only post to {url} refused ({r.status})")
            check(store_digest(db) == digest, "store unchanged by the read-only key")
            rpage.click("text=Sign out")
            check(rpage.url.endswith("/ui/signin"), "sign-out")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    check(not errors, f"console errors: {errors[:5]}")
    print(f"console-browser: {checks - len(failures)} passed, {len(failures)} failed "
          f"({len(visited)} pages checked with axe-core)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
