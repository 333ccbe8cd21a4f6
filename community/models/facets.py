"""The list's filter counts as last counted, shared by every server process."""

import time
from datetime import UTC, datetime

from django.db import models

from community.models.post import Tag


class FacetCounts(models.Model):
    """
    One row: posts per kind and the most used tags, as community/facets.py
    last counted them. Each process keeps the counts in its own cache too;
    this row is what lets one process count for all of them, and a restarted
    server start with the counts it had.
    """

    SINGLETON_ID = 1

    counted_at = models.DateTimeField(null=True)
    # {kind: number of posts}; null until the first count.
    kinds = models.JSONField(null=True)
    # [[id, slug, name, number of posts], ...], most used first.
    tags = models.JSONField(default=list)
    # Set by a change to a tag: counted again at the next request, whatever the age.
    recount = models.BooleanField(default=False)

    class Meta:
        verbose_name = "목록 필터 집계"
        verbose_name_plural = "목록 필터 집계"

    def __str__(self):
        return f"목록 필터 집계 ({self.counted_at or '아직 없음'})"

    @classmethod
    def locked(cls):
        """The row, made if it is missing, locked until the transaction ends: a
        process that wants it while another counts waits for those counts."""
        # Not get_or_create: the same two statements whether the row exists or
        # not (a flushed database), where get_or_create takes three more once.
        cls.objects.bulk_create([cls(pk=cls.SINGLETON_ID)], ignore_conflicts=True)
        return cls.objects.select_for_update().get(pk=cls.SINGLETON_ID)

    def is_fresh(self, seconds):
        return (
            self.counted_at is not None
            and not self.recount
            and time.time() < self.counted_at.timestamp() + seconds
        )

    def record(self, facets):
        """Keep `facets` (as community.facets counts them) as the latest counts."""
        self.counted_at = datetime.fromtimestamp(facets["counted_at"], UTC)
        self.kinds = facets["kinds"]
        self.tags = [[tag.pk, tag.slug, tag.name, tag.post_count] for tag in facets["tags"]]
        self.recount = False
        self.save()

    @property
    def facets(self):
        """The counts as the list's template reads them (community.facets.NO_FACETS before any)."""
        tags = []
        for pk, slug, name, post_count in self.tags:
            tag = Tag(pk=pk, slug=slug, name=name)
            tag.post_count = post_count
            tags.append(tag)
        counted_at = self.counted_at.timestamp() if self.counted_at else None
        return {"kinds": self.kinds, "tags": tags, "counted_at": counted_at}
