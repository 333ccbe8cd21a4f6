"""Excerpts made before plain_text() kept character references ("&lt;") that the
templates then escaped a second time; make those excerpts again from the HTML."""

from django.db import migrations
from django.utils.text import Truncator

from community.markdown import plain_text

EXCERPT_LENGTH = 120
BATCH = 1000


def remake_excerpts(apps, schema_editor):
    Post = apps.get_model("community", "Post")
    stale = Post.objects.filter(excerpt__contains="&").only("body_html", "excerpt")
    batch = []
    for post in stale.iterator(chunk_size=BATCH):
        post.excerpt = Truncator(plain_text(post.body_html)).chars(EXCERPT_LENGTH)
        batch.append(post)
        if len(batch) == BATCH:
            Post.objects.bulk_update(batch, ["excerpt"])
            batch = []
    Post.objects.bulk_update(batch, ["excerpt"])


class Migration(migrations.Migration):
    dependencies = [("community", "0005_search")]

    operations = [migrations.RunPython(remake_excerpts, migrations.RunPython.noop, elidable=True)]
