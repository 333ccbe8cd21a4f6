"""
Screenshots of the list, the open dialog, the guide, a search and the advisor,
at desktop and phone widths, in light and dark colour schemes.

    make screenshots                       # starts its own server on the seeded database
    python scripts/screenshots.py --base-url http://127.0.0.1:8000 --out screenshots

Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM). Files are written to
--out (default: screenshots/, which git ignores).
"""

import argparse
import contextlib
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.local_server import CHROMIUM, CHROMIUM_ARGS, gunicorn

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]


def capture(base_url: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size_name, viewport in VIEWPORTS.items():
            for scheme in SCHEMES:
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                suffix = f"{size_name}-{scheme}.png"

                page.goto(f"{base_url}/community/")
                written.append(out / f"list-{suffix}")
                page.screenshot(path=written[-1], full_page=True)

                page.locator(".post-item__link").first.click()
                page.locator("#post-dialog [data-dialog-body] article[data-post-id]").wait_for()
                page.wait_for_timeout(300)  # let the opening animation finish
                written.append(out / f"dialog-{suffix}")
                page.screenshot(path=written[-1])

                page.goto(f"{base_url}/guide/")
                written.append(out / f"guide-{suffix}")
                page.screenshot(path=written[-1], full_page=True)

                page.goto(f"{base_url}/community/?q=%EC%96%91%EC%9E%90%ED%99%94")
                written.append(out / f"search-{suffix}")
                page.screenshot(path=written[-1], full_page=True)

                page.goto(
                    f"{base_url}/guide/advisor/?preset=Llama-3+70B&platform=nvidia_gpu"
                    "&memory_gb=24&devices=2&context=8192&use=B"
                )
                written.append(out / f"advisor-{suffix}")
                page.screenshot(path=written[-1], full_page=True)
                page.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--serve", action="store_true", help="start a server for the run")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    with gunicorn() if args.serve else contextlib.nullcontext(args.base_url) as base_url:
        for path in capture(base_url.rstrip("/"), args.out):
            print(path)


if __name__ == "__main__":
    main()
