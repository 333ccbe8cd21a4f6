"""
The hardware-fit advisor: how much memory a model needs in each format and
bit-width, whether it fits, and what to run it with.

Everything it knows comes from records editors can change (quantizations and
their bits per weight, model presets, formats, scenarios, hardware tiers); the
assumptions below are stated on the page as they are here.

    weights  = parameters x bits per weight / 8            (GB = 10^9 bytes)
    KV cache = 2 (K and V) x layers x KV heads x head dim x 2 bytes (FP16) x context
    overhead = 1 GB per device (each GPU's CUDA context and buffers; Metal's on a Mac)
    total    = weights + KV cache + overhead; it fits when total <= the memory given
"""

from dataclasses import dataclass
from decimal import Decimal

from guide.models import HardwareTier

GB = Decimal(10**9)
RUNTIME_OVERHEAD_GB_PER_DEVICE = Decimal(1)
# Below this, a quantization is the "extreme compression" the sources warn about.
EXTREME_BITS = Decimal(3)


@dataclass(frozen=True)
class Hardware:
    platform: str  # a HardwareTier.Platform value
    memory_gb: int  # per device
    devices: int = 1

    @property
    def total_gb(self) -> int:
        return self.memory_gb * self.devices


@dataclass(frozen=True)
class Estimate:
    quantization: object
    weights_gb: Decimal
    kv_cache_gb: Decimal
    overhead_gb: Decimal
    total_gb: Decimal
    fits: bool
    unsupported_reason: str  # why the format does not run on this hardware at all, or ""

    @property
    def is_extreme(self) -> bool:
        return self.quantization.bits_per_weight < EXTREME_BITS

    @property
    def verdict(self) -> str:
        """The table's answer for this row: fits, too big, or why it cannot run."""
        if self.unsupported_reason:
            return self.unsupported_reason
        return "✓ 들어감" if self.fits else "✗ 부족"


@dataclass(frozen=True)
class Advice:
    estimates: list
    choice: Estimate | None
    scenario: object
    software: list
    tier: object | None
    no_choice_reason: str = ""  # when there is no choice: why not


def weights_gb(parameters_billion, bits_per_weight) -> Decimal:
    return Decimal(parameters_billion) * GB * Decimal(bits_per_weight) / 8 / GB


def kv_cache_gb(kv_bytes_per_token, context_tokens) -> Decimal:
    return Decimal(kv_bytes_per_token) * context_tokens / GB


def kv_bytes_per_token_for(parameters_billion, presets):
    """
    The KV cache of a model given only by its size: that of the preset nearest in
    size, scaled by the ratio of parameters (an approximation the page states).
    """
    nearest = min(presets, key=lambda p: abs(p.parameters_billion - parameters_billion))
    return nearest.kv_cache_bytes_per_token * parameters_billion / nearest.parameters_billion


def unsupported_reason(fmt, hardware: Hardware) -> str:
    """Why the format does not run on this hardware at all, or "" when it does."""
    if fmt.requires_nvidia and hardware.platform != HardwareTier.Platform.NVIDIA_GPU:
        return "NVIDIA 전용"
    return ""


def estimate_all(
    *, parameters_billion, kv_bytes_per_token, context_tokens, hardware, quantizations
):
    kv = kv_cache_gb(kv_bytes_per_token, context_tokens)
    overhead = RUNTIME_OVERHEAD_GB_PER_DEVICE * hardware.devices
    estimates = []
    for quantization in quantizations:
        weights = weights_gb(parameters_billion, quantization.bits_per_weight)
        total = weights + kv + overhead
        reason = unsupported_reason(quantization.format, hardware)
        estimates.append(
            Estimate(
                quantization=quantization,
                weights_gb=weights,
                kv_cache_gb=kv,
                overhead_gb=overhead,
                total_gb=total,
                fits=not reason and total <= hardware.total_gb,
                unsupported_reason=reason,
            )
        )
    return estimates


def matching_tier(hardware: Hardware, tiers):
    """The sweet-spot tier for this platform whose memory is the largest not above ours."""
    candidates = [
        t for t in tiers if t.platform == hardware.platform and t.memory_gb <= hardware.total_gb
    ]
    return max(candidates, key=lambda t: t.memory_gb, default=None)


def preferred_formats(scenario, tier, hardware):
    """
    The formats to choose from, best first: a personal setup follows its hardware
    tier's sweet spot; otherwise the scenario's formats; a format that cannot run
    on this hardware is skipped.
    """
    formats = [link.format for link in scenario.scenario_formats.all()]
    if tier is not None and tier.recommended_format and scenario.prefers_hardware_sweet_spot:
        formats.insert(0, tier.recommended_format)
    return [f for f in formats if not unsupported_reason(f, hardware)]


def advise(
    *,
    parameters_billion,
    kv_bytes_per_token,
    context_tokens,
    hardware,
    scenario,
    quantizations,
    tiers,
):
    estimates = estimate_all(
        parameters_billion=parameters_billion,
        kv_bytes_per_token=kv_bytes_per_token,
        context_tokens=context_tokens,
        hardware=hardware,
        quantizations=quantizations,
    )
    tier = matching_tier(hardware, tiers)
    preferred = preferred_formats(scenario, tier, hardware)
    fitting = [e for e in estimates if e.fits]

    def best(candidates):
        return max(candidates, key=lambda e: e.quantization.bits_per_weight, default=None)

    choice = None
    for fmt in preferred:
        own = [e for e in fitting if e.quantization.format_id == fmt.pk and not e.is_extreme]
        choice = best(own)
        if choice:
            break
    # A personal setup takes whatever runs, extreme compression last; serving and
    # training have no use for a format outside their own.
    if choice is None and scenario.prefers_hardware_sweet_spot:
        choice = best([e for e in fitting if not e.is_extreme]) or best(fitting)
    return Advice(
        estimates=estimates,
        choice=choice,
        scenario=scenario,
        software=software_for(scenario, choice.quantization.format) if choice else [],
        tier=tier,
        no_choice_reason="" if choice else why_nothing_fits(scenario, preferred, hardware),
    )


def why_nothing_fits(scenario, preferred, hardware):
    """Why the advice has no choice: the use's formats do not run here, or do not fit."""
    if preferred:
        return (
            f"{scenario.summary_label} 용도의 포맷 가운데 이 하드웨어에 들어가는 것이 없습니다. "
            "더 작은 모델이나 더 짧은 컨텍스트, 더 많은 메모리를 고려하세요."
        )
    formats = [link.format for link in scenario.scenario_formats.all()]
    names = ", ".join(f.name for f in formats)
    reasons = ", ".join(dict.fromkeys(unsupported_reason(f, hardware) for f in formats))
    return (
        f"{scenario.summary_label} 용도의 포맷({names})은 이 하드웨어에서 돌아가지 않습니다"
        f"({reasons}). 메모리가 아니라 하드웨어의 문제이니 다른 용도를 고르거나 "
        "이 포맷이 돌아가는 하드웨어를 고려하세요."
    )


def software_for(scenario, fmt):
    """The scenario's software that runs the chosen format, else the format's own picks."""
    format_software = {link.software_id for link in fmt.format_software.all()}
    from_scenario = [
        link
        for link in scenario.scenario_software.all()
        if link.role == link.Role.PRIMARY and link.software_id in format_software
    ]
    if from_scenario:
        return [link.software for link in from_scenario]
    return [link.software for link in fmt.format_software.all() if link.is_primary]
