"""The reference records in the editors' admin, with the same editorial base
(revisions, edit-conflict check, Markdown preview) as posts."""

from django.contrib import admin

from community.admin import (
    EditConflictForm,
    EditorialAdmin,
    LabelledTabularInline,
    MarkdownPreviewAdmin,
)
from guide.models import (
    FormatProfile,
    FormatSoftware,
    HardwareProfile,
    HardwareTier,
    ModelPreset,
    Quantization,
    Scenario,
    ScenarioFormat,
    ScenarioPlatformOS,
    ScenarioSoftware,
    Software,
)


class QuantizationInline(LabelledTabularInline):
    model = Quantization
    form = EditConflictForm  # also edited on its own page
    extra = 0
    fields = ["order", "name", "bits_per_weight", "group_size", "note", "opened_at_version"]


class FormatSoftwareInline(LabelledTabularInline):
    model = FormatSoftware
    extra = 0
    fields = ["order", "software", "label", "is_primary"]


@admin.register(FormatProfile)
class FormatProfileAdmin(MarkdownPreviewAdmin):
    markdown_preview_fields = ["tip"]
    list_display = ["name", "extension", "role", "order", "comparison_order"]
    list_editable = ["order"]
    list_filter = ["software"]
    search_fields = ["name", "extension", "role", "features", "tip"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FormatSoftwareInline, QuantizationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "extension",
                    "requires_nvidia",
                    "kv_cache_types",
                    "splits_layers_to_ram",
                    "order",
                    "opened_at_version",
                ]
            },
        ),
        ("매핑 차트", {"fields": ["role", "features", "hardware", "tip"]}),
        (
            "비교표 (정정 답변)",
            {
                "fields": [
                    ("comparison_order", "comparison_heading"),
                    "comparison_target",
                    ("speed_rating", "speed_note"),
                    ("vram_rating", "vram_note"),
                    "quality_note",
                    "recommended_environment",
                ],
                "description": "비교표 순서를 비워 두면 비교표에 나오지 않습니다.",
            },
        ),
    ]


@admin.register(Software)
class SoftwareAdmin(EditorialAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    list_filter = ["formats"]


@admin.register(HardwareTier)
class HardwareTierAdmin(MarkdownPreviewAdmin):
    markdown_preview_fields = ["rationale"]
    list_display = [
        "name",
        "memory_gb",
        "platform",
        "recommendation",
        "sized_for",
        "fits_70b",
        "order",
    ]
    list_editable = ["order"]
    list_filter = ["platform", "fits_70b", "sized_for"]
    list_select_related = ["recommended_format", "sized_for"]
    search_fields = ["name", "recommendation", "rationale"]
    prepopulated_fields = {"slug": ["name"]}


class ScenarioFormatInline(LabelledTabularInline):
    model = ScenarioFormat
    extra = 0
    fields = ["order", "format", "is_primary"]


class ScenarioSoftwareInline(LabelledTabularInline):
    model = ScenarioSoftware
    extra = 0
    fields = ["order", "software", "role", "audience", "note", "in_summary"]


class ScenarioPlatformOSInline(LabelledTabularInline):
    model = ScenarioPlatformOS
    extra = 0
    fields = ["platform", "os"]


@admin.register(Scenario)
class ScenarioAdmin(MarkdownPreviewAdmin):
    markdown_preview_fields = ["caveat"]
    list_display = ["code", "label", "summary_label", "os", "run_method", "order"]
    list_editable = ["order"]
    list_filter = ["formats", "software"]
    search_fields = ["code", "label", "situation", "core_goal"]
    inlines = [ScenarioFormatInline, ScenarioSoftwareInline, ScenarioPlatformOSInline]
    fieldsets = [
        (
            None,
            {"fields": ["code", "label", "situation", "core_goal", "order", "opened_at_version"]},
        ),
        ("포맷", {"fields": ["format_note", "search_keyword", "search_note"]}),
        ("환경", {"fields": [("os", "summary_os"), "os_note", "hardware"]}),
        ("실행 방식", {"fields": [("run_method", "summary_run_method"), "run_method_why"]}),
        ("요약 매트릭스", {"fields": ["summary_label"]}),
        ("조언 도구", {"fields": ["prefers_hardware_sweet_spot"]}),
        ("주의", {"fields": ["caveat"]}),
    ]


@admin.register(Quantization)
class QuantizationAdmin(EditorialAdmin):
    list_display = ["name", "format", "bits_per_weight", "group_size", "source", "order"]
    # Not bits_per_weight: the advisor computes from it, and a list page left
    # open would save it back without the edit-conflict check of the change page.
    list_editable = ["order"]
    list_filter = ["format"]
    list_select_related = ["format"]
    search_fields = ["name", "note", "format__name"]


@admin.register(ModelPreset)
class ModelPresetAdmin(EditorialAdmin):
    list_display = [
        "name",
        "parameters_billion",
        "active_parameters_billion",
        "attention",
        "layers",
        "kv_heads",
        "head_dim",
        "max_context",
        "repo_id",
        "order",
    ]
    list_editable = ["order"]
    list_filter = ["attention", "layers"]
    search_fields = ["name", "repo_id"]
    fieldsets = [
        (None, {"fields": ["name", "repo_id", "order", "opened_at_version"]}),
        ("크기", {"fields": [("parameters_billion", "active_parameters_billion"), "max_context"]}),
        (
            "구조 (config.json)",
            {
                "fields": [
                    ("layers", "attention_heads"),
                    ("kv_heads", "head_dim"),
                    "attention",
                    ("kv_lora_rank", "qk_rope_head_dim"),
                    ("sliding_window", "sliding_window_layers"),
                ],
                "description": "KV 캐시는 이 값들로 계산합니다. MLA라면 압축 KV 차원과 "
                "RoPE 헤드 차원을, 슬라이딩 윈도를 쓰는 모델이라면 윈도와 그 레이어 수를 적습니다.",
            },
        ),
    ]


@admin.register(HardwareProfile)
class HardwareProfileAdmin(EditorialAdmin):
    list_display = ["name", "platform", "memory_gb", "bandwidth_gb_s", "source", "order"]
    list_editable = ["order"]
    list_filter = ["platform"]
    search_fields = ["name", "source"]
