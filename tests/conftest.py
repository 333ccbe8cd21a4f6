import pytest
from django.core.management import call_command

SEED_FIXTURES = ("reference", "posts", "synonyms")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Pages render {% static %}; the hashed-manifest storage needs collectstatic
    # first, which test_foundation exercises on its own.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Each test gets its own local-memory cache, whatever REDIS_URL says: test
    # transactions never commit, so the after-commit invalidation of the shared
    # (Redis) mode cannot run here. tests/test_scale_out.py covers that mode
    # with real server processes.
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.CONTENT_VERSION_IN_CACHE = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The full seed content, loaded the way `make run` loads it."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


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
