import sys
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from community import search
from community.article import PostArticle, post_to_open
from community.facets import list_facets
from community.images import CONTENT_TYPES, STORED_NAME
from community.listing import NewestFirstListing, SearchListing, query_string
from community.models import Post, Tag
from community.pagination import InvalidCursor
from community.timeline import post_timeline
from pagecache.kept import kept_row
from pagecache.pages import cached_page

HOME_LATEST_COUNT = 5
KIND_CHOICES = dict(Post.Kind.choices)
# The query parameters each cached view reads; any other is redirected away.
LIST_QUERY = ("kind", "q", "cursor", "before", "after")
CSRF_FAILURE_REASON = (
    "보안 토큰(CSRF)이 없거나 맞지 않아 요청을 처리하지 않았습니다. "
    "폼을 보냈다면 페이지를 새로 고친 뒤 다시 보내 주세요."
)


def bad_request(request, reason, status=400):
    """A 400 (or another 4xx) in the site's style: what was wrong, and a link to the
    page without its query."""
    # A path such as "/\evil.example/" is another site's address to a browser.
    safe = url_has_allowed_host_and_scheme(request.path, allowed_hosts=None)
    context = {"reason": reason, "retry_url": request.path if safe else "/", "status": status}
    return render(request, "400.html", context, status=status)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid security token, in the site's style.

    Also what a POST to a public page gets, since CSRF is checked before the
    view's method check could answer 405. Django's `reason` is for developers.
    """
    return render(request, "403.html", {"reason": CSRF_FAILURE_REASON}, status=403)


@require_safe
@cached_page
def home(request):
    latest_posts = Post.objects.published().for_list().newest_first()[:HOME_LATEST_COUNT]
    return render(request, "community/home.html", {"latest_posts": latest_posts})


def _community_list(request, tag=None):
    """The list, filtered by kind, tag and search text; see community/search.py."""
    params = request.GET
    kind = params.get("kind") or None
    if kind is not None and kind not in KIND_CHOICES:
        return bad_request(request, "알 수 없는 글 종류입니다.")
    query = search.clean_query(params.get("q", ""))
    context = {
        "kind": kind,
        "tag": tag,
        "query": query,
        # As last counted, outside requests (community/facets.py); the filters'
        # kept markup is keyed by when.
        "facets": _facets(tag, query),
        "kinds": KIND_CHOICES,
    }
    try:
        if query:
            listing = SearchListing(query, params, kind=kind, tag=tag)
        else:
            listing = NewestFirstListing(params, kind=kind, tag=tag)
    except InvalidCursor as error:
        return bad_request(request, str(error))
    response = render(request, "community/post_list.html", {**context, "listing": listing})
    if context["facets"]["counted_at"] is None:
        # The filters without numbers, before the first count ends (after a
        # start): not kept by the page cache, so the next request has them.
        add_never_cache_headers(response)
    return response


def _facets(tag, query):
    facets = list_facets()
    if tag or query:
        # The counts are of every published post; beside a tag's or a search's
        # list the kind chips would promise more posts than they lead to.
        facets = {**facets, "kinds": None}
    return facets


@require_safe
@cached_page(query=(*LIST_QUERY, "tag"))
def post_list(request):
    if slug := next(filter(None, request.GET.getlist("tag")), None):
        # A tag's list has one address, its own page: the chips and the search
        # form there keep to the tag, as they could not on /community/?tag=.
        tag = get_object_or_404(Tag, slug=slug)
        rest = request.GET.copy()
        del rest["tag"]
        return redirect(tag.get_absolute_url() + query_string(rest), permanent=True)
    return _community_list(request)


@require_safe
@cached_page(query=LIST_QUERY)
def tag_detail(request, slug):
    tag = kept_row("tag", slug, lambda: get_object_or_404(Tag, slug=slug))
    return _community_list(request, tag=tag)


def _post_context(request, slug):
    # The row alone, and kept: the article's answers, links and related posts
    # are read only when its kept fragment is missing (community/article.py).
    post = post_to_open(request.user, slug)
    return {"post": post, "article": PostArticle(post)}


def _render_post(request, template, context):
    response = render(request, template, context)
    if context["article"].is_preview:
        # Never stored by the page cache (cached_page keeps only public
        # responses) or a browser.
        add_never_cache_headers(response)
    return response


@require_safe
@cached_page
def post_detail(request, slug):
    return _render_post(request, "community/post_detail.html", _post_context(request, slug))


@require_safe
@cached_page
def post_modal(request, slug):
    """The post page's article alone: the list's dialog shows it."""
    context = _post_context(request, slug)
    return _render_post(request, "community/post_detail.html#post_article", context)


@require_safe
@cached_page
def post_history(request, slug):
    """What readers saw change on a post: its public revisions and corrections."""
    post = get_object_or_404(Post.objects.published().with_answers_on_record(), slug=slug)
    return render(
        request, "community/post_history.html", {"post": post, "timeline": post_timeline(post)}
    )


@require_safe
def uploaded_image(request, name):
    """A picture from a post, where the local media folder holds it (community/images.py).
    Served as the image type its name says, never guessed from its bytes (nosniff)."""
    if not STORED_NAME.fullmatch(name) or not default_storage.exists(name):
        raise Http404("그런 이미지가 없습니다.")
    response = FileResponse(
        default_storage.open(name), content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]]
    )
    # The name holds a hash of the content: it never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def server_error(request):
    """handler500. A database that does not answer (down, restarting, out of
    connections or of time) is a 503 that says to try again, not a bug."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError)
    template = loader.get_template("503.html" if unavailable else "500.html")
    response = HttpResponseServerError(template.render())
    if unavailable:
        response.status_code = 503
        response["Retry-After"] = "5"
    return response


@never_cache
@require_safe
def healthz(request):
    """
    For the load balancer. 200 while the site can serve: "ok", or "degraded"
    when the cache does not answer (pages are rendered in each process, slower
    but correct). 503, "down", when the database does not answer.
    """
    checks = {
        "database": "ok" if _database_answers() else "unavailable",
        "cache": "ok" if _cache_answers() else "unavailable",
    }
    if checks["database"] != "ok":
        return JsonResponse({"status": "down", **checks}, status=503)
    status = "ok" if checks["cache"] == "ok" else "degraded"
    return JsonResponse({"status": status, **checks})


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_answers():
    # A key of its own per check: processes checking at once do not read each
    # other's. The Redis backend answers a failure as a miss (pagecache/backends.py).
    key, probe = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, probe, 10)
    return cache.get(key) == probe
