import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Pages render {% static %}; the hashed-manifest storage needs collectstatic
    # first, which test_foundation exercises on its own.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Django's PBKDF2 takes most of a second a password here, and tests make
    # editors and members and log in by the hundred; the hasher is not under
    # test (the live servers of the fault and scale-out tests keep the real one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _facets_counted_inline(monkeypatch):
    # A thread's database connection of its own cannot see a test's rows, which
    # are never committed: the list's counts are made in the request here.
    # tests/test_caching.py counts in a real thread where that is the point.
    from community import facets

    monkeypatch.setattr(facets, "in_background", lambda function: function())


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Each test gets its own local-memory cache, whatever REDIS_URL says: test
    # transactions never commit, so the after-commit announcement of the shared
    # (Redis) mode cannot run here. tests/test_scale_out.py and test_faults.py
    # cover that mode with real server processes.
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "unkept": settings.CACHES["unkept"],
        "searches": settings.CACHES["searches"],
    }
    caches["default"].clear()
    caches["searches"].clear()
    yield
    caches["default"].clear()
    caches["searches"].clear()


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """
    The rows `manage.py seed` writes, by model: the seed run once per session,
    its rows kept, the run rolled back.

    `seed` renders every Markdown body and records a revision of each row, about
    1.7 s, and some 150 tests start from the seed content: they get these rows
    copied back instead (`copy_seed`). tests/test_fixtures.py runs the command
    itself, and checks that a copy holds what a run holds.
    """
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(_row_values(model)) for model in models}
        call_command("seed", verbosity=0)
        rows = {}
        for model in models:
            fields = [field.attname for field in model._meta.concrete_fields]
            written = [
                row
                for row in model._base_manager.order_by("pk")
                if tuple(getattr(row, name) for name in fields) not in before[model]
            ]
            if written:
                rows[model] = written
        transaction.set_rollback(True)
    return rows


def _row_values(model):
    return model._base_manager.values_list(
        *[field.attname for field in model._meta.concrete_fields]
    )


def copy_seed(rows):
    """Writes the seed's rows (see `seed_rows`), over the same rows if they exist,
    in one transaction (foreign keys are checked at its end)."""
    with transaction.atomic():
        for model, instances in rows.items():
            pk = model._meta.pk
            others = [field.name for field in model._meta.concrete_fields if field is not pk]
            model._base_manager.bulk_create(
                instances, update_conflicts=True, unique_fields=[pk.name], update_fields=others
            )
        # Rows written with their primary keys leave PostgreSQL's sequences behind.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(rows)):
                cursor.execute(statement)


@pytest.fixture
def seeded(db, seed_rows):
    """The full seed content, as `make run` loads it (see `seed_rows`)."""
    copy_seed(seed_rows)


@pytest.fixture
def editor(db, django_user_model):
    """A staff account in the Editors group, not a superuser."""
    from django.contrib.auth.models import Group, Permission

    from community.editors import ensure_editors_group

    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "correct-horse-battery", is_staff=True
    )
    # Transactional tests empty every table, the migration's group included.
    user.groups.add(ensure_editors_group(Group, Permission))
    return user
