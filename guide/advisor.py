"""
The hardware-fit advisor: how much memory a model needs in each format and
bit-width, whether it fits, and what to run it with.

Everything it knows comes from records editors can change (quantizations and
their measured bits per weight, the model catalogue's architectures, formats,
scenarios and the OS each recommends on each platform, hardware tiers); the
assumptions below are stated on the page as they are here.

    weights  = parameters x bits per weight / 8            (GB = 10^9 bytes)
    KV cache, per token, at the chosen precision (bytes per value):
        MHA/GQA: 2 (K and V) x layers x KV heads x head dim x bytes,
                 a sliding-window layer holding at most its window of tokens
        MLA:     layers x (compressed KV rank + RoPE head dim) x bytes
    overhead = 1 GB per device (each GPU's CUDA context and buffers; Metal's on a Mac)
    total    = weights + KV cache + overhead; it fits when total <= the memory given
"""

from dataclasses import dataclass
from decimal import Decimal

from guide.models import HardwareTier
from guide.models.advisor import KV_BYTES_PER_VALUE, KVCachePrecision, ModelPreset

GB = Decimal(10**9)
RUNTIME_OVERHEAD_GB_PER_DEVICE = Decimal(1)
# Below this, a quantization is the "extreme compression" the sources warn about.
EXTREME_BITS = Decimal(3)


@dataclass(frozen=True)
class Architecture:
    """A model's shape, from the catalogue, the form, or a pasted config.json."""

    parameters_billion: Decimal
    layers: int
    kv_heads: int
    head_dim: int
    max_context: int | None = None
    active_parameters_billion: Decimal | None = None
    attention: str = ModelPreset.Attention.GQA
    kv_lora_rank: int | None = None
    qk_rope_head_dim: int | None = None
    sliding_window: int | None = None
    sliding_window_layers: int = 0

    @property
    def is_moe(self):
        return self.active_parameters_billion is not None

    @property
    def read_parameters_billion(self):
        """The parameters each token reads: an MoE model's active ones."""
        return self.active_parameters_billion or self.parameters_billion

    @property
    def summary(self):
        """The shape the figures come from, as the result states it."""
        size = f"{self.parameters_billion}B"
        if self.is_moe:
            size += f" (토큰마다 {self.active_parameters_billion}B, MoE)"
        if self.attention == ModelPreset.Attention.MLA:
            shape = f"MLA {self.layers}레이어 × ({self.kv_lora_rank}+{self.qk_rope_head_dim})"
        else:
            shape = f"{self.layers}레이어 × KV 헤드 {self.kv_heads} × 헤드 차원 {self.head_dim}"
        parts = [size, shape]
        if self.sliding_window_layers:
            parts.append(
                f"{self.sliding_window_layers}레이어는 슬라이딩 윈도 {self.sliding_window:,} 토큰"
            )
        return " · ".join(parts)

    def kv_cache_bytes(self, context_tokens, bytes_per_value):
        """Keys and values for `context_tokens`, as vLLM sizes its cache."""
        if self.attention == ModelPreset.Attention.MLA:
            latent = self.kv_lora_rank + self.qk_rope_head_dim
            return self.layers * latent * bytes_per_value * context_tokens
        per_layer_and_token = 2 * self.kv_heads * self.head_dim * bytes_per_value
        windowed = self.sliding_window_layers
        window_tokens = min(context_tokens, self.sliding_window) if windowed else 0
        return per_layer_and_token * (
            (self.layers - windowed) * context_tokens + windowed * window_tokens
        )


@dataclass(frozen=True)
class Hardware:
    platform: str  # a HardwareTier.Platform value
    memory_gb: int  # per device
    devices: int = 1
    bandwidth_gb_s: int | None = None  # per device, from the hardware catalogue
    ram_gb: int = 0  # system RAM a GGUF model's remaining layers can go to
    ram_bandwidth_gb_s: int | None = None

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
    tokens_per_second: Decimal | None = None  # decoding, bounded by memory bandwidth
    gpu_layers: int | None = None  # when split between the GPU and system RAM
    layers: int | None = None

    @property
    def is_split(self):
        """Runs with its remaining layers in system RAM (GGUF partial offload)."""
        return self.gpu_layers is not None

    @property
    def is_extreme(self) -> bool:
        return self.quantization.bits_per_weight < EXTREME_BITS

    @property
    def verdict(self) -> str:
        """The table's answer for this row: fits, too big, or why it cannot run."""
        if self.unsupported_reason:
            return self.unsupported_reason
        if self.is_split:
            return f"◐ RAM에 나눠 (GPU {self.gpu_layers}/{self.layers}층)"
        return "✓ 들어감" if self.fits else "✗ 부족"


@dataclass(frozen=True)
class Advice:
    estimates: list
    choice: Estimate | None
    scenario: object
    software: list
    tier: object | None
    architecture: Architecture | None = None
    kv_precision: str = KVCachePrecision.F16
    overhead_per_device_gb: Decimal = RUNTIME_OVERHEAD_GB_PER_DEVICE
    no_choice_reason: str = ""  # when there is no choice: why not
    os: str = ""  # the OS advice for this use on this platform (HTML)

    @property
    def fitting(self):
        """The table's rows marked as fitting: the headline's choice is one of them."""
        return [e for e in self.estimates if e.fits]

    @property
    def best_split(self):
        """The row to run split with system RAM, if any: of those with at least half
        their layers on the GPU (RAM is the slow part), the most bits; else the one
        with the most layers there."""
        split = [e for e in self.estimates if e.is_split and not e.is_extreme]
        mostly_on_gpu = [e for e in split if e.gpu_layers * 2 >= e.layers]
        if mostly_on_gpu:
            return max(mostly_on_gpu, key=lambda e: e.quantization.bits_per_weight)
        return max(split, key=lambda e: e.gpu_layers, default=None)

    @property
    def kv_precision_label(self):
        return KVCachePrecision(self.kv_precision).label

    @property
    def architecture_summary(self):
        return self.architecture.summary if self.architecture else ""


def weights_gb(parameters_billion, bits_per_weight) -> Decimal:
    return Decimal(parameters_billion) * GB * Decimal(bits_per_weight) / 8 / GB


def kv_cache_gb(architecture, context_tokens, kv_precision=KVCachePrecision.F16) -> Decimal:
    return architecture.kv_cache_bytes(context_tokens, KV_BYTES_PER_VALUE[kv_precision]) / GB


def unsupported_reason(fmt, hardware: Hardware, kv_precision=KVCachePrecision.F16) -> str:
    """Why the format does not run on this hardware at all, or "" when it does."""
    if fmt.requires_nvidia and hardware.platform != HardwareTier.Platform.NVIDIA_GPU:
        return "NVIDIA 전용"
    if kv_precision not in fmt.kv_cache_precisions:
        return f"KV {KVCachePrecision(kv_precision).label} 미지원"
    return ""


def estimate_all(
    *, architecture, context_tokens, hardware, quantizations, kv_precision=KVCachePrecision.F16
):
    kv = kv_cache_gb(architecture, context_tokens, kv_precision)
    overhead = RUNTIME_OVERHEAD_GB_PER_DEVICE * hardware.devices
    estimates = []
    for quantization in quantizations:
        weights = weights_gb(architecture.parameters_billion, quantization.bits_per_weight)
        total = weights + kv + overhead
        reason = unsupported_reason(quantization.format, hardware, kv_precision)
        fits = not reason and total <= hardware.total_gb
        # Bytes read per token: the weights a token uses (an MoE model's active
        # ones) and the whole KV cache.
        read = weights_gb(architecture.read_parameters_billion, quantization.bits_per_weight) + kv
        speed, gpu_layers = None, None
        if fits and hardware.bandwidth_gb_s:
            speed = Decimal(hardware.bandwidth_gb_s) / read
        elif not reason and not fits and splits_to_ram(quantization.format, hardware):
            gpu_layers = layers_on_gpu(architecture.layers, weights + kv, hardware)
            if gpu_layers is not None:
                speed = split_speed(read, gpu_layers / Decimal(architecture.layers), hardware)
        estimates.append(
            Estimate(
                quantization=quantization,
                weights_gb=weights,
                kv_cache_gb=kv,
                overhead_gb=overhead,
                total_gb=total,
                fits=fits,
                unsupported_reason=reason,
                tokens_per_second=speed,
                gpu_layers=gpu_layers,
                layers=architecture.layers if gpu_layers is not None else None,
            )
        )
    return estimates


def splits_to_ram(fmt, hardware):
    """A format that puts its remaining layers in system RAM, on a GPU with RAM beside it."""
    return (
        fmt.splits_layers_to_ram
        and hardware.platform == HardwareTier.Platform.NVIDIA_GPU
        and hardware.ram_gb > 0
    )


def layers_on_gpu(layers, model_gb, hardware):
    """
    How many layers the GPUs hold when the rest go to system RAM, each layer
    taking an equal share of the weights and KV cache; None when even the rest
    does not fit in RAM.
    """
    per_layer = model_gb / layers
    room = hardware.total_gb - RUNTIME_OVERHEAD_GB_PER_DEVICE * hardware.devices
    on_gpu = max(0, min(layers, int(room / per_layer)))
    if (layers - on_gpu) * per_layer > hardware.ram_gb:
        return None
    return on_gpu


def split_speed(read_gb, share_on_gpu, hardware):
    """Tokens per second with `share_on_gpu` of each token's reads from the GPUs'
    memory and the rest from system RAM, one after the other."""
    if not hardware.bandwidth_gb_s or not hardware.ram_bandwidth_gb_s:
        return None
    seconds = (
        read_gb * share_on_gpu / hardware.bandwidth_gb_s
        + read_gb * (1 - share_on_gpu) / hardware.ram_bandwidth_gb_s
    )
    return 1 / seconds


def matching_tier(hardware: Hardware, tiers):
    """The sweet-spot tier for this platform whose memory is the largest not above ours."""
    candidates = [
        t for t in tiers if t.platform == hardware.platform and t.memory_gb <= hardware.total_gb
    ]
    return max(candidates, key=lambda t: t.memory_gb, default=None)


def preferred_formats(scenario, tier, hardware, kv_precision=KVCachePrecision.F16):
    """
    The formats to choose from, best first: a personal setup follows its hardware
    tier's sweet spot; otherwise the scenario's formats; a format that cannot run
    on this hardware is skipped.
    """
    formats = [link.format for link in scenario.scenario_formats.all()]
    if tier is not None and tier.recommended_format and scenario.prefers_hardware_sweet_spot:
        formats.insert(0, tier.recommended_format)
    return [f for f in formats if not unsupported_reason(f, hardware, kv_precision)]


def advise(
    *,
    architecture,
    context_tokens,
    hardware,
    scenario,
    quantizations,
    tiers,
    kv_precision=KVCachePrecision.F16,
):
    estimates = estimate_all(
        architecture=architecture,
        context_tokens=context_tokens,
        hardware=hardware,
        quantizations=quantizations,
        kv_precision=kv_precision,
    )
    tier = matching_tier(hardware, tiers)
    preferred = preferred_formats(scenario, tier, hardware, kv_precision)
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
        architecture=architecture,
        kv_precision=kv_precision,
        no_choice_reason=""
        if choice
        else why_nothing_fits(scenario, preferred, hardware, kv_precision, fitting),
        os=os_advice(scenario, hardware),
    )


def why_nothing_fits(scenario, preferred, hardware, kv_precision, fitting):
    """Why the advice has no choice: the use's formats do not run here, or do not fit;
    and, when other rows of the table fit, that they are outside this use."""
    if preferred:
        reason = (
            f"{scenario.summary_label} 용도의 포맷 가운데 이 하드웨어에 들어가는 것이 없습니다. "
            "더 작은 모델이나 더 짧은 컨텍스트, 더 많은 메모리를 고려하세요."
        )
    else:
        formats = [link.format for link in scenario.scenario_formats.all()]
        names = ", ".join(f.name for f in formats)
        reasons = ", ".join(
            dict.fromkeys(unsupported_reason(f, hardware, kv_precision) for f in formats)
        )
        reason = (
            f"{scenario.summary_label} 용도의 포맷({names})은 이 하드웨어에서 돌아가지 않습니다"
            f"({reasons}). 메모리가 아니라 하드웨어의 문제이니 다른 용도를 고르거나 "
            "이 포맷이 돌아가는 하드웨어를 고려하세요."
        )
    if fitting:
        names = ", ".join(str(e.quantization) for e in fitting)
        reason += f" 이 용도가 아니라면 표에서 ✓ 표시한 조합({names})은 들어갑니다."
    return reason


def os_advice(scenario, hardware):
    """The OS to run it on: the scenario's own for this platform where editors gave
    one (`ScenarioPlatformOS`), else its general advice."""
    for row in scenario.platform_os.all():
        if row.platform == hardware.platform:
            return row.os_html
    return scenario.os_html


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


class ConfigError(ValueError):
    """A pasted config.json the advisor cannot read; the message is for the reader."""


MOE_EXPERT_KEYS = ("num_local_experts", "num_experts", "n_routed_experts")


def _positive_int(config, key, *, required=True):
    value = config.get(key)
    if value is None and not required:
        return None
    if value is None:
        raise ConfigError(f"config.json에 {key} 값이 없습니다.")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**9:
        raise ConfigError(f"config.json의 {key} 값은 양의 정수여야 합니다.")
    return value


def architecture_from_config(config, *, parameters_billion, active_parameters_billion=None):
    """
    The architecture a Hugging Face config.json describes. A config holds no
    parameter count: it is given beside it, and an MoE model's active count too.
    """
    if not isinstance(config, dict):
        raise ConfigError("config.json은 { … }로 감싼 JSON 객체여야 합니다.")
    # Multimodal models (Gemma 3, Llama 4, ...) keep the language model's shape apart.
    if isinstance(config.get("text_config"), dict):
        config = {**config, **config["text_config"]}
    layers = _positive_int(config, "num_hidden_layers")
    heads = _positive_int(config, "num_attention_heads")
    kv_heads = _positive_int(config, "num_key_value_heads", required=False) or heads
    if kv_heads > heads:
        raise ConfigError("num_key_value_heads가 num_attention_heads보다 큽니다.")
    head_dim = _positive_int(config, "head_dim", required=False)
    if head_dim is None:
        if "hidden_size" not in config:
            raise ConfigError("config.json에 head_dim도 hidden_size도 없습니다.")
        head_dim = _positive_int(config, "hidden_size") // heads or 1
    experts = [config.get(key) for key in MOE_EXPERT_KEYS]
    if any(isinstance(n, int) and n > 1 for n in experts) and active_parameters_billion is None:
        raise ConfigError(
            "MoE 모델의 config.json입니다. 토큰마다 쓰는 활성 파라미터 수를 함께 입력해 주세요."
        )
    attention = ModelPreset.Attention.GQA if kv_heads < heads else ModelPreset.Attention.MHA
    kv_lora_rank = qk_rope_head_dim = None
    if config.get("kv_lora_rank") is not None:
        attention = ModelPreset.Attention.MLA
        kv_lora_rank = _positive_int(config, "kv_lora_rank")
        qk_rope_head_dim = _positive_int(config, "qk_rope_head_dim")
    window, windowed = _sliding_window(config, layers)
    return Architecture(
        parameters_billion=parameters_billion,
        active_parameters_billion=active_parameters_billion,
        layers=layers,
        kv_heads=kv_heads,
        head_dim=head_dim,
        max_context=_positive_int(config, "max_position_embeddings", required=False),
        attention=attention,
        kv_lora_rank=kv_lora_rank,
        qk_rope_head_dim=qk_rope_head_dim,
        sliding_window=window,
        sliding_window_layers=windowed,
    )


def _sliding_window(config, layers):
    """(window, how many layers use it), read the ways configs spell it."""
    window = _positive_int(config, "sliding_window", required=False)
    if window is None or config.get("use_sliding_window") is False:
        return None, 0
    layer_types = config.get("layer_types")
    if isinstance(layer_types, list):
        return window, min(layers, sum(kind == "sliding_attention" for kind in layer_types))
    if config.get("model_type") == "gemma2":
        return window, layers // 2  # every other layer
    pattern = config.get("sliding_window_pattern")
    if isinstance(pattern, int) and not isinstance(pattern, bool) and pattern > 0:
        return window, layers - layers // pattern  # one global layer in each `pattern`
    return window, layers
