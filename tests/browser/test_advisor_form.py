"""The advisor recomputes as the reader types, in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOICE = "#advisor-result [data-advice-choice]"


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
    expect(page.locator(CHOICE)).to_have_text("GGUF IQ2_XXS")
    expect(page.locator("#advisor-result")).to_contain_text("극단적 압축으로만 들어갑니다")

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
    page.fill("#id_devices", "2")
    result = page.locator("#advisor-result")
    expect(result).to_contain_text("GPU 개수: 여러 장치는 GPU에서만 셀 수 있습니다")
    expect(page.locator("#id_devices")).to_have_attribute("aria-invalid", "true")
    # The live region itself stays, so that screen readers announce the change.
    assert result.evaluate("node => node.isConnected && node.getAttribute('aria-live')") == "polite"

    page.fill("#id_devices", "1")
    expect(page.locator(CHOICE)).to_contain_text("GGUF Q")
    expect(page.locator("#id_devices")).not_to_have_attribute("aria-invalid", "true")
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
