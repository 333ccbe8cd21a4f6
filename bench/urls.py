from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def hello(request):
    """The ceiling: a view that does nothing, behind every middleware the site has."""
    return HttpResponse("hello, world", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("", include("ainex.urls")),
]
