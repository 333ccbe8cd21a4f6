import json
from decimal import Decimal

from django import forms
from django.db.models import Prefetch

from guide import advisor
from guide.models import (
    FormatSoftware,
    HardwareProfile,
    HardwareTier,
    ModelPreset,
    Quantization,
    Scenario,
)
from guide.models.advisor import KVCachePrecision

CONFIG_MAX_CHARS = 50_000
# Shown only while no catalogued model is chosen (static/js/advisor.js).
FOR_A_TYPED_MODEL = {"data-show-when": "preset="}


def parameter_field(label, help_text, required=False):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0.1"),
        max_value=Decimal(2000),
        max_digits=7,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={**FOR_A_TYPED_MODEL, "step": "any"}),
    )


def shape_field(label, help_text, max_value=1024):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=max_value,
        help_text=help_text,
        widget=forms.NumberInput(attrs=FOR_A_TYPED_MODEL),
    )


class AdvisorForm(forms.Form):
    """The reader's case. Every bad value becomes a form error, never a crash."""

    preset = forms.ModelChoiceField(
        queryset=ModelPreset.objects.all(),
        to_field_name="name",
        required=False,
        empty_label="직접 입력 (아래 구조나 config.json)",
        label="모델",
    )
    parameters = parameter_field("파라미터 수 (십억, B)", "목록에 없는 모델일 때. 예: 70")
    active_parameters = parameter_field(
        "활성 파라미터 수 (B, MoE)", "MoE 모델이 토큰마다 쓰는 파라미터. 예: Mixtral 8x7B는 12.9"
    )
    layers = shape_field("레이어 수", "config.json의 num_hidden_layers", max_value=1000)
    kv_heads = shape_field("KV 헤드 수", "num_key_value_heads (GQA). MHA라면 어텐션 헤드 수")
    head_dim = shape_field("헤드 차원", "head_dim, 없으면 hidden_size ÷ num_attention_heads")
    config_json = forms.CharField(
        label="또는 config.json 붙여 넣기",
        required=False,
        max_length=CONFIG_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", **FOR_A_TYPED_MODEL}),
        help_text="Hugging Face 저장소의 config.json. 구조 칸 대신 씁니다 (파라미터 수는 따로).",
    )
    hardware = forms.ModelChoiceField(
        queryset=HardwareProfile.objects.all(),
        to_field_name="name",
        required=False,
        empty_label="직접 입력 (아래 플랫폼과 메모리)",
        label="하드웨어 목록",
        help_text="고르면 플랫폼과 메모리는 목록의 값으로 계산하고, "
        "메모리 대역폭으로 속도도 어림합니다.",
    )
    platform = forms.ChoiceField(
        label="플랫폼", choices=HardwareTier.Platform.choices, initial="nvidia_gpu"
    )
    memory_gb = forms.IntegerField(
        label="메모리 (GB, 장치 한 개당)",
        min_value=1,
        max_value=2048,
        initial=24,
        help_text="GPU라면 VRAM, Mac이라면 통합 메모리, CPU라면 RAM",
    )
    devices = forms.IntegerField(
        label="GPU 개수",
        min_value=1,
        max_value=16,
        initial=1,
        required=False,
        help_text="NVIDIA GPU일 때만 셉니다. Mac과 CPU는 1대로 계산합니다.",
        widget=forms.NumberInput(attrs={"data-show-when": "platform=nvidia_gpu"}),
    )
    ram = forms.ModelChoiceField(
        queryset=HardwareProfile.objects.filter(platform=HardwareTier.Platform.CPU),
        to_field_name="name",
        required=False,
        empty_label="쓰지 않음",
        label="시스템 RAM (GGUF 나눠 올리기)",
        help_text="GPU에 다 들어가지 않는 GGUF 모델의 나머지 레이어를 둘 RAM",
        widget=forms.Select(attrs={"data-show-when": "platform=nvidia_gpu"}),
    )
    context = forms.IntegerField(
        label="컨텍스트 길이 (토큰)", min_value=256, max_value=1_048_576, initial=8192
    )
    kv_precision = forms.ChoiceField(
        label="KV 캐시 정밀도",
        choices=KVCachePrecision.choices,
        initial=KVCachePrecision.F16,
        required=False,
        help_text="FP8은 vLLM 등, Q8_0·Q4_0은 llama.cpp·ExLlamaV2가 지원합니다.",
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

    def clean_kv_precision(self):
        return self.cleaned_data["kv_precision"] or KVCachePrecision.F16

    def clean_config_json(self):
        text = self.cleaned_data["config_json"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise forms.ValidationError(
                "config.json을 JSON으로 읽을 수 없습니다. 파일 내용을 그대로 붙여 넣어 주세요."
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hardware"):
            # The catalogue's figures win over what the fields below say.
            for name in ("platform", "memory_gb"):
                self.errors.pop(name, None)
            cleaned["platform"] = cleaned["hardware"].platform
            cleaned["memory_gb"] = cleaned["hardware"].memory_gb
        if cleaned.get("platform") != HardwareTier.Platform.NVIDIA_GPU:
            # One Mac, one machine's RAM: the count is not asked, whatever was sent.
            self.errors.pop("devices", None)
            cleaned["devices"] = 1
        elif cleaned.get("devices") is None and not self.has_error("devices"):
            cleaned["devices"] = 1
        architecture = self.architecture(cleaned)
        cleaned["architecture"] = architecture
        context = cleaned.get("context")
        limit = architecture.max_context if architecture else None
        if limit and context and context > limit:
            name = cleaned["preset"].name if cleaned.get("preset") else "이 모델"
            self.add_error(
                "context",
                f"{name}의 최대 컨텍스트는 {limit:,} 토큰입니다. 그 이하로 입력해 주세요.",
            )
        return cleaned

    def architecture(self, cleaned):
        """The model's architecture from the catalogue, a pasted config, or the
        typed fields; None, with the form's errors, when it cannot be had."""
        if cleaned.get("preset"):
            return cleaned["preset"].architecture
        fields = ("parameters", "active_parameters", "layers", "kv_heads", "head_dim")
        if any(self.has_error(name) for name in (*fields, "config_json")):
            return None
        parameters, active = cleaned.get("parameters"), cleaned.get("active_parameters")
        config = cleaned.get("config_json")
        if parameters is None:
            self.add_error(
                "parameters",
                "모델을 고르거나, 파라미터 수를 입력해 주세요 (구조 칸이나 config.json과 함께).",
            )
            return None
        if active is not None and active > parameters:
            self.add_error("active_parameters", "활성 파라미터는 전체 파라미터 이하여야 합니다.")
            return None
        if config is not None:
            try:
                return advisor.architecture_from_config(
                    config, parameters_billion=parameters, active_parameters_billion=active
                )
            except advisor.ConfigError as error:
                self.add_error("config_json", str(error))
                return None
        missing = [name for name in ("layers", "kv_heads", "head_dim") if cleaned.get(name) is None]
        for name in missing:
            self.add_error(
                name, "직접 입력한 모델은 구조가 필요합니다 (또는 config.json을 붙여 넣어 주세요)."
            )
        if missing:
            return None
        return advisor.Architecture(
            parameters_billion=parameters,
            active_parameters_billion=active,
            layers=cleaned["layers"],
            kv_heads=cleaned["kv_heads"],
            head_dim=cleaned["head_dim"],
        )

    def get_advice(self):
        """The advisor's answer for a valid form, computed from the reference records."""
        data = self.cleaned_data
        scenario = Scenario.objects.for_advisor().get(pk=data["use"].pk)
        quantizations = Quantization.objects.select_related("format").prefetch_related(
            Prefetch(
                "format__format_software",
                queryset=FormatSoftware.objects.select_related("software"),
            )
        )
        listed, ram = data.get("hardware"), data.get("ram")
        on_a_gpu = data["platform"] == HardwareTier.Platform.NVIDIA_GPU
        return advisor.advise(
            architecture=data["architecture"],
            context_tokens=data["context"],
            hardware=advisor.Hardware(
                data["platform"],
                data["memory_gb"],
                data["devices"],
                bandwidth_gb_s=listed.bandwidth_gb_s if listed else None,
                ram_gb=ram.memory_gb if ram and on_a_gpu else 0,
                ram_bandwidth_gb_s=ram.bandwidth_gb_s if ram and on_a_gpu else None,
            ),
            scenario=scenario,
            quantizations=list(quantizations),
            tiers=list(HardwareTier.objects.select_related("recommended_format", "sized_for")),
            kv_precision=data["kv_precision"],
        )
