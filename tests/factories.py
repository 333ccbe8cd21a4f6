"""Small builders for test data; each returns a saved row."""

import itertools
from datetime import timedelta

from django.utils import timezone

from community.models import Answer, Post, Synonym, Tag
from guide.models import FormatProfile, Scenario, Software

_sequence = itertools.count(1)


def make_tag(**fields):
    n = next(_sequence)
    return Tag.objects.create(**{"name": f"태그{n}", "slug": f"tag-{n}", **fields})


def make_format(**fields):
    n = next(_sequence)
    defaults = {
        "name": f"FMT{n}",
        "slug": f"fmt-{n}",
        "extension": f"*.fmt{n}",
        "role": "역할",
        "features": "특징",
        "hardware": "GPU",
        "order": n,
    }
    return FormatProfile.objects.create(**{**defaults, **fields})


def make_post(**fields):
    n = next(_sequence)
    defaults = {
        "title": f"테스트 질문 {n}",
        "slug": f"post-{n}",
        "body": f"질문 본문 {n}",
        "status": Post.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(minutes=n),
    }
    return Post.objects.create(**{**defaults, **fields})


def make_answer(post, **fields):
    n = next(_sequence)
    defaults = {"body": f"답변 본문 {n}", "status": Answer.Status.PUBLISHED}
    return Answer.objects.create(post=post, **{**defaults, **fields})


def make_correction(post, **fields):
    """A draft answer that may replace a wrong one: it cites its source."""
    defaults = {"status": Answer.Status.DRAFT, "source_label": "공식 문서"}
    return make_answer(post, **{**defaults, **fields})


def make_rich_post(formats=(), tags=(), answers=2):
    """A published post with tags, formats and answers, one of them accepted."""
    post = make_post()
    post.tags.set(tags or [make_tag()])
    post.formats.set(formats)
    for i in range(answers):
        make_answer(post, is_accepted=(i == 0))
    return post


def make_scenario(**fields):
    """A scenario with no formats or software; its code is one letter, "Z" unless given."""
    defaults = {
        "code": "Z",
        "label": "Test Use",
        "situation": "시험해 볼 거야",
        "summary_label": "시험용",
        "core_goal": "시험",
        "os": "**Linux**",
        "summary_os": "**Linux**",
        "run_method": "Native App",
        "run_method_why": "시험",
        "summary_run_method": "**Native App**",
    }
    return Scenario.objects.create(**{**defaults, **fields})


def make_software(**fields):
    n = next(_sequence)
    return Software.objects.create(**{"name": f"SW{n}", **fields})


def make_synonym(term, expansion):
    return Synonym.objects.create(term=term, expansion=expansion)
