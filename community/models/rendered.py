from django.db import models

from community.markdown import render_inline_markdown, render_markdown


class RenderedMarkdownModel(models.Model):
    """
    A model with Markdown source fields whose sanitized HTML is stored beside them.

    `rendered_fields` pairs each source field with its HTML field, and
    `inline_rendered_fields` those of short fields shown inside a sentence or a
    table cell (render_inline_markdown). The HTML is made in `save()`, never per
    request; `loaddata` skips `save()`, so the project's loaddata command calls
    `refresh_rendered_fields()` on what it loaded.
    """

    rendered_fields: tuple[tuple[str, str], ...] = ()
    inline_rendered_fields: tuple[tuple[str, str], ...] = ()

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

    @classmethod
    def derived_field_names(cls):
        """Fields that `refresh_rendered_fields()` writes."""
        pairs = (*cls.rendered_fields, *cls.inline_rendered_fields)
        return [target for _source, target in pairs]
