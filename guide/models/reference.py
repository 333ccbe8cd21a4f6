"""
Reference data: model formats, the software that runs them, hardware tiers and
serving scenarios. Posts and the guide page render these same rows, so a figure
fixed once in the admin is fixed everywhere it appears.
"""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from simple_history.models import HistoricalRecords

from community.rendered import RenderedMarkdownModel

# The source comparison table rates on a scale whose top mark is six stars.
MAX_RATING = 6
RATING_RANGE_MESSAGE = f"별점은 비워 두거나 1부터 {MAX_RATING}까지의 수로 적어 주세요."


def guide_url():
    """The guide's URL; reversed once per URLconf, since every format, tier and
    scenario on a page links into it."""
    return _guide_url(get_urlconf(), get_script_prefix())


@cache
def _guide_url(urlconf, script_prefix):
    return reverse("guide:guide", urlconf=urlconf)


def validate_kv_cache_types(value):
    from .advisor import KVCachePrecision

    unknown = [code for code in value.split() if code not in KVCachePrecision.values]
    if unknown or not value.split():
        raise ValidationError(
            "알 수 없는 KV 캐시 정밀도입니다: %(codes)s. 쓸 수 있는 값: %(known)s",
            params={
                "codes": ", ".join(unknown) or "(비어 있음)",
                "known": " ".join(KVCachePrecision.values),
            },
        )


class NamedManager(models.Manager):
    """Rows found by their unique name, so fixtures can refer to them by it."""

    def get_by_natural_key(self, name):
        return self.get(name=name)


class Software(models.Model):
    name = models.CharField("이름", max_length=80, unique=True)
    description = models.CharField("설명", max_length=200, blank=True)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalsoftware")

    objects = NamedManager()

    class Meta:
        db_table = "community_software"
        ordering = ["name"]
        verbose_name = verbose_name_plural = "소프트웨어"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class FormatProfileQuerySet(models.QuerySet):
    def nvidia_only_names(self):
        """The names of the formats that run on NVIDIA GPUs only, in display order."""
        return list(self.filter(requires_nvidia=True).values_list("name", flat=True))

    def splitting_names(self):
        """The names of the formats that can put layers in system RAM."""
        return list(self.filter(splits_layers_to_ram=True).values_list("name", flat=True))

    def with_software(self):
        """Formats with their recommended software in display order, in two queries."""
        return self.prefetch_related(
            models.Prefetch(
                "format_software",
                queryset=FormatSoftware.objects.select_related("software"),
            )
        )


class FormatProfileManager(NamedManager.from_queryset(FormatProfileQuerySet)):
    pass


def in_comparison_order(formats):
    """Of `formats`, those in the corrected answer's comparison table, in its order."""
    return sorted(
        (f for f in formats if f.comparison_order is not None), key=lambda f: f.comparison_order
    )


class FormatProfile(RenderedMarkdownModel):
    name = models.CharField("포맷 이름", max_length=40, unique=True)
    slug = models.SlugField("앵커", max_length=40, unique=True)
    extension = models.CharField("확장자/태그", max_length=40, help_text="예: *.gguf, *-awq")
    role = models.CharField("역할", max_length=80, help_text="예: 로컬/개인용 표준")
    features = models.TextField("주 용도 및 특징", help_text="Markdown: **굵게**, `코드`")
    features_html = models.TextField(blank=True, editable=False)
    hardware = models.TextField("하드웨어", help_text="한 줄에 하나씩. Markdown: **굵게**")
    hardware_html = models.TextField(blank=True, editable=False)
    tip = models.TextField("비고 (엔지니어 팁)", blank=True, help_text="Markdown")
    tip_html = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    # The corrected answer's comparison table (EXL2 / GGUF / AWQ). A format
    # with no comparison_order is not in that table.
    comparison_order = models.PositiveSmallIntegerField("비교표 순서", null=True, blank=True)
    comparison_heading = models.CharField(
        "비교표 머리글",
        max_length=80,
        blank=True,
        help_text="비워 두면 포맷 이름. 예: EXL2 (ExLlamaV2)",
    )
    comparison_target = models.CharField("주요 타겟", max_length=80, blank=True)
    speed_rating = models.PositiveSmallIntegerField("추론 속도 (별 개수)", null=True, blank=True)
    speed_note = models.CharField("추론 속도 설명", max_length=80, blank=True)
    vram_rating = models.PositiveSmallIntegerField("VRAM 효율 (별 개수)", null=True, blank=True)
    vram_note = models.CharField("VRAM 효율 설명", max_length=80, blank=True)
    quality_note = models.CharField("화질 (PPL)", max_length=80, blank=True)
    recommended_environment = models.CharField("추천 환경", max_length=120, blank=True)

    requires_nvidia = models.BooleanField(
        "NVIDIA GPU 전용",
        default=False,
        help_text="NVIDIA GPU에서만 실행되는 포맷",
    )
    splits_layers_to_ram = models.BooleanField(
        "레이어를 RAM에 나눠 올림",
        default=False,
        help_text="GPU에 다 들어가지 않으면 일부 레이어를 시스템 RAM에 두고 CPU로 "
        "돌릴 수 있는 포맷 (GGUF)",
    )
    kv_cache_types = models.CharField(
        "KV 캐시 정밀도",
        max_length=60,
        default="f16",
        validators=[validate_kv_cache_types],
        help_text="이 포맷의 실행 SW가 지원하는 KV 캐시 정밀도를 띄어 써서: f16 fp8 q8_0 q4_0",
    )
    order = models.PositiveSmallIntegerField("표시 순서", default=0)
    software = models.ManyToManyField(
        Software, through="FormatSoftware", related_name="formats", verbose_name="추천 실행 SW"
    )
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalformatprofile")

    objects = FormatProfileManager()

    rendered_fields = (("tip", "tip_html"),)
    inline_rendered_fields = (("features", "features_html"), ("hardware", "hardware_html"))
    searched_fields = ("name", "role", "features", "hardware", "tip")

    class Meta:
        db_table = "community_formatprofile"
        ordering = ["order", "name"]
        verbose_name = verbose_name_plural = "모델 포맷"
        constraints = [
            models.CheckConstraint(
                condition=Q(speed_rating__isnull=True) | Q(speed_rating__range=(1, MAX_RATING)),
                name="format_speed_rating_range",
                violation_error_message="속도 " + RATING_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(vram_rating__isnull=True) | Q(vram_rating__range=(1, MAX_RATING)),
                name="format_vram_rating_range",
                violation_error_message="VRAM " + RATING_RANGE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return guide_url() + f"#format-{self.slug}"

    def natural_key(self):
        return (self.name,)

    @property
    def kv_cache_precisions(self):
        """The KV cache precisions this format's software offers."""
        return self.kv_cache_types.split()

    @property
    def comparison_title(self):
        return self.comparison_heading or self.name


class FormatSoftwareManager(models.Manager):
    def get_by_natural_key(self, format_name, software_name):
        return self.get(format__name=format_name, software__name=software_name)


class FormatSoftware(models.Model):
    """One recommended program for a format; primary ones are the chart's bold entries."""

    format = models.ForeignKey(
        FormatProfile, on_delete=models.CASCADE, related_name="format_software"
    )
    software = models.ForeignKey(Software, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(
        "차트 표기",
        max_length=80,
        blank=True,
        help_text="차트에 소프트웨어 이름과 다르게 적을 때. 예: HuggingFace",
    )
    is_primary = models.BooleanField("주 추천", default=False)
    order = models.PositiveSmallIntegerField("순서", default=0)
    history = HistoricalRecords(table_name="community_historicalformatsoftware")

    objects = FormatSoftwareManager()

    class Meta:
        db_table = "community_formatsoftware"
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "포맷별 추천 SW"
        constraints = [
            models.UniqueConstraint(fields=["format", "software"], name="unique_format_software"),
        ]

    def __str__(self):
        return f"{self.format} → {self.software}"

    @property
    def chart_name(self):
        """The program as the chart names it."""
        return self.label or self.software.name

    def natural_key(self):
        return (*self.format.natural_key(), *self.software.natural_key())

    natural_key.dependencies = ["guide.formatprofile", "guide.software"]


class HardwareTier(RenderedMarkdownModel):
    class Platform(models.TextChoices):
        NVIDIA_GPU = "nvidia_gpu", "NVIDIA GPU"
        APPLE_SILICON = "apple_silicon", "Apple Silicon (통합 메모리)"
        CPU = "cpu", "CPU / 시스템 RAM"

    name = models.CharField("이름", max_length=80, unique=True, help_text="예: VRAM 48GB")
    slug = models.SlugField("앵커", max_length=40, unique=True)
    example = models.CharField("예시 구성", max_length=120, blank=True)
    platform = models.CharField("플랫폼", max_length=20, choices=Platform)
    memory_gb = models.PositiveSmallIntegerField("메모리 (GB)")
    memory_is_minimum = models.BooleanField("이상 (최소 용량)", default=False)
    recommendation = models.CharField("추천 포맷/양자화", max_length=120)
    recommended_format = models.ForeignKey(
        FormatProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hardware_tiers",
        verbose_name="추천 포맷",
    )
    memory_estimate = models.CharField("예상 메모리 사용량", max_length=120, blank=True)
    context_note = models.CharField("컨텍스트", max_length=120, blank=True)
    rationale = models.TextField("이유", help_text="Markdown")
    rationale_html = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    fits_70b = models.BooleanField("70B 모델 적재 가능", default=True)
    sized_for = models.ForeignKey(
        "ModelPreset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="기준 모델",
        help_text="이 구간의 추천과 예상 사용량이 가정하는 모델. 표의 제목에 쓰입니다.",
    )
    order = models.PositiveSmallIntegerField("표시 순서", default=0)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalhardwaretier")

    objects = NamedManager()

    rendered_fields = (("rationale", "rationale_html"),)
    searched_fields = ("name", "example", "recommendation", "memory_estimate", "rationale")

    class Meta:
        db_table = "community_hardwaretier"
        ordering = ["order", "name"]
        verbose_name = verbose_name_plural = "하드웨어 구간"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return guide_url() + f"#hardware-{self.slug}"

    def natural_key(self):
        return (self.name,)


class ScenarioQuerySet(models.QuerySet):
    def with_details(self):
        """Scenarios with their formats and software, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch(
                "scenario_formats", queryset=ScenarioFormat.objects.select_related("format")
            ),
            models.Prefetch(
                "scenario_software", queryset=ScenarioSoftware.objects.select_related("software")
            ),
        )

    def for_advisor(self):
        """Scenarios with their details and the OS each recommends on each platform."""
        return self.with_details().prefetch_related("platform_os")


class ScenarioManager(models.Manager.from_queryset(ScenarioQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Scenario(RenderedMarkdownModel):
    code = models.CharField("코드", max_length=1, unique=True, help_text="A, B, C ...")
    label = models.CharField("영문 이름", max_length=60, help_text="예: Production Serving")
    situation = models.CharField("상황", max_length=120, help_text="따옴표 안의 말")
    summary_label = models.CharField(
        "요약 매트릭스 이름", max_length=40, help_text="예: 서비스 배포"
    )
    core_goal = models.CharField("핵심 목표", max_length=200)
    format_note = models.CharField("포맷 보충 설명", max_length=120, blank=True)
    search_keyword = models.CharField("검색 키워드", max_length=120, blank=True)
    search_note = models.CharField(
        "검색 키워드 보충", max_length=120, blank=True, help_text="Markdown"
    )
    os = models.CharField("추천 OS", max_length=80, help_text="Markdown: **굵게**")
    os_note = models.CharField("OS 설명", max_length=200, blank=True, help_text="Markdown")
    summary_os = models.CharField("요약 매트릭스 OS", max_length=40, help_text="Markdown")
    run_method = models.CharField("실행 방식", max_length=80)
    run_method_why = models.TextField("실행 방식의 이유", help_text="Markdown: `코드`")
    summary_run_method = models.CharField(
        "요약 매트릭스 실행 방식", max_length=40, help_text="Markdown"
    )
    hardware = models.CharField("권장 하드웨어", max_length=200, blank=True)
    caveat = models.TextField("주의", blank=True, help_text="Markdown")
    caveat_html = models.TextField(blank=True, editable=False)
    search_note_html = models.TextField(blank=True, editable=False)
    os_html = models.TextField(blank=True, editable=False)
    os_note_html = models.TextField(blank=True, editable=False)
    summary_os_html = models.TextField(blank=True, editable=False)
    run_method_why_html = models.TextField(blank=True, editable=False)
    summary_run_method_html = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    prefers_hardware_sweet_spot = models.BooleanField(
        "하드웨어별 Sweet Spot을 따름",
        default=False,
        help_text="개인 환경처럼, 조언 도구가 하드웨어 구간의 추천 포맷을 먼저 고릅니다.",
    )
    order = models.PositiveSmallIntegerField("표시 순서", default=0)
    formats = models.ManyToManyField(
        FormatProfile, through="ScenarioFormat", related_name="scenarios", verbose_name="추천 포맷"
    )
    software = models.ManyToManyField(
        Software, through="ScenarioSoftware", related_name="scenarios", verbose_name="실행 SW"
    )
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(table_name="community_historicalscenario")

    objects = ScenarioManager()

    rendered_fields = (("caveat", "caveat_html"),)
    inline_rendered_fields = (
        ("search_note", "search_note_html"),
        ("os", "os_html"),
        ("os_note", "os_note_html"),
        ("summary_os", "summary_os_html"),
        ("run_method_why", "run_method_why_html"),
        ("summary_run_method", "summary_run_method_html"),
    )
    searched_fields = (
        "label",
        "situation",
        "summary_label",
        "core_goal",
        "os",
        "os_note",
        "run_method",
        "run_method_why",
        "hardware",
        "caveat",
    )

    class Meta:
        db_table = "community_scenario"
        ordering = ["order", "code"]
        verbose_name = verbose_name_plural = "시나리오"

    def __str__(self):
        return f"Situation {self.code}: {self.label}"

    def get_absolute_url(self):
        return guide_url() + f"#scenario-{self.code.lower()}"

    def natural_key(self):
        return (self.code,)

    # The matrix's format and software columns are read off the links; its OS
    # and run method are fields of their own (summary_os, summary_run_method).
    @property
    def summary_formats(self):
        return [link.format for link in self.scenario_formats.all() if link.is_primary]

    @property
    def summary_software(self):
        """The links of the software the matrix names (the `summary_software` tag writes them)."""
        return [link for link in self.scenario_software.all() if link.in_summary]


class ScenarioLinkManager(models.Manager):
    """Scenario links are found by the scenario's code and the linked row's name."""

    target_field = ""

    def get_by_natural_key(self, code, name):
        return self.get(scenario__code=code, **{f"{self.target_field}__name": name})


class ScenarioFormatManager(ScenarioLinkManager):
    target_field = "format"


class ScenarioSoftwareManager(ScenarioLinkManager):
    target_field = "software"


class ScenarioFormat(models.Model):
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="scenario_formats"
    )
    format = models.ForeignKey(FormatProfile, on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField("권장", default=False)
    order = models.PositiveSmallIntegerField("순서", default=0)
    history = HistoricalRecords(table_name="community_historicalscenarioformat")

    objects = ScenarioFormatManager()

    class Meta:
        db_table = "community_scenarioformat"
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "시나리오별 포맷"
        constraints = [
            models.UniqueConstraint(fields=["scenario", "format"], name="unique_scenario_format"),
        ]

    def __str__(self):
        return f"{self.scenario.code} → {self.format}"

    def natural_key(self):
        return (*self.scenario.natural_key(), *self.format.natural_key())

    natural_key.dependencies = ["guide.scenario", "guide.formatprofile"]


class ScenarioSoftware(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", "실행 SW"
        ADDON = "addon", "함께 쓰는 라이브러리"
        ALTERNATIVE = "alternative", "대안"
        FRAMEWORK = "framework", "프레임워크"

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="scenario_software"
    )
    software = models.ForeignKey(Software, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("역할", max_length=12, choices=Role, default=Role.PRIMARY)
    audience = models.CharField("대상", max_length=40, blank=True, help_text="예: 개발자라면")
    note = models.CharField("설명", max_length=200, blank=True)
    in_summary = models.BooleanField("요약 매트릭스에 표시", default=False)
    order = models.PositiveSmallIntegerField("순서", default=0)
    history = HistoricalRecords(table_name="community_historicalscenariosoftware")

    objects = ScenarioSoftwareManager()

    class Meta:
        db_table = "community_scenariosoftware"
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "시나리오별 실행 SW"
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "software"], name="unique_scenario_software"
            ),
        ]

    def __str__(self):
        return f"{self.scenario.code} → {self.software}"

    def natural_key(self):
        return (*self.scenario.natural_key(), *self.software.natural_key())

    natural_key.dependencies = ["guide.scenario", "guide.software"]

    @property
    def role_label(self):
        """The role to name before the software ("대안", ...); the main pick needs none."""
        return "" if self.role == self.Role.PRIMARY else self.get_role_display()

    @property
    def is_emphasised(self):
        """Set in bold, as the guide does: the main picks and those in the summary matrix."""
        return self.role == self.Role.PRIMARY or self.in_summary


class ScenarioPlatformOSManager(models.Manager):
    def get_by_natural_key(self, code, platform):
        return self.get(scenario__code=code, platform=platform)


class ScenarioPlatformOS(RenderedMarkdownModel):
    """The OS a use recommends on one platform, where its general advice does not
    apply there (Apple Silicon runs macOS only; NVIDIA's CUDA has no macOS)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="platform_os")
    platform = models.CharField("플랫폼", max_length=20, choices=HardwareTier.Platform)
    os = models.CharField(
        "추천 OS",
        max_length=80,
        help_text="조언 도구가 이 플랫폼에서 시나리오의 추천 OS 대신 보여 줍니다. "
        "Markdown: **굵게**",
    )
    os_html = models.TextField(blank=True, editable=False)
    history = HistoricalRecords()

    objects = ScenarioPlatformOSManager()

    inline_rendered_fields = (("os", "os_html"),)

    class Meta:
        ordering = ["platform"]
        verbose_name = verbose_name_plural = "시나리오별 플랫폼 OS"
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "platform"],
                name="unique_scenario_platform_os",
                violation_error_message="이 시나리오에는 이 플랫폼의 OS가 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.scenario.code} · {self.get_platform_display()}"

    def natural_key(self):
        return (*self.scenario.natural_key(), self.platform)

    natural_key.dependencies = ["guide.scenario"]
