"""The advisor recomputes as the reader types, in a real browser."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOICE = "#advisor-result [data-advice-choice]"
DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def test_the_result_follows_the_form_as_the_reader_types(page, site, console_errors):
    page.goto(f"{site}/guide/advisor/")
    page.select_option("#id_preset", label="Llama-3 70B")
    page.select_option("#id_platform", value="nvidia_gpu")
    page.fill("#id_memory_gb", "24")
    page.fill("#id_devices", "2")
    page.select_option("#id_use", value="B")
    expect(page.locator(CHOICE)).to_have_text("EXL2 4.65bpw")
    assert "memory_gb=24" in page.url and "devices=2" in page.url  # shareable

    page.fill("#id_devices", "1")
    expect(page.locator(CHOICE)).to_have_text("들어가는 조합이 없습니다.")
    page.select_option("#id_kv_precision", value="q4_0")  # a Q4 KV cache leaves room
    expect(page.locator(CHOICE)).to_have_text("EXL2 2.5bpw")
    expect(page.locator("#advisor-result")).to_contain_text("극단적 압축으로만 들어갑니다")
    page.select_option("#id_kv_precision", value="f16")

    page.select_option("#id_platform", value="apple_silicon")
    page.fill("#id_memory_gb", "64")
    expect(page.locator(CHOICE)).to_contain_text("GGUF Q")

    page.fill("#id_memory_gb", "-3")
    expect(page.locator("#advisor-result")).to_contain_text("입력을 확인해 주세요")

    # The URL in the address bar reproduces what is shown, without JavaScript too.
    page.fill("#id_memory_gb", "64")
    expect(page.locator(CHOICE)).to_contain_text("GGUF Q")
    shared = page.url
    page.goto(shared)
    expect(page.locator(CHOICE)).to_contain_text("GGUF Q")
    assert console_errors == []


def test_what_is_wrong_shows_as_the_reader_types(page, site, console_errors):
    page.goto(f"{site}/guide/advisor/")
    page.select_option("#id_preset", label="Llama-3 70B")
    page.select_option("#id_use", value="B")
    page.select_option("#id_platform", value="apple_silicon")
    page.fill("#id_memory_gb", "64")
    page.fill("#id_context", "16384")
    result = page.locator("#advisor-result")
    expect(result).to_contain_text("Llama-3 70B의 최대 컨텍스트는 8,192 토큰입니다")
    expect(page.locator("#id_context")).to_have_attribute("aria-invalid", "true")
    # The live region itself stays, so that screen readers announce the change.
    assert result.evaluate("node => node.isConnected && node.getAttribute('aria-live')") == "polite"

    page.fill("#id_context", "8192")
    expect(page.locator(CHOICE)).to_contain_text("GGUF Q")
    expect(page.locator("#id_context")).not_to_have_attribute("aria-invalid", "true")
    assert console_errors == []


def test_errors_the_page_was_served_with_go_once_fixed(page, site, console_errors):
    page.goto(
        f"{site}/guide/advisor/?preset=Llama-3+70B&platform=nvidia_gpu&memory_gb=-3&devices=1&context=8192&use=B"
    )
    expect(page.locator(".field__error")).to_have_count(1)
    page.fill("#id_memory_gb", "24")
    expect(page.locator(CHOICE)).to_be_visible()
    expect(page.locator(".field__error")).to_have_count(0)
    expect(page.locator(".field--error")).to_have_count(0)
    assert console_errors == []


def test_the_form_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/guide/advisor/")
    page.select_option("#id_preset", label="Llama-3 70B")
    page.fill("#id_memory_gb", "24")
    page.fill("#id_devices", "2")
    page.select_option("#id_use", value="B")
    page.click("button[type=submit]")
    expect(page.locator(CHOICE)).to_have_text("EXL2 4.65bpw")
    context.close()


PHONE = {"width": 390, "height": 844}
# The case: an 8B model on a 16 GB Mac.
EIGHT_B_ON_A_MAC = (
    "/guide/advisor/?preset=Llama-3.1+8B&platform=apple_silicon&memory_gb=16"
    "&context=8192&kv_precision=f16&use=B"
)
# Each row's total and verdict, and the headline: where they sit on the screen.
PLACES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
  return {
    width: document.documentElement.scrollWidth,
    headline: box(document.querySelector("[data-advice-choice]")),
    cells: [...document.querySelectorAll("[data-total], [data-verdict]")].map(box),
  };
}"""


def test_the_verdict_and_the_totals_are_on_a_phone_screen(browser, site, tmp_path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}{EIGHT_B_ON_A_MAC}")
    expect(page.locator(CHOICE)).to_contain_text("GGUF")
    places = page.evaluate(PLACES)
    assert places["width"] <= PHONE["width"]  # no sideways scrolling of the page
    assert places["cells"], "the table has rows"
    for left, right in [places["headline"], *places["cells"]]:
        assert left >= 0 and right <= PHONE["width"], places  # no sideways scrolling of the table
    # The GPU count is not asked of a Mac (the script hides it; the server ignores it).
    expect(page.locator("#id_devices")).to_be_hidden()
    page.select_option("#id_platform", value="nvidia_gpu")
    expect(page.locator("#id_devices")).to_be_visible()
    page.select_option("#id_platform", value="apple_silicon")
    expect(page.locator("#advisor-result")).to_contain_text("✓ 들어감")
    shot = page.locator("#advisor-result")
    shot.screenshot(path=tmp_path / "advisor-phone-390.png")
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        shot.screenshot(path=DOCS / "advisor-phone-390.png")
    context.close()
