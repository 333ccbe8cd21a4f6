"""Records the hardware-fit advisor computes from: quantizations and model presets."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .reference import FormatProfile, NamedManager

# FP16 keys and values: two bytes each.
KV_CACHE_BYTES_PER_VALUE = 2


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
    note = models.CharField("설명", max_length=200, blank=True)
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
    """A model size readers pick, with the shape its KV cache depends on."""

    name = models.CharField("이름", max_length=60, unique=True, help_text="예: Llama-3 70B")
    parameters_billion = models.DecimalField("파라미터 (B)", max_digits=7, decimal_places=2)
    layers = models.PositiveSmallIntegerField("레이어 수")
    kv_heads = models.PositiveSmallIntegerField("KV 헤드 수", help_text="GQA의 key/value 헤드")
    head_dim = models.PositiveSmallIntegerField("헤드 차원")
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalmodelpreset")

    objects = NamedManager()

    class Meta:
        db_table = "community_modelpreset"
        ordering = ["order", "parameters_billion"]
        verbose_name = verbose_name_plural = "모델 프리셋"
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
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def kv_cache_bytes_per_token(self):
        """Keys and values for every layer and KV head, at FP16."""
        return 2 * self.layers * self.kv_heads * self.head_dim * KV_CACHE_BYTES_PER_VALUE
