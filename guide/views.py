"""The guide page and the hardware-fit advisor."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_safe

from guide.advisor import EXTREME_BITS, RUNTIME_OVERHEAD_GB_PER_DEVICE
from guide.forms import AdvisorForm
from guide.models import FormatProfile, HardwareTier, ModelPreset, Scenario
from guide.models.advisor import KVCachePrecision
from guide.models.reference import in_comparison_order
from pagecache.pages import cached_page

# The query parameters the advisor reads; any other is redirected away.
ADVISOR_QUERY = tuple(AdvisorForm.base_fields)


@require_safe
@cached_page
def guide(request):
    formats = list(FormatProfile.objects.with_software())
    context = {
        "formats": formats,
        "comparison_formats": in_comparison_order(formats),
        # A list: the section's heading reads the first tier's model.
        "hardware_tiers": list(
            HardwareTier.objects.select_related("recommended_format", "sized_for")
        ),
        "scenarios": Scenario.objects.with_details(),
    }
    return render(request, "guide/guide.html", context)


def _advisor_context(request):
    form = AdvisorForm(request.GET or None)
    context = {
        "form": form,
        "advice": form.get_advice() if form.is_valid() else None,
        # The page states what the figures assume, from the same constants and records.
        "kv_precisions": list(KVCachePrecision),
        "overhead_per_device_gb": RUNTIME_OVERHEAD_GB_PER_DEVICE,
        "extreme_bits": EXTREME_BITS,
        "nvidia_only_formats": FormatProfile.objects.nvidia_only_names,  # only where shown
        "splitting_formats": FormatProfile.objects.splitting_names,
    }
    if not form.is_bound:
        example = (
            ModelPreset.objects.filter(parameters_billion__lte=80, active_parameters_billion=None)
            .order_by("-parameters_billion", "order")
            .first()
        )
        if example:
            context["example_query"] = urlencode(
                {
                    "preset": example.name,
                    "platform": "nvidia_gpu",
                    "memory_gb": 24,
                    "devices": 2,
                    "context": 8192,
                    "use": "B",
                }
            )
            context["example_preset"] = example
    return context


@require_safe
@cached_page(query=ADVISOR_QUERY)
def advisor(request):
    """The hardware-fit advisor: a GET form, so every answer has its own URL."""
    return render(request, "guide/advisor.html", _advisor_context(request))


@require_safe
@cached_page(query=ADVISOR_QUERY)
def advisor_result(request):
    """The advisor's result alone, for updates while the reader types."""
    return render(request, "guide/advisor.html#advisor_result", _advisor_context(request))
