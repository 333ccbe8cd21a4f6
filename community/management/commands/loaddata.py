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
            revisions = history.bulk_history_create(new, default_change_reason="loaddata")
            self.record_revision_links(model, history.model, revisions)

    def record_revision_links(self, model, revision_model, revisions):
        """Store the many-to-many links a model's history tracks with its first revisions,
        as django-simple-history does on save, so that reverting to them restores them."""
        revision_of = {getattr(r, model._meta.pk.attname): r for r in revisions}
        for field in revision_model._history_m2m_fields:
            through = field.remote_field.through
            link_history = getattr(revision_model, field.name).model
            columns = [f.attname for f in through._meta.concrete_fields]
            rows = through.objects.using(self.using).filter(
                **{f"{field.m2m_field_name()}__in": list(revision_of)}
            )
            link_history.objects.using(self.using).bulk_create(
                link_history(
                    history=revision_of[getattr(row, f"{field.m2m_field_name()}_id")],
                    **{column: getattr(row, column) for column in columns},
                )
                for row in rows
            )
