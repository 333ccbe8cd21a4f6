"""
`manage.py seed`: the seed content, loaded once.

`make run` calls it every time, and loading the fixtures again would put the seed
rows back over what editors have changed since (natural keys update in place).
So it loads them only into a database that holds no content yet.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from community.models import FormatProfile, Post

SEED_FIXTURES = ["reference", "posts"]


class Command(BaseCommand):
    help = "Loads the seed fixtures into a database without content; leaves content alone."

    def handle(self, *args, **options):
        if Post.objects.exists() or FormatProfile.objects.exists():
            self.stdout.write(
                "The database has content: the seed fixtures were not loaded again. "
                "`manage.py loaddata reference posts` reloads them over editors' changes."
            )
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
