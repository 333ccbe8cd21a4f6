"""
Screenshots of the list, the open dialog and the guide, at desktop and phone
widths, in light and dark colour schemes.

    make screenshots                       # against a server it starts itself
    python scripts/screenshots.py --base-url http://127.0.0.1:8000 --out screenshots

Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM). Files are written to
--out (default: screenshots/, which git ignores).
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def capture(base_url: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        for size_name, viewport in VIEWPORTS.items():
            for scheme in SCHEMES:
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                suffix = f"{size_name}-{scheme}.png"

                page.goto(f"{base_url}/community/")
                written.append(out / f"list-{suffix}")
                page.screenshot(path=written[-1], full_page=True)

                page.locator(".post-item__link").first.click()
                page.locator("#post-dialog [data-dialog-body] article[data-post-id]").wait_for()
                written.append(out / f"dialog-{suffix}")
                page.screenshot(path=written[-1])

                page.goto(f"{base_url}/guide/")
                written.append(out / f"guide-{suffix}")
                page.screenshot(path=written[-1], full_page=True)
                page.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    for path in capture(args.base_url.rstrip("/"), args.out):
        print(path)


if __name__ == "__main__":
    main()
