from django.db import models
from django.db.models import F


class ContentVersion(models.Model):
    """
    One number that changes whenever anything a public page shows is saved.

    Cached pages are keyed by it, so a save invalidates every cached page at
    once, in every server process, whatever the cache backend: the number
    lives in the database that all processes share.
    """

    SINGLETON_ID = 1

    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "콘텐츠 버전"

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=cls.SINGLETON_ID).values_list("version", flat=True).first()
        return row if row is not None else 0

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=cls.SINGLETON_ID).update(version=F("version") + 1)
        if not updated:
            cls.objects.get_or_create(pk=cls.SINGLETON_ID, defaults={"version": 2})
