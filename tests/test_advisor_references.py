"""
The advisor against independent references (docs/advisor.md shows the same table).

Weights: real GGUF file sizes, in GB (10^9 bytes) as Hugging Face lists them,
or llama.cpp's own table. KV cache: vLLM's formula on each model's config.json,
worked out by hand and written here as a figure:
    2 x layers x KV heads x head dim x bytes per value x tokens
    (a sliding-window layer holds min(tokens, window) tokens)
    MLA: layers x (kv_lora_rank + qk_rope_head_dim) x bytes per value x tokens
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from guide import advisor
from guide.models import ModelPreset, Quantization

WEIGHTS_TOLERANCE = Decimal("0.05")
KV_TOLERANCE = Decimal("0.10")
BARTOWSKI_70B = "bartowski/Meta-Llama-3.1-70B-Instruct-GGUF file list"


@dataclass(frozen=True)
class Case:
    model: str
    quantization: str  # "FORMAT NAME"
    context: int
    kv_precision: str
    platform: str
    memory_gb: int
    devices: int
    weights_gb: Decimal  # the reference
    weights_source: str
    kv_gb: Decimal  # the reference
    kv_working: str

    @property
    def reference_total_gb(self):
        overhead = advisor.RUNTIME_OVERHEAD_GB_PER_DEVICE * self.devices
        return self.weights_gb + self.kv_gb + overhead

    @property
    def reference_fits(self):
        return self.reference_total_gb <= self.memory_gb * self.devices


CASES = [
    Case(
        "Llama-3.1 70B", "GGUF Q4_K_M", 8192, "f16", "nvidia_gpu", 24, 2,
        Decimal("42.52"), BARTOWSKI_70B,
        Decimal("2.684"), "2×80×8×128×2×8,192 = 2,684,354,560 B",
    ),
    Case(
        "Llama-3.1 70B", "GGUF Q8_0", 32768, "f16", "nvidia_gpu", 24, 4,
        Decimal("74.98"), BARTOWSKI_70B,
        Decimal("10.737"), "2×80×8×128×2×32,768 = 10,737,418,240 B",
    ),
    Case(
        "Llama-3.1 70B", "GGUF Q6_K", 8192, "f16", "apple_silicon", 64, 1,
        Decimal("57.89"), BARTOWSKI_70B,
        Decimal("2.684"), "2×80×8×128×2×8,192 = 2,684,354,560 B",
    ),
    Case(
        "Llama-3.1 70B", "GGUF IQ4_XS", 32768, "f16", "nvidia_gpu", 48, 1,
        Decimal("37.90"), BARTOWSKI_70B,
        Decimal("10.737"), "2×80×8×128×2×32,768 = 10,737,418,240 B",
    ),
    Case(
        "Llama-3.1 70B", "GGUF IQ3_M", 16384, "q8_0", "nvidia_gpu", 24, 2,
        Decimal("31.94"), BARTOWSKI_70B,
        Decimal("2.852"), "2×80×8×128×(34/32)×16,384 = 2,852,126,720 B",
    ),
    Case(
        "Llama-3.1 405B", "GGUF Q4_K_M", 65536, "f16", "nvidia_gpu", 80, 4,
        Decimal("249.1"), "llama.cpp tools/quantize/README.md (Llama 3.1 405B, Q4_K_M)",
        Decimal("33.823"), "2×126×8×128×2×65,536 = 33,822,867,456 B",
    ),
    Case(
        "Llama-3.1 8B", "GGUF Q4_K_M", 131072, "f16", "nvidia_gpu", 24, 1,
        Decimal("4.92"), "llama.cpp tools/quantize/README.md (4.58 GiB)",
        Decimal("17.180"), "2×32×8×128×2×131,072 = 17,179,869,184 B",
    ),
    Case(
        "Gemma 2 27B", "GGUF Q8_0", 8192, "f16", "nvidia_gpu", 32, 1,
        Decimal("28.93"), "bartowski/gemma-2-27b-it-GGUF file list",
        Decimal("2.315"), "2×16×128×2×(23×8,192 + 23×4,096 window) = 2,315,255,808 B",
    ),
    Case(
        "Mixtral 8x7B", "GGUF Q8_0", 32768, "f16", "apple_silicon", 64, 1,
        Decimal("49.62"), "TheBloke/Mixtral-8x7B-Instruct-v0.1-GGUF file list",
        Decimal("4.295"), "2×32×8×128×2×32,768 = 4,294,967,296 B",
    ),
    Case(
        "Qwen2.5 7B", "GGUF Q4_K_M", 32768, "f16", "nvidia_gpu", 8, 1,
        Decimal("4.68"), "Qwen/Qwen2.5-7B-Instruct-GGUF file list",
        Decimal("1.879"), "2×28×4×128×2×32,768 = 1,879,048,192 B",
    ),
    Case(
        "Mistral 7B v0.3", "GGUF Q4_K_M", 32768, "f16", "nvidia_gpu", 8, 1,
        Decimal("4.37"), "bartowski/Mistral-7B-Instruct-v0.3-GGUF file list",
        Decimal("4.295"), "2×32×8×128×2×32,768 = 4,294,967,296 B",
    ),
    Case(
        "DeepSeek-V3 671B", "GGUF Q8_0", 32768, "f16", "cpu", 768, 1,
        Decimal("713"), "unsloth/DeepSeek-V3-GGUF file list (Q8_0)",
        Decimal("2.303"), "61×(512+64)×2×32,768 = 2,302,672,896 B (MLA)",
    ),
    Case(
        "Qwen3 30B-A3B", "GGUF Q4_K_M", 32768, "f16", "nvidia_gpu", 24, 1,
        Decimal("18.6"), "unsloth/Qwen3-30B-A3B-GGUF file list",
        Decimal("3.221"), "2×48×4×128×2×32,768 = 3,221,225,472 B",
    ),
]  # fmt: skip


def advisor_estimate(case):
    fmt, name = case.quantization.split(" ", 1)
    quantization = Quantization.objects.select_related("format").get(format__name=fmt, name=name)
    architecture = ModelPreset.objects.get(name=case.model).architecture
    (estimate,) = advisor.estimate_all(
        architecture=architecture,
        context_tokens=case.context,
        hardware=advisor.Hardware(case.platform, case.memory_gb, case.devices),
        quantizations=[quantization],
        kv_precision=case.kv_precision,
    )
    return estimate


def within(value, reference, tolerance):
    return abs(value - reference) <= reference * tolerance


def test_there_are_at_least_twelve_cases_and_both_verdicts():
    assert len(CASES) >= 12
    assert {case.reference_fits for case in CASES} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.model} {c.quantization} {c.context}")
def test_the_advisor_agrees_with_the_references(seeded, case):
    estimate = advisor_estimate(case)
    assert within(estimate.weights_gb, case.weights_gb, WEIGHTS_TOLERANCE), (
        estimate.weights_gb,
        case.weights_source,
    )
    assert within(estimate.kv_cache_gb, case.kv_gb, KV_TOLERANCE), (
        estimate.kv_cache_gb,
        case.kv_working,
    )
    assert estimate.fits == case.reference_fits


@pytest.mark.parametrize(
    ("model", "context", "reference_gb"),
    [
        # 2x8x64x2 x (18x131,072 + 18x128 window) = 4,836,556,800 B
        ("gpt-oss 120B", 131072, Decimal("4.837")),
        # 2x16x128x2 x (10x32,768 + 52x1,024 window) = 3,120,562,176 B
        ("Gemma 3 27B", 32768, Decimal("3.121")),
        # 2x126x8x128x2x8,192 = 4,227,858,432 B: the issue's +265% is gone
        ("Llama-3.1 405B", 8192, Decimal("4.228")),
    ],
)
def test_sliding_windows_and_large_models_take_their_own_kv_cache(
    seeded, model, context, reference_gb
):
    architecture = ModelPreset.objects.get(name=model).architecture
    assert within(advisor.kv_cache_gb(architecture, context), reference_gb, Decimal("0.001"))
