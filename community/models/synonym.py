"""Search synonyms: how readers write a name, and how the posts write it."""

from urllib.parse import urlencode

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

# A query's variants: as typed, then with its words written the other ways.
# Each variant is one more condition per search phase, so they are few.
MAX_VARIANTS = 4


def variants(query, synonyms):
    """
    `query` as typed, then with each word that is a synonym's term replaced by
    its expansion (first one at a time, then all at once), without repeats,
    at most MAX_VARIANTS. "라마 양자화" → "라마 양자화", "Llama 양자화".
    `synonyms` are (term in lower case, expansion) pairs in the table's order;
    those of other words are passed over. Search reads them from its kept
    tables (community.search.search_variants).
    """
    words = query.split()
    folded = [word.casefold() for word in words]
    variants = [query]
    every = list(words)
    for term, expansion in synonyms:
        for i, word in enumerate(folded):
            if word == term.casefold():
                variants.append(" ".join([*words[:i], expansion, *words[i + 1 :]]))
                every[i] = expansion
    variants.append(" ".join(every))
    unique = list(dict.fromkeys(v for v in variants if v))
    return tuple(unique[:MAX_VARIANTS])


class SynonymManager(models.Manager):
    def get_by_natural_key(self, term, expansion):
        return self.get(term=term, expansion=expansion)


class Synonym(models.Model):
    """A word readers type (라마) that search also looks for as another (Llama)."""

    term = models.CharField(
        "검색어", max_length=40, help_text="독자가 입력하는 낱말. 예: 라마 (대소문자 무시)"
    )
    expansion = models.CharField(
        "함께 찾을 말", max_length=60, help_text="글에 쓰인 표기. 예: Llama"
    )

    objects = SynonymManager()

    class Meta:
        ordering = ["term", "expansion"]
        verbose_name = verbose_name_plural = "검색 동의어"
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                Lower("expansion"),
                name="unique_synonym",
                violation_error_message="같은 검색어와 표기가 이미 있습니다.",
            ),
            # A search word is one word: the query is matched word by word.
            models.CheckConstraint(
                condition=~models.Q(term__contains=" ") & ~models.Q(term=""),
                name="synonym_term_is_one_word",
                violation_error_message="검색어는 띄어쓰기 없는 한 낱말이어야 합니다.",
            ),
            models.CheckConstraint(
                condition=~models.Q(expansion=""),
                name="synonym_expansion_not_empty",
                violation_error_message="함께 찾을 말을 적어 주세요.",
            ),
        ]

    def __str__(self):
        return f"{self.term} → {self.expansion}"

    def get_absolute_url(self):
        return reverse("community:post_list") + "?" + urlencode({"q": self.term})

    def natural_key(self):
        return (self.term, self.expansion)
