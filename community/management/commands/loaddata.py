"""
Django's loaddata, plus the step that raw loading skips.

Fixtures are saved raw: `save()` never runs, so stored HTML would stay empty
and no revision would be recorded. After the fixtures are in, and inside the
same transaction, this renders the Markdown of every loaded row and records a
first revision of each row that has none. A fixture that fails leaves the database untouched.
"""

from collections import defaultdict

from django.core.management.commands import loaddata

from community.models.rendered import RenderedMarkdownModel


class Command(loaddata.Command):
    help = loaddata.Command.help + " Renders the Markdown of loaded rows."

    def loaddata(self, fixture_labels):
        self.loaded_instances = defaultdict(list)
        super().loaddata(fixture_labels)
        self.finish_loaded_rows()

    def save_obj(self, obj):
        # Raw saves record no revision, but setting many-to-many values would
        # (django-simple-history listens to m2m_changed); finish_loaded_rows
        # records the one revision a loaded row needs.
        obj.object.skip_history_when_saving = True
        saved = super().save_obj(obj)
        if saved:
            self.loaded_instances[type(obj.object)].append(obj.object)
        return saved

    def finish_loaded_rows(self):
        for model, instances in self.loaded_instances.items():
            for instance in instances:
                del instance.skip_history_when_saving
            if issubclass(model, RenderedMarkdownModel):
                for instance in instances:
                    instance.refresh_rendered_fields()
                model._base_manager.using(self.using).bulk_update(
                    instances, model.derived_field_names(), batch_size=500
                )
            # Set by django-simple-history on the models it tracks (not on its own tables).
            history_attribute = getattr(model._meta, "simple_history_manager_attribute", None)
            if history_attribute:
                self.record_first_revisions(model, getattr(model, history_attribute), instances)

    def record_first_revisions(self, model, history, instances):
        """Give rows loaded for the first time a revision to revert to; reloading adds none."""
        # Revisions name their row by the tracked model's primary key field.
        pk_name = model._meta.pk.attname
        known = set(
            history.filter(**{f"{pk_name}__in": [i.pk for i in instances]}).values_list(
                pk_name, flat=True
            )
        )
        new = [i for i in instances if i.pk not in known]
        if new:
            history.bulk_history_create(new, default_change_reason="loaddata")
