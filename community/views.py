from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from community.caching import cached_page
from community.forms import AdvisorForm
from community.models import FormatProfile, HardwareTier, ModelPreset, Post, Scenario
from community.models.reference import in_comparison_order
from community.pagination import Cursor, InvalidCursor, paginate_newest_first

HOME_LATEST_COUNT = 5


@require_GET
@cached_page
def home(request):
    latest_posts = Post.objects.published().for_list().newest_first()[:HOME_LATEST_COUNT]
    return render(request, "community/home.html", {"latest_posts": latest_posts})


@require_GET
@cached_page
def post_list(request):
    try:
        before = Cursor.parse(request.GET["before"]) if "before" in request.GET else None
        after = Cursor.parse(request.GET["after"]) if "after" in request.GET else None
    except InvalidCursor as error:
        return render(
            request, "400.html", {"reason": str(error), "retry_url": request.path}, status=400
        )
    page = paginate_newest_first(
        Post.objects.published().for_list(),
        before=before,
        after=after,
        size=settings.COMMUNITY_PAGE_SIZE,
    )
    return render(request, "community/post_list.html", {"page": page})


def _published_post(slug):
    return get_object_or_404(Post.objects.published().for_detail(), slug=slug)


@require_GET
@cached_page
def post_detail(request, slug):
    return render(request, "community/post_detail.html", {"post": _published_post(slug)})


@require_GET
@cached_page
def post_modal(request, slug):
    """The post page's article alone: the list's dialog shows it."""
    return render(
        request, "community/post_detail.html#post_article", {"post": _published_post(slug)}
    )


@require_GET
@cached_page
def guide(request):
    formats = list(FormatProfile.objects.with_software())
    context = {
        "formats": formats,
        "comparison_formats": in_comparison_order(formats),
        "hardware_tiers": HardwareTier.objects.select_related("recommended_format"),
        "scenarios": Scenario.objects.with_details(),
    }
    return render(request, "community/guide.html", context)


def _advisor_context(request):
    form = AdvisorForm(request.GET or None)
    context = {"form": form, "advice": form.get_advice() if form.is_valid() else None}
    if not form.is_bound:
        example = ModelPreset.objects.order_by("-parameters_billion").first()
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


@require_GET
@cached_page
def advisor(request):
    """The hardware-fit advisor: a GET form, so every answer has its own URL."""
    return render(request, "community/advisor.html", _advisor_context(request))


@require_GET
@cached_page
def advisor_result(request):
    """The advisor's result alone, for updates while the reader types."""
    return render(request, "community/advisor.html#advisor_result", _advisor_context(request))


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
