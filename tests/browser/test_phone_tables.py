"""Every table is readable on a 390 px phone: it fits, or it scrolls in a container that says so."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_post

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
# scrolls sideways, whether a hint that it does is shown, cells whose text is
# cut off inside them, and words split over two lines (a word here is a run of
# letters, digits and dots: a line may break after a hyphen, a slash or a bracket).
TABLES = """() => {
  const brokenWords = (cell) => {
    const broken = [];
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      for (const word of text.data.matchAll(/[\\p{L}\\p{N}.]+/gu)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((line) => Math.round(line.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
    return broken;
  };
  return [...document.querySelectorAll("main table")].map((table) => {
    const box = table.closest(".table-wrap") || table.parentElement;
    const style = getComputedStyle(box);
    const hint = getComputedStyle(box, "::before");
    const hintBox = box.getBoundingClientRect();
    const cells = [...table.querySelectorAll("th, td")];
    return {
      label: box.getAttribute("aria-label") || table.className,
      overflows: table.scrollWidth > box.clientWidth + 1,
      scrolls: ["auto", "scroll"].includes(style.overflowX),
      hint: hint.content !== "none" && hint.display !== "none" && parseFloat(hint.fontSize) > 0
        ? hint.content : null,
      boxInside: hintBox.left >= 0 && hintBox.right <= innerWidth + 1,
      cut: cells
        .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
        .map((cell) => cell.textContent.trim().slice(0, 30)),
      broken: cells.flatMap(brokenWords),
    };
  });
}"""


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
        assert table["cut"] == [] and table["broken"] == [], table
        if table["overflows"]:
            assert table["scrolls"] and table["hint"], table
    context.close()


# A table written in Markdown, as editors and members write them: one too wide
# for a phone, and one that fits.
WIDE_TABLE = """
| 모델 | 포맷 | 양자화 방식 | 필요 VRAM | 추천 소프트웨어 | 비고 |
| --- | --- | --- | --- | --- | --- |
| Llama-3-70B-Instruct | GGUF | Q4_K_M | 42.5 GB | llama.cpp, Ollama, LM Studio | 긴 문맥에서는 KV 캐시가 더 필요합니다 |
"""
NARROW_TABLE = """
| 포맷 | 도구 |
| --- | --- |
| GGUF | Ollama |
"""


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_a_table_written_in_a_post_scrolls_with_a_hint_only_when_it_is_wider_than_the_page(
    browser, site, width, axe_violations
):
    post = make_post(body=f"넓은 표:\n{WIDE_TABLE}\n좁은 표:\n{NARROW_TABLE}")
    context = browser.new_context(viewport={**PHONE, "width": width})
    page = context.new_page()
    page.goto(f"{site}{post.get_absolute_url()}")
    wide, narrow = page.evaluate(TABLES)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Each is named for a screen reader by its headings, and the keyboard can scroll it.
    assert wide["label"] == "표: 모델, 포맷, 양자화 방식, 필요 VRAM, 추천 소프트웨어, 비고"
    assert narrow["label"] == "표: 포맷, 도구"
    for table in (wide, narrow):
        assert table["boxInside"] and table["scrolls"], table
        assert table["cut"] == [] and table["broken"] == [], table
    assert narrow["overflows"] is False and narrow["hint"] is None
    if width == PHONE["width"]:
        assert wide["overflows"] and wide["hint"], wide
    else:
        assert wide["overflows"] is False and wide["hint"] is None
    assert axe_violations(page) == []
    context.close()
