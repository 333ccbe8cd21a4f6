from django.contrib import admin
from django.urls import include, path

from community import editor_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The paths markdownx's editor posts to (settings.MARKDOWNX_URLS_PATH and
    # MARKDOWNX_UPLOAD_URLS_PATH), served by our staff-only views.
    path("markdownx/markdownify/", editor_views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", editor_views.image_upload, name="markdownx_upload"),
    path("", include("community.urls")),
]
