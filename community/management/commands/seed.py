"""
`manage.py seed`: the seed content, loaded once.

`make run` calls it every time, and loading the fixtures again would put the seed
rows back over what editors have changed since (natural keys update in place).
So it loads them only into a database that holds no content yet. The search
synonyms are loaded the same way on their own, when there are none yet, so a
database seeded before they existed gets them too.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from community.models import FormatProfile, Post, Synonym

SEED_FIXTURES = ["reference", "posts"]
SYNONYM_FIXTURE = "synonyms"


class Command(BaseCommand):
    help = "Loads the seed fixtures into a database without content; leaves content alone."

    def handle(self, *args, **options):
        if not Synonym.objects.exists():
            call_command("loaddata", SYNONYM_FIXTURE, verbosity=options["verbosity"])
        if Post.objects.exists() or FormatProfile.objects.exists():
            self.stdout.write(
                "The database has content: the seed fixtures were not loaded again. "
                "`manage.py loaddata reference posts` reloads them over editors' changes."
            )
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
