from django.db import models, transaction
from django.db.models import F, Max, Min

from community.markdown import box_tables, plain_text, render_inline_markdown, render_markdown

# Ids read per query by box_stored_tables.
BOX_BATCH = 1000


class RenderedMarkdownModel(models.Model):
    """
    A model with Markdown source fields whose sanitized HTML is stored beside them.

    `rendered_fields` pairs each source field with its HTML field, and
    `inline_rendered_fields` those of short fields shown inside a sentence or a
    table cell (render_inline_markdown). The HTML is made in `save()`, never per
    request; `loaddata` skips `save()`, so `manage.py seed` saves or refreshes
    what it loaded.

    A model that names `searched_fields` also has a `search_text` field: those
    fields as a reader sees them, the Markdown fields without their markup, one
    field per line. Searching the source would miss a phrase that emphasis
    splits, such as "WSL2를" written "**WSL2**를", and find words that only a
    link's address holds.
    """

    rendered_fields: tuple[tuple[str, str], ...] = ()
    inline_rendered_fields: tuple[tuple[str, str], ...] = ()
    searched_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        self.refresh_rendered_fields()
        if update_fields is not None:
            update_fields = {*update_fields, *self.derived_field_names()}
        super().save(*args, update_fields=update_fields, **kwargs)

    def refresh_rendered_fields(self):
        for source, target in self.rendered_fields:
            setattr(self, target, render_markdown(getattr(self, source)))
        for source, target in self.inline_rendered_fields:
            setattr(self, target, render_inline_markdown(getattr(self, source)))
        if self.searched_fields:
            self.search_text = self.readable_text()

    def readable_text(self):
        """The `searched_fields` as a reader sees them, one per line."""
        html_of = dict((*self.rendered_fields, *self.inline_rendered_fields))
        # Each field on one line, and a query's white space is folded to single
        # spaces (search.clean_query), so a query never matches across two fields.
        return "\n".join(
            plain_text(getattr(self, html_of[field]))
            if field in html_of
            else " ".join(getattr(self, field).split())
            for field in self.searched_fields
        )

    @classmethod
    def derived_field_names(cls):
        """Fields that `refresh_rendered_fields()` writes."""
        pairs = (*cls.rendered_fields, *cls.inline_rendered_fields)
        searched = ["search_text"] if cls.searched_fields else []
        return [target for _source, target in pairs] + searched


def box_stored_tables(apps, html_fields):
    """
    For data migrations: put the scroll box that render_markdown now makes
    (markdown.box_tables) around every table in the stored HTML of
    `html_fields` ({"app_label.Model": "field_html"}), as it is, not rendered
    again from its Markdown; then, if any row changed, move the content version
    on, since cached pages and kept markup hold the HTML as it was.
    """
    changed = 0
    for label, field in html_fields.items():
        changed += _box_field(apps.get_model(label), field)
    if changed:
        version = apps.get_model("pagecache", "ContentVersion")
        version.objects.update(version=F("version") + 1)


def _box_field(model, field):
    """
    Box the tables of `field` in every row, a transaction per batch of ids with
    its rows locked while they are boxed: a save by an editor in the meantime is
    neither lost nor kept waiting for the whole table (boxing a million posts
    and 1.5 million answers in one transaction took 22 minutes here). A run that
    stops can be started again; boxed rows are passed over. Returns how many
    rows changed.
    """
    unboxed = (
        model.objects.filter(**{f"{field}__contains": "<table>"})
        .exclude(**{f"{field}__contains": 'class="table-wrap"'})
        .only("pk", field)
    )
    ids = model.objects.aggregate(first=Min("pk"), last=Max("pk"))
    changed, start = 0, ids["first"]
    # By ranges of ids, not of unboxed rows: each query reads at most BOX_BATCH
    # rows, however few of them hold a table (the statement timeout applies here too).
    while start is not None and start <= ids["last"]:
        with transaction.atomic():
            rows = list(unboxed.filter(pk__gte=start, pk__lt=start + BOX_BATCH).select_for_update())
            for row in rows:
                setattr(row, field, box_tables(getattr(row, field)))
            model.objects.bulk_update(rows, [field])
        changed, start = changed + len(rows), start + BOX_BATCH
    return changed
