"""
Lighthouse's four category scores for pages of the site, and every audit that
cost points.

    make lighthouse                                  # the 404 and 400 pages, on their own server
    make lighthouse LIGHTHOUSE_ARGS="/ /guide/"
    python scripts/lighthouse.py --base-url http://127.0.0.1:8000 /community/no-such-post/

Lighthouse runs with --ignore-status-code, so that an error page is audited
instead of refused. Two audits cannot pass on an error page whatever it holds,
since they judge the status itself: SEO's http-status-code (any 4xx or 5xx
fails) and best practices' errors-in-console (Chromium logs the document's own
error status as a failed load). They are listed, and marked as the status's;
the run fails (exit 1) on any other audit that costs points, and, on a page
answered 200, on any category under 100.

Lighthouse (npm, pinned below) is installed on first use into bench/.lighthouse/,
which the benchmark shares; it drives Debian's Chromium (/usr/bin/chromium, or
$CHROMIUM).
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.local_server import CHROMIUM, gunicorn  # noqa: E402

# 12.2.3 runs on Node 20; Lighthouse 13 needs Node 22.
LIGHTHOUSE_VERSION = "12.2.3"
TOOL = ROOT / "bench" / ".lighthouse"
CATEGORIES = "performance,accessibility,best-practices,seo"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)


def binary():
    """The Lighthouse command, installed first if it is not there yet in the pinned version."""
    package = TOOL / "node_modules" / "lighthouse" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != LIGHTHOUSE_VERSION:
        install = ["npm", "install", "--silent", "--no-audit", "--no-fund", "--save-exact"]
        subprocess.run(
            [*install, "--prefix", str(TOOL), f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True
        )
    return TOOL / "node_modules" / ".bin" / "lighthouse"


def report(url, *, ignore_status_code=False, attempts=2):
    """Lighthouse's JSON report of `url`; RuntimeError with its message if every attempt fails."""
    command = [str(binary()), url, "--output=json", "--quiet", f"--only-categories={CATEGORIES}"]
    command.append(f"--chrome-flags={CHROME_FLAGS}")
    if ignore_status_code:
        command.append("--ignore-status-code")
    for _ in range(attempts):
        run = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}
        )
        if run.returncode == 0:
            return json.loads(run.stdout)
    raise RuntimeError(run.stderr.strip()[-500:])


def scores(data):
    """Each category's score out of 100."""
    return {key: round(category["score"] * 100) for key, category in data["categories"].items()}


def shortfalls(data):
    """The weighted audits that did not pass: {audit id: 'category: audit id (title)'}."""
    audits = data["audits"]
    return {
        ref["id"]: f"{key}: {ref['id']} ({audits[ref['id']]['title']})"
        for key, category in data["categories"].items()
        for ref in category["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] not in (None, 1)
    }


def failed_by_the_status(data):
    """
    The audits that failed only because the page answered with an error status:
    http-status-code, and errors-in-console when its one error is the
    document's own failed load. Empty for a page answered 2xx.
    """
    audits = data["audits"]
    if audits["http-status-code"]["score"] != 0:
        return set()
    failed = {"http-status-code"}
    errors = audits["errors-in-console"].get("details", {}).get("items", [])
    if errors and all(
        error["source"] == "network" and error["sourceLocation"]["url"] == data["mainDocumentUrl"]
        for error in errors
    ):
        failed.add("errors-in-console")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths", nargs="*", default=["/community/no-such-post/", "/community/?kind=nonsense"]
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--serve", action="store_true", help="start a server for the run")
    args = parser.parse_args()
    failed = False
    with gunicorn() if args.serve else contextlib.nullcontext(args.base_url) as base_url:
        for path in args.paths:
            data = report(base_url.rstrip("/") + path, ignore_status_code=True)
            print(path, json.dumps(scores(data)))
            by_status = failed_by_the_status(data)
            for audit, line in shortfalls(data).items():
                print(f"  {line}{' [the error status]' if audit in by_status else ''}")
                failed |= audit not in by_status
            failed |= not by_status and min(scores(data).values()) < 100
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
