from decimal import Decimal

from django import forms
from django.db.models import Prefetch

from guide import advisor
from guide.models import (
    FormatSoftware,
    HardwareTier,
    ModelPreset,
    Quantization,
    Scenario,
)


class AdvisorForm(forms.Form):
    """The reader's case. Every bad value becomes a form error, never a crash."""

    preset = forms.ModelChoiceField(
        queryset=ModelPreset.objects.all(),
        to_field_name="name",
        required=False,
        empty_label="직접 입력 (아래 파라미터 수)",
        label="모델",
    )
    parameters = forms.DecimalField(
        label="파라미터 수 (십억, B)",
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal(2000),
        max_digits=7,
        decimal_places=2,
        help_text="모델을 고르지 않았을 때 씁니다. 예: 70",
    )
    platform = forms.ChoiceField(
        label="하드웨어", choices=HardwareTier.Platform.choices, initial="nvidia_gpu"
    )
    memory_gb = forms.IntegerField(
        label="메모리 (GB, 장치 한 개당)",
        min_value=1,
        max_value=2048,
        initial=24,
        help_text="GPU라면 VRAM, Mac이라면 통합 메모리, CPU라면 RAM",
    )
    devices = forms.IntegerField(label="GPU 개수", min_value=1, max_value=16, initial=1)
    context = forms.IntegerField(
        label="컨텍스트 길이 (토큰)", min_value=256, max_value=1_048_576, initial=8192
    )
    use = forms.ModelChoiceField(
        queryset=Scenario.objects.all(),
        to_field_name="code",
        empty_label=None,
        label="용도",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["use"].label_from_instance = lambda s: f"{s.summary_label} ({s.label})"

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("preset")
            and cleaned.get("parameters") is None
            and not (self.has_error("parameters"))
        ):
            self.add_error("parameters", "모델을 고르거나 파라미터 수를 입력해 주세요.")
        elif cleaned.get("parameters") is not None and not ModelPreset.objects.exists():
            # The KV cache of a model given by size is scaled from a recorded one.
            self.add_error("parameters", "등록된 모델 기록이 없어 크기만으로는 계산할 수 없습니다.")
        if (
            cleaned.get("devices", 1) > 1
            and cleaned.get("platform") != HardwareTier.Platform.NVIDIA_GPU
        ):
            self.add_error("devices", "여러 장치는 GPU에서만 셀 수 있습니다. 1을 입력해 주세요.")
        return cleaned

    def get_advice(self):
        """The advisor's answer for a valid form, computed from the reference records."""
        data = self.cleaned_data
        preset = data["preset"]
        if preset:
            parameters, kv_per_token = preset.parameters_billion, preset.kv_cache_bytes_per_token
        else:
            parameters = data["parameters"]
            kv_per_token = advisor.kv_bytes_per_token_for(
                parameters, list(ModelPreset.objects.all())
            )
        scenario = Scenario.objects.with_details().get(pk=data["use"].pk)
        quantizations = Quantization.objects.select_related("format").prefetch_related(
            Prefetch(
                "format__format_software",
                queryset=FormatSoftware.objects.select_related("software"),
            )
        )
        return advisor.advise(
            parameters_billion=parameters,
            kv_bytes_per_token=kv_per_token,
            context_tokens=data["context"],
            hardware=advisor.Hardware(data["platform"], data["memory_gb"], data["devices"]),
            scenario=scenario,
            quantizations=list(quantizations),
            tiers=list(HardwareTier.objects.select_related("recommended_format")),
        )
