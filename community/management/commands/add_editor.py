from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from community.editors import EDITORS_GROUP, ensure_editors_group


class Command(BaseCommand):
    help = (
        "Create (or update) a staff account in the Editors group: it can edit posts, "
        "answers and reference data in /admin/, and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input instead of prompting.",
        )

    def handle(self, *args, username, email, password_stdin, **options):
        import getpass
        import sys

        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        user_model = get_user_model()
        user = user_model(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        user, created = user_model.objects.update_or_create(
            username=username, defaults={"email": email, "is_staff": True, "is_active": True}
        )
        user.set_password(password)
        user.save()
        user.groups.add(ensure_editors_group(Group, Permission))
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} editor {username!r} (group {EDITORS_GROUP}).")
        )
