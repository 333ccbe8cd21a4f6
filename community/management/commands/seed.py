"""
`manage.py seed`: the seed content (fixtures/), stored as an editor's save stores it.

Django's loaddata saves rows raw: `save()` never runs, so their Markdown would
stay unrendered and no revision would be recorded. `seed` runs loaddata and then,
in the same transaction, renders every row it loaded and records a first
revision of each row that has none, through django-simple-history's own save
path (so that reverting to it restores the row's many-to-many links too).

`make run` calls it every time: it loads the fixtures only into a database that
holds no content yet. `--reload` puts the seed rows back over editors' changes
(the fixtures use natural keys, so rows update in place and nothing duplicates);
rows that have revisions get no new one. The search synonyms are loaded the same
way, and also whenever there are none yet, so a database seeded before they
existed gets them too.
"""

from collections import defaultdict

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model, update_change_reason

from community.models import Post, Synonym
from community.rendered import RenderedMarkdownModel
from guide.models import FormatProfile

SEED_FIXTURES = ["reference", "posts"]
SYNONYM_FIXTURE = "synonyms"
CHANGE_REASON = "seed"


class Command(BaseCommand):
    help = "Loads the seed fixtures into a database without content (or again, with --reload)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Put the seed rows back over editors' changes.",
        )

    def handle(self, *args, reload, verbosity, **options):
        if reload or not Synonym.objects.exists():
            call_command("loaddata", SYNONYM_FIXTURE, verbosity=verbosity)
        if not reload and (Post.objects.exists() or FormatProfile.objects.exists()):
            self.stdout.write(
                "The database has content: the seed fixtures were not loaded again. "
                "`manage.py seed --reload` reloads them over editors' changes."
            )
            return
        with transaction.atomic():
            loaded = self.load(verbosity)
            for model, rows in loaded.items():
                self.finish(model, list(rows.values()))

    def load(self, verbosity):
        """loaddata, and the rows it saved, by model and primary key."""
        loaded = defaultdict(dict)

        def collect(sender, instance, raw, **kwargs):
            if raw:
                loaded[sender][instance.pk] = instance

        # post_save with raw=True is Django's documented sign of a fixture row.
        post_save.connect(collect, weak=False, dispatch_uid="seed-collect")
        try:
            call_command("loaddata", *SEED_FIXTURES, verbosity=verbosity)
        finally:
            post_save.disconnect(dispatch_uid="seed-collect")
        return loaded

    def finish(self, model, rows):
        for row in rows:
            # Set while loading (community.apps); this save is to be recorded.
            del row.skip_history_when_saving
        try:
            history = get_history_manager_for_model(model)
        except NotHistoricalModelError:
            revised = {row.pk for row in rows}  # nothing to record
        else:
            pk_name = model._meta.pk.attname
            revised = set(
                history.filter(**{f"{pk_name}__in": [row.pk for row in rows]}).values_list(
                    pk_name, flat=True
                )
            )
        for row in rows:
            if row.pk not in revised:
                row.save()  # renders, and records the revision with the row's links
                update_change_reason(row, CHANGE_REASON)
        again = [row for row in rows if row.pk in revised]
        if again and issubclass(model, RenderedMarkdownModel):
            for row in again:
                row.refresh_rendered_fields()
            model._base_manager.bulk_update(again, model.derived_field_names(), batch_size=500)
