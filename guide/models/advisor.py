"""Records the hardware-fit advisor computes from: quantizations and model presets."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .reference import FormatProfile, HardwareTier, NamedManager

# FP16 keys and values: two bytes each.
KV_CACHE_BYTES_PER_VALUE = 2


class KVCachePrecision(models.TextChoices):
    """How keys and values are stored. Q8_0 and Q4_0 are llama.cpp's block types:
    32 values and one FP16 scale in 34 and 18 bytes."""

    F16 = "f16", "FP16"
    FP8 = "fp8", "FP8"
    Q8_0 = "q8_0", "Q8_0"
    Q4_0 = "q4_0", "Q4_0"

    @property
    def bytes_per_value(self):
        return KV_BYTES_PER_VALUE[self]


KV_BYTES_PER_VALUE = {
    KVCachePrecision.F16: Decimal(2),
    KVCachePrecision.FP8: Decimal(1),
    KVCachePrecision.Q8_0: Decimal(34) / 32,
    KVCachePrecision.Q4_0: Decimal(18) / 32,
}


class QuantizationManager(models.Manager):
    def get_by_natural_key(self, format_name, name):
        return self.get(format__name=format_name, name=name)


class Quantization(models.Model):
    """One bit-width a format comes in (Q4_K_M, 4.65bpw, AWQ 4-bit, FP16, ...)."""

    format = models.ForeignKey(
        FormatProfile, on_delete=models.CASCADE, related_name="quantizations", verbose_name="포맷"
    )
    name = models.CharField("이름", max_length=40, help_text="예: Q4_K_M, 4.65bpw")
    bits_per_weight = models.DecimalField("가중치당 비트 (bpw)", max_digits=5, decimal_places=2)
    group_size = models.PositiveSmallIntegerField(
        "그룹 크기",
        null=True,
        blank=True,
        help_text="AWQ·GPTQ처럼 가중치 묶음마다 스케일을 두는 방식의 묶음 크기. 예: 128",
    )
    note = models.CharField("설명", max_length=200, blank=True)
    source = models.CharField(
        "출처",
        max_length=200,
        blank=True,
        help_text="비트 수의 근거. 예: llama.cpp tools/quantize/README.md (Llama-3.1-8B 실측)",
    )
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalquantization")

    objects = QuantizationManager()

    class Meta:
        db_table = "community_quantization"
        ordering = ["format__order", "order", "bits_per_weight"]
        verbose_name = verbose_name_plural = "양자화"
        constraints = [
            models.UniqueConstraint(fields=["format", "name"], name="unique_format_quantization"),
            models.CheckConstraint(
                condition=Q(bits_per_weight__gt=0) & Q(bits_per_weight__lte=32),
                name="quantization_bits_in_range",
                violation_error_message="가중치당 비트는 0보다 크고 32 이하여야 합니다.",
            ),
        ]

    def __str__(self):
        return f"{self.format.name} {self.name}"

    def natural_key(self):
        return (*self.format.natural_key(), self.name)

    natural_key.dependencies = ["guide.formatprofile"]


class ModelPreset(models.Model):
    """
    A model of the catalogue, with the architecture from its config.json: what
    its weights and KV cache take, and how far its context goes.
    """

    class Attention(models.TextChoices):
        MHA = "mha", "MHA (헤드마다 K·V)"
        GQA = "gqa", "GQA (K·V 헤드 공유)"
        MLA = "mla", "MLA (압축한 잠재 K·V)"

    name = models.CharField("이름", max_length=60, unique=True, help_text="예: Llama-3 70B")
    repo_id = models.CharField(
        "출처 (Hugging Face 저장소)",
        max_length=100,
        blank=True,
        help_text="구조 수치를 가져온 config.json의 저장소. 예: meta-llama/Llama-3.1-8B",
    )
    parameters_billion = models.DecimalField("파라미터 (B)", max_digits=7, decimal_places=2)
    active_parameters_billion = models.DecimalField(
        "활성 파라미터 (B)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="MoE 모델이 토큰마다 쓰는 파라미터. 밀집(dense) 모델은 비워 둡니다.",
    )
    layers = models.PositiveSmallIntegerField("레이어 수", help_text="num_hidden_layers")
    attention_heads = models.PositiveSmallIntegerField(
        "어텐션 헤드 수", help_text="num_attention_heads"
    )
    kv_heads = models.PositiveSmallIntegerField(
        "KV 헤드 수", help_text="num_key_value_heads. MHA라면 어텐션 헤드 수와 같습니다."
    )
    head_dim = models.PositiveSmallIntegerField("헤드 차원", help_text="head_dim")
    attention = models.CharField(
        "어텐션 방식", max_length=3, choices=Attention, default=Attention.GQA
    )
    kv_lora_rank = models.PositiveSmallIntegerField(
        "압축 KV 차원 (MLA)", null=True, blank=True, help_text="kv_lora_rank"
    )
    qk_rope_head_dim = models.PositiveSmallIntegerField(
        "RoPE 헤드 차원 (MLA)", null=True, blank=True, help_text="qk_rope_head_dim"
    )
    sliding_window = models.PositiveIntegerField(
        "슬라이딩 윈도 (토큰)", null=True, blank=True, help_text="sliding_window"
    )
    sliding_window_layers = models.PositiveSmallIntegerField(
        "슬라이딩 윈도 레이어 수",
        default=0,
        help_text="윈도 안의 토큰만 캐시하는 레이어 수. 예: Gemma 2는 절반, Gemma 3는 6개 중 5개",
    )
    max_context = models.PositiveIntegerField(
        "최대 컨텍스트 (토큰)", help_text="max_position_embeddings 또는 모델 카드의 값"
    )
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalmodelpreset")

    objects = NamedManager()

    class Meta:
        db_table = "community_modelpreset"
        ordering = ["order", "parameters_billion"]
        verbose_name = verbose_name_plural = "모델"
        constraints = [
            models.CheckConstraint(
                condition=Q(parameters_billion__gt=0),
                name="preset_parameters_positive",
                violation_error_message="파라미터 수는 0보다 커야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(layers__gt=0) & Q(kv_heads__gt=0) & Q(head_dim__gt=0),
                name="preset_shape_positive",
                violation_error_message="레이어 수, KV 헤드 수, 헤드 차원은 0보다 커야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(active_parameters_billion__isnull=True)
                | Q(active_parameters_billion__gt=0)
                & Q(active_parameters_billion__lte=F("parameters_billion")),
                name="preset_active_within_total",
                violation_error_message="활성 파라미터는 0보다 크고 전체 파라미터 이하여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(kv_heads__lte=F("attention_heads")),
                name="preset_kv_heads_within_heads",
                violation_error_message="KV 헤드 수는 어텐션 헤드 수를 넘을 수 없습니다.",
            ),
            models.CheckConstraint(
                condition=~Q(attention="mla") | Q(kv_lora_rank__gt=0) & Q(qk_rope_head_dim__gt=0),
                name="preset_mla_has_its_kv_size",
                violation_error_message="MLA 모델에는 압축 KV 차원과 RoPE 헤드 차원이 필요합니다.",
            ),
            models.CheckConstraint(
                condition=Q(sliding_window_layers=0)
                | Q(sliding_window__gt=0) & Q(sliding_window_layers__lte=F("layers")),
                name="preset_sliding_window_layers",
                violation_error_message=(
                    "슬라이딩 윈도 레이어가 있으면 윈도 크기가 필요하고, "
                    "레이어 수를 넘을 수 없습니다."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def architecture(self):
        """What the advisor computes from, the same shape a typed-in or pasted model has."""
        from guide.advisor import Architecture

        return Architecture(
            parameters_billion=self.parameters_billion,
            active_parameters_billion=self.active_parameters_billion,
            layers=self.layers,
            kv_heads=self.kv_heads,
            head_dim=self.head_dim,
            attention=self.attention,
            kv_lora_rank=self.kv_lora_rank,
            qk_rope_head_dim=self.qk_rope_head_dim,
            sliding_window=self.sliding_window,
            sliding_window_layers=self.sliding_window_layers,
            max_context=self.max_context,
        )

    @property
    def kv_cache_bytes_per_token(self):
        """Keys and values per token at FP16, before any sliding window."""
        return self.architecture.kv_cache_bytes(1, KV_CACHE_BYTES_PER_VALUE)


class HardwareProfile(models.Model):
    """A GPU, an Apple Silicon chip or a kind of CPU memory: how much memory it has
    and how fast it reads it, which bounds how fast a model decodes."""

    name = models.CharField("이름", max_length=80, unique=True, help_text="예: RTX 4090 24GB")
    platform = models.CharField("플랫폼", max_length=20, choices=HardwareTier.Platform)
    memory_gb = models.PositiveSmallIntegerField(
        "메모리 (GB)", help_text="GPU는 VRAM, Mac은 통합 메모리, CPU는 흔한 구성의 RAM"
    )
    bandwidth_gb_s = models.PositiveIntegerField("메모리 대역폭 (GB/s)")
    source = models.CharField("출처", max_length=200, help_text="제조사 사양표 등")
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords()

    objects = NamedManager()

    class Meta:
        ordering = ["platform", "order", "name"]
        verbose_name = verbose_name_plural = "하드웨어 사양"
        constraints = [
            models.CheckConstraint(
                condition=Q(memory_gb__gt=0) & Q(bandwidth_gb_s__gt=0),
                name="hardware_profile_positive",
                violation_error_message="메모리와 대역폭은 0보다 커야 합니다.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)
