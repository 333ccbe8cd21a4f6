from django.db import models

from community.markdown import render_markdown


class RenderedMarkdownModel(models.Model):
    """
    A model with Markdown source fields whose sanitized HTML is stored beside them.

    `rendered_fields` pairs each source field with its HTML field. The HTML is
    made in `save()`, never per request; `loaddata` skips `save()`, so the
    project's loaddata command calls `refresh_rendered_fields()` on what it loaded.
    """

    rendered_fields: tuple[tuple[str, str], ...] = ()

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

    @classmethod
    def derived_field_names(cls):
        """Fields that `refresh_rendered_fields()` writes."""
        return [target for _source, target in cls.rendered_fields]
