from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from community.models import Post


@require_GET
def hello(request):
    """The ceiling: a view that does nothing, behind every middleware the site has."""
    return HttpResponse("hello, world", content_type="text/plain")


@require_GET
def queries(request, count):
    """
    The floor under a page of `count` queries: hello-world plus that many
    single-row reads by primary key through the ORM, and no template.
    """
    titles = [
        Post.objects.filter(pk=pk).values_list("title", flat=True).first()
        for pk in range(1, count + 1)
    ]
    return HttpResponse("\n".join(filter(None, titles)), content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/queries/<int:count>/", queries),
    path("", include("ainex.urls")),
]
