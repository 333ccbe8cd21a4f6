from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "커뮤니티"

    def ready(self):
        # Signals on purpose: admin inlines, bulk deletes, many-to-many edits and
        # loaddata all change what pages show, and none of them goes through one
        # method we could call the page cache from.
        from django.db.models.signals import post_delete, post_save

        from community.facets import tags_changed
        from community.models import FacetCounts, Post, Tag
        from pagecache.models import watch_content

        # The filters' counts are not content: their kept markup is keyed by
        # when they were counted, and a count must not let every page go.
        content = [model for model in self.get_models() if model is not FacetCounts]
        watch_content(content, next_change=Post.objects.next_publication_date)
        post_save.connect(tags_changed, sender=Tag, dispatch_uid="facets-tag")
        post_delete.connect(tags_changed, sender=Tag, dispatch_uid="facets-d-tag")
        post_save.connect(no_revision_for_fixture_rows, dispatch_uid="fixture-rows")


def no_revision_for_fixture_rows(sender, instance, raw, **kwargs):
    """
    loaddata saves a row raw (Django's documented `raw`), then sets its
    many-to-many links, which django-simple-history would record as an editor's
    change of every row. A backup brings its own revisions, and `seed` records
    the first one; skip_history_when_saving is simple-history's documented switch.
    """
    if raw:
        instance.skip_history_when_saving = True
