from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import RedirectView, TemplateView

from community import editor_views
from community import views as community_views
from community.sitemaps import SITEMAPS
from pagecache.pages import cached_page

# The reference records' admin pages before they moved from `community` to
# `guide` (community 0019): editors' bookmarks and old links still lead there.
MOVED_TO_GUIDE = "formatprofile|software|hardwaretier|scenario|quantization|modelpreset"

urlpatterns = [
    re_path(
        rf"^admin/community/(?P<model>{MOVED_TO_GUIDE})/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/guide/%(model)s/%(rest)s", permanent=True, query_string=True
        ),
    ),
    path("admin/", admin.site.urls),
    # The paths markdownx's editor posts to (settings.MARKDOWNX_URLS_PATH and
    # MARKDOWNX_UPLOAD_URLS_PATH), served by our staff-only views.
    path("markdownx/markdownify/", editor_views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", editor_views.image_upload, name="markdownx_upload"),
    path(
        "robots.txt",
        require_GET(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    # Resolved per request: the hashed name exists only after collectstatic.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
    ),
    path(
        "sitemap.xml",
        require_safe(cached_page(sitemaps_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(cached_page(sitemaps_views.sitemap, query=["p"])),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("guide/", include("guide.urls")),
    path("", include("community.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Pictures in the local media folder; a storage elsewhere serves its own.
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:name>",
            community_views.uploaded_image,
            name="uploaded_image",
        )
    )

handler500 = "community.views.server_error"
