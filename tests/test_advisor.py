"""The hardware-fit advisor reproduces the sources' figures from the records."""

import re
from decimal import Decimal

import pytest

from community.markdown import plain_text
from guide import advisor
from guide.models import HardwareTier, ModelPreset, Quantization, Scenario, ScenarioPlatformOS
from tests.admin_pages import opened_form
from tests.factories import make_scenario

LLAMA_70B = "Llama-3 70B"


# Llama-3 70B on two 24 GB cards, for personal use (scenario B).
TWO_24GB_CARDS = {
    "preset": LLAMA_70B,
    "platform": "nvidia_gpu",
    "memory_gb": "24",
    "devices": "2",
    "context": "8192",
    "use": "B",
}


def about(value, figure, tolerance=Decimal("0.05")):
    """The sources' "약 N GB": within 5%."""
    return abs(Decimal(value) - figure) <= figure * tolerance


def advice_for(
    platform, memory_gb, devices=1, context=8192, use="B", preset=LLAMA_70B, kv_precision="f16"
):
    from guide.forms import AdvisorForm

    form = AdvisorForm(
        {
            "preset": preset,
            "platform": platform,
            "memory_gb": memory_gb,
            "devices": devices,
            "context": context,
            "use": use,
            "kv_precision": kv_precision,
        }
    )
    assert form.is_valid(), form.errors
    return form.get_advice()


def weights_of(advice, name):
    return next(e for e in advice.estimates if e.quantization.name == name).weights_gb


def test_weights_reproduce_the_corrected_answers_figures(seeded):
    advice = advice_for("nvidia_gpu", 24, devices=2)
    assert Decimal(40) <= weights_of(advice, "4.65bpw") <= Decimal(42)  # "약 40~42GB"
    assert about(weights_of(advice, "Q4_K_M"), Decimal(43))  # "Q4_K_M(약 43GB)"
    assert about(weights_of(advice, "Q5_K_M"), Decimal(52))  # "Q5_K_M(약 52GB)"


def test_two_24gb_cards_get_the_48gb_sweet_spot(seeded):
    advice = advice_for("nvidia_gpu", 24, devices=2)
    assert str(advice.choice.quantization) == "EXL2 4.65bpw"
    assert advice.tier.name == "VRAM 48GB"
    assert [s.name for s in advice.software] == ["ExLlamaV2"]
    # On an NVIDIA GPU, B's own row: no "Mac (macOS)" from its general advice.
    assert plain_text(advice.os) == "Windows 11 또는 Linux (NVIDIA 드라이버·CUDA)"


def test_a_64gb_mac_gets_gguf_k_quants(seeded):
    advice = advice_for("apple_silicon", 64)
    assert advice.choice.quantization.format.name == "GGUF"
    assert advice.choice.quantization.name in {"Q4_K_M", "Q5_K_M", "Q6_K"}
    assert advice.tier.memory_gb == 64
    assert advice.os == "<strong>macOS</strong>"  # not "Mac (macOS) 또는 Windows 11"
    # NVIDIA-only formats are computed but never fit a Mac, and the table says why.
    nvidia_only = [e for e in advice.estimates if e.quantization.format.requires_nvidia]
    assert nvidia_only and {(e.fits, e.verdict) for e in nvidia_only} == {(False, "NVIDIA 전용")}
    assert {e.verdict for e in advice.estimates if not e.quantization.format.requires_nvidia} == {
        "✓ 들어감",
        "✗ 부족",
    }


def test_70b_does_not_fit_24gb_even_by_extreme_compression_with_an_fp16_cache(seeded):
    advice = advice_for("nvidia_gpu", 24)
    assert [e for e in advice.estimates if e.fits] == []
    assert advice.choice is None
    assert advice.tier.fits_70b is False
    # A Q4_0 KV cache (llama.cpp) leaves room for the extreme compression alone.
    advice = advice_for("nvidia_gpu", 24, kv_precision="q4_0")
    fitting = [str(e.quantization) for e in advice.estimates if e.fits]
    assert fitting == ["GGUF IQ2_XXS", "EXL2 2.5bpw"]
    assert advice.choice.is_extreme


def test_serving_on_48gb_picks_awq_and_vllm(seeded):
    advice = advice_for("nvidia_gpu", 24, devices=2, use="A")
    assert str(advice.choice.quantization) == "AWQ 4-bit"
    assert [s.name for s in advice.software] == ["vLLM"]
    assert advice.scenario.run_method == "Docker Container"


def test_fine_tuning_70b_on_48gb_does_not_fit_and_says_why(seeded, client):
    advice = advice_for("nvidia_gpu", 24, devices=2, use="C")
    assert advice.choice is None
    html = client.get(
        "/guide/advisor/",
        {
            "preset": LLAMA_70B,
            "platform": "nvidia_gpu",
            "memory_gb": 24,
            "devices": 2,
            "context": 8192,
            "use": "C",
        },
    ).content.decode()
    assert "학습/연구 용도에 맞는 조합은 없습니다" in html and "On-the-fly quantization" in html


def test_an_8b_model_fits_a_24gb_card_in_gguf(seeded):
    advice = advice_for("nvidia_gpu", 24, preset="Llama-3 8B", use="B")
    assert advice.choice is not None and not advice.choice.is_extreme


def test_the_formula_follows_the_records(seeded):
    q4 = Quantization.objects.get(name="Q4_K_M")
    q4.bits_per_weight = Decimal("8.00")
    q4.save()
    assert weights_of(advice_for("apple_silicon", 64), "Q4_K_M") == Decimal("70.55")
    preset = ModelPreset.objects.get(name=LLAMA_70B)
    preset.layers = 40
    preset.save()
    kv = advice_for("apple_silicon", 64).estimates[0].kv_cache_gb
    assert kv == Decimal(2 * 40 * 8 * 128 * 2 * 8192) / Decimal(10**9)


def test_a_model_typed_in_by_size_needs_its_architecture(client, seeded):
    typed = {**TWO_24GB_CARDS, "preset": "", "parameters": "50"}
    html = client.get("/guide/advisor/", typed).content.decode()
    # By layers, KV heads and head dim, beside each field and in the summary.
    assert html.count("직접 입력한 모델은 구조가 필요합니다") == 6
    shaped = {**typed, "layers": "64", "kv_heads": "8", "head_dim": "128"}
    advice = client.get("/guide/advisor/", shaped).context["advice"]
    assert advice.estimates[0].kv_cache_gb == Decimal(2 * 64 * 8 * 128 * 2 * 8192) / 10**9


def test_the_page_answers_without_javascript(client, seeded):
    response = client.get("/guide/advisor/", TWO_24GB_CARDS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "EXL2 4.65bpw</strong>" in html
    assert "가중치</strong> = 파라미터 수 × 가중치당 비트(bpw) ÷ 8" in html
    partial = client.get(
        "/guide/advisor/result/",
        {
            "parameters": "70",
            "platform": "apple_silicon",
            "memory_gb": "64",
            "devices": "1",
            "context": "8192",
            "use": "B",
        },
    ).content.decode()
    assert partial.lstrip().startswith('<section class="advisor-result"')


@pytest.mark.parametrize(
    "changes",
    [
        {"parameters": "-70", "preset": ""},
        {"parameters": "0", "preset": ""},
        {"parameters": "99999999", "preset": ""},
        {"parameters": "abc", "preset": ""},
        {"parameters": "NaN", "preset": ""},
        {"parameters": "", "preset": ""},
        {"memory_gb": "-1"},
        {"memory_gb": "0"},
        {"memory_gb": "1e9"},
        {"memory_gb": "스물넷"},
        {"devices": "0"},
        {"devices": "100"},
        {"context": "-8192"},
        {"context": "99999999999999999999"},
        {"platform": "quantum"},
        {"use": "Z"},
        {"preset": "GPT-9 10T"},
        {"context": "16384"},  # Llama-3 70B's maximum is 8,192
        {"preset": "", "parameters": "46.7", "config_json": "{not json"},
        {"preset": "", "parameters": "46.7", "config_json": '{"num_hidden_layers": 32}'},
        {
            "preset": "",
            "parameters": "46.7",
            "config_json": '{"num_hidden_layers": 32, "num_attention_heads": 32, '
            '"hidden_size": 4096, "num_local_experts": 8}',
        },
    ],
)
@pytest.mark.parametrize("url", ["/guide/advisor/", "/guide/advisor/result/"])
def test_bad_input_is_a_form_error_never_a_500(client, seeded, changes, url):
    data = {
        "preset": LLAMA_70B,
        "platform": "nvidia_gpu",
        "memory_gb": "24",
        "devices": "1",
        "context": "8192",
        "use": "B",
        **changes,
    }
    response = client.get(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "입력을 확인해 주세요" in html
    if url == "/guide/advisor/":
        assert 'class="field__error"' in html


# The content version; the chosen preset and scenario (validation, 2); the
# scenario's links and its OS per platform (4); quantizations with their formats, and the formats'
# software (2); the tiers; the form's select options (preset 1, scenario 2);
# the NVIDIA-only and the layer-splitting formats the assumptions name; the
# hardware catalogue's and the system RAM's options.
ADVISOR_QUERIES = 17


def test_the_advisor_has_a_fixed_query_budget(client, seeded, django_assert_num_queries):
    query = TWO_24GB_CARDS
    with django_assert_num_queries(ADVISOR_QUERIES):
        assert client.get("/guide/advisor/", query).status_code == 200
    fmt = Quantization.objects.first().format
    for i in range(15):
        Quantization.objects.create(
            format=fmt, name=f"extra-{i}", bits_per_weight=Decimal(3 + i % 5)
        )
    with django_assert_num_queries(ADVISOR_QUERIES):
        assert client.get("/guide/advisor/", {**query, "context": "4096"}).status_code == 200


def test_the_guide_and_the_tier_posts_link_to_the_advisor(client, seeded):
    assert "/guide/advisor/" in client.get("/guide/").content.decode()
    post = Scenario.objects.first()  # noqa: F841 - the records exist
    html = client.get("/community/llama-3-70b-quantization/").content.decode()
    assert 'href="/guide/advisor/"' in html


def test_no_choice_says_whether_the_formats_cannot_run_or_do_not_fit(client, seeded):
    # Serving's formats are NVIDIA-only: a Mac with room to spare is told so.
    mac = advice_for("apple_silicon", 512, preset="Llama-3 8B", use="A")
    assert mac.choice is None and any(e.fits for e in mac.estimates)
    assert "AWQ, GPTQ" in mac.no_choice_reason and "NVIDIA" in mac.no_choice_reason
    assert "메모리" in mac.no_choice_reason  # "not memory, but the hardware"
    # Fine-tuning 70B on 48 GB: its formats run there, they do not fit.
    training = advice_for("nvidia_gpu", 24, devices=2, use="C")
    assert training.choice is None and "더 많은 메모리" in training.no_choice_reason
    assert "NVIDIA" not in training.no_choice_reason


def test_an_error_is_the_description_its_field_points_to(client, seeded):
    html = client.get("/guide/advisor/", {"memory_gb": "abc", "context": "10"}).content.decode()
    described = re.search(r'id="id_memory_gb"[^>]*aria-describedby="([^"]+)"', html)
    if described is None:  # attribute order
        described = re.search(r'aria-describedby="([^"]+)"[^>]*id="id_memory_gb"', html)
    for target in described.group(1).split():
        assert f'id="{target}"' in html


@pytest.mark.parametrize("platform", ["apple_silicon", "cpu"])
def test_apple_silicon_and_cpu_are_not_asked_for_a_gpu_count(client, seeded, platform):
    query = {**TWO_24GB_CARDS, "platform": platform, "memory_gb": "64", "devices": "5"}
    response = client.get("/guide/advisor/", query)
    advice = response.context["advice"]
    assert advice is not None and {e.overhead_gb for e in advice.estimates} == {Decimal(1)}
    assert "× 5" not in response.content.decode()


def result_for(client, **query):
    base = {"platform": "nvidia_gpu", "memory_gb": "24", "context": "8192", "use": "B"}
    return client.get("/guide/advisor/result/", {**base, **query}).context["advice"]


def row(advice, name):
    return next(e for e in advice.estimates if str(e.quantization) == name)


def test_decoding_speed_is_bandwidth_over_the_bytes_each_token_reads(client, seeded):
    dense = result_for(client, preset="Llama-3.1 8B", hardware="RTX 4090 24GB")
    # 1,008 GB/s / (8.03B x 4.89 bits / 8 + 2x32x8x128x2x8,192 bytes of KV cache)
    read = Decimal("8.03") * Decimal("4.89") / 8 + Decimal(2 * 32 * 8 * 128 * 2 * 8192) / 10**9
    assert float(row(dense, "GGUF Q4_K_M").tokens_per_second) == pytest.approx(1008 / float(read))
    assert 160 < row(dense, "GGUF Q4_K_M").tokens_per_second < 175
    # An MoE model reads its active parameters only: 3.3B of Qwen3 30B-A3B's 30.5B.
    moe = result_for(client, preset="Qwen3 30B-A3B", hardware="RTX 4090 24GB")
    read = Decimal("3.30") * Decimal("4.89") / 8 + Decimal(2 * 48 * 4 * 128 * 2 * 8192) / 10**9
    assert float(row(moe, "GGUF Q4_K_M").tokens_per_second) == pytest.approx(1008 / float(read))
    # Without a listed device there is no bandwidth, and no figure is made up.
    assert result_for(client, preset="Llama-3.1 8B").choice.tokens_per_second is None


def test_a_gguf_model_too_big_for_the_gpu_splits_its_layers_with_system_ram(client, seeded):
    query = {"preset": "Llama-3.1 70B", "hardware": "RTX 4090 24GB"}
    alone = result_for(client, **query)
    assert not any(e.is_split for e in alone.estimates)  # no RAM given
    advice = result_for(client, **query, ram="DDR5-5600 듀얼 채널 96GB")
    q4 = row(advice, "GGUF Q4_K_M")
    # 43.12 GB of weights + 2.68 GB of KV cache over 80 layers: 0.573 GB a layer;
    # 23 GB left on the card after its 1 GB holds 40 of them, RAM the other 40.
    assert (q4.gpu_layers, q4.layers, q4.fits) == (40, 80, False)
    assert q4.verdict == "◐ RAM에 나눠 (GPU 40/80층)"
    per_token = float(q4.weights_gb + q4.kv_cache_gb)
    expected = 1 / (per_token / 2 / 1008 + per_token / 2 / 89)
    assert float(q4.tokens_per_second) == pytest.approx(expected)
    assert 3 < q4.tokens_per_second < 4
    # Formats that cannot split stay "too big"; the headline still says nothing fits,
    # and names the split as the way to run it.
    assert row(advice, "EXL2 4.65bpw").verdict == "✗ 부족"
    html = client.get(
        "/guide/advisor/",
        {
            **query,
            "ram": "DDR5-5600 듀얼 채널 96GB",
            "platform": "nvidia_gpu",
            "memory_gb": "24",
            "context": "8192",
            "use": "B",
        },
    ).content.decode()
    assert "들어가는 조합이 없습니다" in html
    assert "GGUF Q4_K_M</strong>은 80층 가운데 40층을 GPU에" in html


ON_A_GPU = advisor.Hardware(HardwareTier.Platform.NVIDIA_GPU, 24)
ON_A_CPU = advisor.Hardware(HardwareTier.Platform.CPU, 64)


def test_the_os_is_the_scenarios_own_row_for_the_platform(db):
    scenario = make_scenario(os="**Mac (macOS)** 또는 **Windows 11**")
    ScenarioPlatformOS.objects.create(
        scenario=scenario, platform=HardwareTier.Platform.NVIDIA_GPU, os="**Windows 11** (CUDA)"
    )
    loaded = Scenario.objects.for_advisor().get(pk=scenario.pk)
    assert advisor.os_advice(loaded, ON_A_GPU) == "<strong>Windows 11</strong> (CUDA)"


def test_without_a_row_for_the_platform_the_os_is_the_scenarios_own(db):
    general = "<strong>Mac (macOS)</strong> 또는 <strong>Windows 11</strong>"
    with_a_gpu_row = make_scenario(code="Y", os="**Mac (macOS)** 또는 **Windows 11**")
    ScenarioPlatformOS.objects.create(
        scenario=with_a_gpu_row, platform=HardwareTier.Platform.NVIDIA_GPU, os="**Linux**"
    )
    without_rows = make_scenario(code="Z", os="**Mac (macOS)** 또는 **Windows 11**")
    for scenario in Scenario.objects.for_advisor().filter(code__in=["Y", "Z"]):
        assert advisor.os_advice(scenario, ON_A_CPU) == general
    assert advisor.os_advice(without_rows, ON_A_GPU) == general


def os_on_the_page(html):
    return plain_text(re.search(r"<dt>추천 OS</dt><dd>(.*?)</dd>", html).group(1))


def test_an_editors_change_of_the_row_changes_the_advice(client, seeded, editor):
    assert os_on_the_page(client.get("/guide/advisor/", TWO_24GB_CARDS).content.decode()) == (
        "Windows 11 또는 Linux (NVIDIA 드라이버·CUDA)"
    )
    b = Scenario.objects.get(code="B")
    row = b.platform_os.get(platform=HardwareTier.Platform.NVIDIA_GPU)
    client.force_login(editor)
    url = f"/admin/guide/scenario/{b.pk}/change/"
    form = opened_form(client, url)
    prefix = next(
        name.removesuffix("-id")
        for name, value in form.items()
        if name.startswith("platform_os-") and name.endswith("-id") and value == str(row.pk)
    )
    response = client.post(url, {**form, f"{prefix}-os": "**Ubuntu 24.04** (CUDA 12)"})
    assert response.status_code == 302
    client.logout()
    # The page cached before the save is not served again.
    html = client.get("/guide/advisor/", TWO_24GB_CARDS).content.decode()
    assert os_on_the_page(html) == "Ubuntu 24.04 (CUDA 12)"
    assert "<strong>Ubuntu 24.04</strong>" in html


def test_the_seeded_local_use_advises_macos_alone_on_apple_silicon_and_never_on_nvidia(seeded):
    gpu = advice_for("nvidia_gpu", 24, devices=2, use="B")
    mac = advice_for("apple_silicon", 64, use="B")
    cpu = advice_for("cpu", 64, preset="Llama-3 8B", use="B")
    assert "mac" not in gpu.os.lower() and "Windows 11" in gpu.os
    assert plain_text(mac.os) == "macOS"
    # A machine without a GPU may be a Mac or a PC: the use's own advice, both.
    assert cpu.os == Scenario.objects.get(code="B").os_html
