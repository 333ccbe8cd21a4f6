"""The seed fixtures carry the source documents' content (../shared/seeds)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from community.management.commands.seed import SEED_FIXTURES, SYNONYM_FIXTURE
from community.models import Answer, Post, Synonym
from guide.models import FormatProfile, HardwareTier, Scenario
from guide.models.reference import in_comparison_order
from tests.conftest import copy_seed

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures"
GEMINI_URL = "https://gemini.google.com/app/6bbcb4fb898ae6eb?hl=ko"


def row_counts(history=False):
    return {
        model._meta.label: model._base_manager.count()
        for model in (
            *apps.get_app_config("community").get_models(),
            *apps.get_app_config("guide").get_models(),
        )
        if model._meta.label.split(".")[1].startswith("Historical") == history
    }


def test_every_fixture_loads_twice_into_an_empty_database_without_duplicates(db):
    fixtures = sorted(path.stem for path in FIXTURE_DIR.glob("*.json"))
    assert fixtures == sorted([*SEED_FIXTURES, SYNONYM_FIXTURE])
    call_command("seed", verbosity=0)
    first, first_history = row_counts(), row_counts(history=True)
    Post.objects.update(body_html="")  # reloading renders again
    call_command("seed", reload=True, verbosity=0)
    assert row_counts() == first
    # Each loaded row has one first revision; loading again adds none.
    assert row_counts(history=True) == first_history
    assert first_history["community.HistoricalPost"] == first["community.Post"]
    # with the links of each post, so that reverting to it restores them
    for name in ("tags", "formats", "hardware_tiers", "scenarios"):
        links = getattr(Post, name).through.objects.count()
        assert first_history[f"community.HistoricalPost_{name}"] == links > 0
    assert first_history["community.HistoricalAnswer"] == first["community.Answer"]
    assert first["community.Post"] >= 8
    assert not Post.objects.filter(body_html="").exists()
    assert not Answer.objects.filter(body_html="").exists()
    assert not FormatProfile.objects.filter(tip_html="").exclude(tip="").exists()
    assert not HardwareTier.objects.filter(rationale_html="").exists()


def test_the_tests_copy_of_the_seed_holds_what_seed_writes(db, seed_rows):
    # Most tests start from copy_seed (tests/conftest.py), not from the command.
    def content():
        return {
            model: Counter(map(compared(model), model._base_manager.all())) for model in seed_rows
        }

    call_command("seed", verbosity=0)
    written = content()
    for model in reversed(list(seed_rows)):
        model._base_manager.all().delete()
    copy_seed(seed_rows)
    assert content() == written
    assert Post.objects.count() >= 8 and Synonym.objects.exists()
    # New rows after a copy get new keys, on PostgreSQL's sequences too.
    assert Post.objects.create(title="새 글", slug="new-after-copy", body="본문").pk > max(
        row.pk for row in seed_rows[Post]
    )


def compared(model):
    """
    A row as two seed runs write it alike: without its keys (PostgreSQL's
    sequences move on in a rolled-back run, so a second run numbers rows
    anew) and without the dates that saving sets, which revisions copy.
    """
    saved = getattr(model, "instance_type", model)  # a revision's model
    left_out = {"history_date", saved._meta.pk.attname} | {
        field.attname
        for field in [*model._meta.concrete_fields, *saved._meta.concrete_fields]
        if field.primary_key
        or field.is_relation
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    }
    names = [
        field.attname for field in model._meta.concrete_fields if field.attname not in left_out
    ]
    return lambda row: tuple(getattr(row, name) for name in names)


def test_seed_loads_the_fixtures_once_and_then_leaves_editors_changes(db):
    call_command("seed", verbosity=0)
    assert Post.objects.count() >= 8 and FormatProfile.objects.count() == len(FORMAT_CHART)
    post = Post.objects.order_by("pk").first()
    post.title = "편집자가 고친 제목"
    post.save()
    call_command("seed", verbosity=0)
    post.refresh_from_db()
    assert post.title == "편집자가 고친 제목"


# name: (extension, recommended software in chart order, a phrase of the tip)
FORMAT_CHART = {
    "GGUF": ("*.gguf", ["Ollama", "LM Studio", "llama.cpp"], "Q4_K_M"),
    "AWQ": ("*-awq", ["vLLM", "Text-Gen-WebUI", "Hugging Face Transformers"], "GPTQ보다 빠르고"),
    "GPTQ": ("*-gptq", ["vLLM", "Text-Gen-WebUI", "AutoGPTQ"], "구형 모델이 GPTQ로 배포"),
    "Safetensors": (
        "*.safetensors",
        ["vLLM", "Hugging Face Transformers", "모든 파이썬 코드"],
        "피클(pickle) 해킹 위험이 없어",
    ),
    "PyTorch Bin": ("*.bin", ["vLLM", "PyTorch", "Hugging Face Transformers"], "굳이 찾아서"),
    "ONNX": ("*.onnx", ["ONNX Runtime", "Triton Server"], "WebAssembly"),
    "EXL2": ("*-exl2", ["ExLlamaV2"], "4.65bpw"),
}


def test_the_format_chart_matches_the_source(seeded):
    formats = {f.name: f for f in FormatProfile.objects.with_software()}
    assert set(formats) == set(FORMAT_CHART)
    for name, (extension, software, tip) in FORMAT_CHART.items():
        fmt = formats[name]
        assert fmt.extension == extension
        assert [link.software.name for link in fmt.format_software.all()] == software, name
        assert tip in fmt.tip, name
    assert formats["GGUF"].role == "로컬/개인용 표준"
    primary = [
        link.software.name for link in formats["GGUF"].format_software.all() if link.is_primary
    ]
    assert primary == ["Ollama", "LM Studio"]


def test_the_comparison_table_matches_the_corrected_answer(seeded):
    rows = [
        (
            f.name,
            f.comparison_target,
            f.speed_rating,
            f.vram_rating,
            f.quality_note,
            f.recommended_environment,
        )
        for f in in_comparison_order(FormatProfile.objects.all())
    ]
    assert rows == [
        ("EXL2", "NVIDIA GPU (Hardcore)", 6, 6, "매우 우수 (가변 비트)", "2x RTX 3090/4090"),
        ("GGUF", "Mac / Low VRAM / CPU", 4, 5, "우수 (K-Quants)", "Mac Studio, 단일 GPU"),
        ("AWQ", "Production / vLLM", 5, 4, "우수", "H100/A100/A6000 서버"),
    ]


# code: (primary format, software in summary, OS, run method)
SCENARIOS = {
    "A": ("AWQ", ["vLLM"], "<strong>Linux (Ubuntu 22.04 LTS)</strong>", "Docker Container"),
    "B": (
        "GGUF",
        ["Ollama", "LM Studio"],
        "<strong>Mac (macOS)</strong> 또는 <strong>Windows 11</strong>",
        "Native App (설치형 프로그램)",
    ),
    "C": (
        "Safetensors",
        ["PyTorch", "Unsloth"],
        "<strong>Linux (Ubuntu)</strong> 또는 <strong>Windows (WSL2)</strong>",
        "Python Virtual Environment (Conda/Venv)",
    ),
}


def test_every_scenario_matches_the_source(seeded):
    scenarios = {s.code: s for s in Scenario.objects.with_details()}
    assert set(scenarios) == set(SCENARIOS)
    for code, (fmt, software, os_name, run_method) in SCENARIOS.items():
        scenario = scenarios[code]
        assert [f.name for f in scenario.summary_formats] == [fmt]
        assert [link.software.name for link in scenario.summary_software] == software
        assert scenario.os_html == os_name
        assert scenario.run_method == run_method
    assert [link.format.name for link in scenarios["A"].scenario_formats.all()] == ["AWQ", "GPTQ"]
    assert scenarios["A"].search_keyword == "Llama-3-8B-Instruct-AWQ"
    assert "TensorRT-LLM" in [link.software.name for link in scenarios["A"].scenario_software.all()]
    assert "On-the-fly quantization" in scenarios["C"].caveat
    assert [s.summary_run_method_html for s in scenarios.values()] == [
        "<strong>Docker</strong> (필수)",
        "<strong>Native App</strong>",
        "<strong>Conda</strong> (가상환경)",
    ]
    assert [s.summary_os_html for s in scenarios.values()] == [
        "<strong>Linux</strong>",
        "<strong>Mac / Win</strong>",
        "<strong>Linux</strong> / WSL2",
    ]
    assert "<code>.exe</code>나 <code>.dmg</code>로" in scenarios["B"].run_method_why_html
    assert "무조건 <strong>WSL2</strong>를" in scenarios["C"].os_note_html


def test_the_scenarios_read_as_the_guide_writes_them(client, seeded):
    html = client.get("/guide/").content.decode()
    assert "<code>Llama-3-8B-Instruct-GGUF</code> (파일: <code>Q4_K_M.gguf</code> 추천)" in html
    assert "<code>Llama-3-8B-Instruct</code> (뒤에 아무것도 안 붙은 것)" in html
    # the software the guide sets in bold, and that it does not
    assert "<strong>개발자라면</strong>: <strong>Ollama</strong>" in html
    assert "<em>대안</em>: TensorRT-LLM" in html
    assert "<em>프레임워크</em>: <strong>Unsloth</strong>" in html
    assert "<em>프레임워크</em>: Axolotl" in html


def test_the_sweet_spots_match_the_corrected_answer(seeded):
    tiers = {t.memory_gb: t for t in HardwareTier.objects.all()}
    assert "4.65bpw" in tiers[48].recommendation and "40~42GB" in tiers[48].memory_estimate
    assert "Q4_K_M 약 43GB" in tiers[64].memory_estimate
    assert "Q5_K_M 약 52GB" in tiers[64].memory_estimate
    assert tiers[64].memory_is_minimum
    assert tiers[24].fits_70b is False
    assert "IQ2_XXS" in tiers[24].rationale
    assert tiers[48].fits_70b and tiers[64].fits_70b


def test_the_wrong_answer_is_kept_flagged_and_never_public(seeded):
    question = Post.objects.get(slug="llama-3-70b-quantization")
    wrong = question.answers.get(status=Answer.Status.INCORRECT)
    assert "AWQ (Activation-aware Weight Quantization) 4-bit를 추천" in wrong.body
    assert wrong.editor_note.startswith("여기까지 내용은 명백히 오답입니다")
    assert not wrong.is_accepted
    assert wrong not in Answer.objects.public()

    detail = Post.objects.published().for_detail().get(pk=question.pk)
    assert [a.pk for a in detail.public_answers] == [detail.public_answers[0].pk]
    corrected = detail.public_answers[0]
    assert corrected.is_accepted and corrected.corrects == wrong
    assert corrected.source_url == GEMINI_URL
    assert "EXL2, GGUF, AWQ" in corrected.body


def test_the_format_chart_and_scenario_guide_are_info_posts(seeded):
    info = Post.objects.published().filter(kind=Post.Kind.INFO)
    assert info.filter(formats__name="ONNX").exists()
    assert info.filter(scenarios__code="C").exists()


@pytest.mark.parametrize("needle", ["file://", "/home/"])
def test_no_machine_path_from_the_request_is_seeded(needle):
    for path in FIXTURE_DIR.glob("*.json"):
        assert needle not in path.read_text(encoding="utf-8")


def test_the_tables_keep_the_sources_wording(client, seeded):
    html = client.get("/guide/").content.decode()
    # the mapping chart names Hugging Face Transformers as each row of the source does
    chart = re.search(r"ref-table--chart.*?</table>", html, re.S).group()
    rows = {
        name: re.search(rf"<strong>{re.escape(name)}</strong>.*?</tr>", chart, re.S).group()
        for name in ("AWQ", "Safetensors", "PyTorch Bin")
    }
    assert "<li>HuggingFace</li>" in rows["AWQ"] and "<li>HuggingFace</li>" in rows["Safetensors"]
    assert "<li>Transformers</li>" in rows["PyTorch Bin"]
    # and its emphasis
    gguf = re.search(r"<strong>GGUF</strong>.*?</tr>", chart, re.S).group()
    assert "<td><strong>Apple Silicon</strong><br>\n저사양 GPU<br>\nCPU Only</td>" in gguf
    assert "빠른 <strong>사실상의 표준 원본 포맷</strong>." in rows["Safetensors"]
    # the comparison table's headings
    comparison = re.search(r"ref-table--comparison.*?</thead>", html, re.S).group()
    assert [h for h in re.findall(r">([^<>]+)</a></th>", comparison)] == [
        "EXL2 (ExLlamaV2)",
        "GGUF (llama.cpp)",
        "AWQ",
    ]
    # the summary matrix's software cells
    assert "<td><strong>vLLM</strong></td>" in html
    assert "<td><strong>Ollama</strong> / LM Studio</td>" in html
    assert "<td><strong>PyTorch</strong> (Unsloth)</td>" in html
    assert "AI 모델 서빙 &amp; 학습 시나리오별 가이드 (The Definitive Guide)" in html
