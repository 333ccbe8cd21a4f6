"""Every table is readable on a 390 px phone: it fits, or it scrolls in a container that says so."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/guide/",
    "/community/llm-model-formats/",
    "/community/serving-and-training-scenarios/",
    "/community/llama-3-70b-quantization/",
    "/community/safetensors-vs-pytorch-bin/",
    "/guide/advisor/?preset=Llama-3+70B&platform=nvidia_gpu&memory_gb=24&devices=2&context=8192&use=B",
]

# For each table: whether it is wider than the box it sits in, whether that box
# scrolls sideways, whether a hint that it does is shown, and cells whose text
# is cut off inside them.
TABLES = """() => [...document.querySelectorAll("main table")].map((table) => {
  const box = table.closest(".table-wrap") || table.parentElement;
  const style = getComputedStyle(box);
  const hint = getComputedStyle(box, "::before");
  const hintBox = box.getBoundingClientRect();
  return {
    label: box.getAttribute("aria-label") || table.className,
    overflows: table.scrollWidth > box.clientWidth + 1,
    scrolls: ["auto", "scroll"].includes(style.overflowX),
    hint: hint.content !== "none" && hint.display !== "none" ? hint.content : null,
    boxInside: hintBox.left >= 0 && hintBox.right <= innerWidth + 1,
    cut: [...table.querySelectorAll("th, td")]
      .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
      .map((cell) => cell.textContent.trim().slice(0, 30)),
  };
})"""


@pytest.mark.parametrize("path", PAGES)
def test_tables_are_readable_at_390px(browser, site, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}{path}")
    expect(page.locator("main h1")).to_be_visible()
    tables = page.evaluate(TABLES)
    assert tables, "the page has tables"
    # Nothing makes the page itself wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for table in tables:
        assert table["boxInside"], table
        assert table["cut"] == [], table
        if table["overflows"]:
            assert table["scrolls"] and table["hint"], table
    context.close()
