"""
Bulk demo content for benchmarks: `manage.py seed_demo --posts 1000000`.

Posts have Korean titles and bodies of a few KB with a table and a code block,
answers, tags and format links, and their rendered HTML. Bodies are built from
a few dozen variants, each rendered once by the real Markdown pipeline, and
given a unique first line; so every row's HTML is exactly what `save()` would
store, at bulk-insert speed. Run `seed` first: the demo
posts link to the seeded formats.
"""

import random
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from community.markdown import plain_text, render_markdown
from community.models import Answer, Post, Tag
from community.models.post import EXCERPT_LENGTH
from guide.models import FormatProfile
from pagecache.models import ContentVersion

MODELS = ["Llama-3", "Qwen2.5", "Mistral", "Gemma-2", "EXAONE-3.5", "Phi-3", "DeepSeek-V2"]
SIZES = ["7", "8", "14", "32", "70", "72"]
HARDWARE = ["RTX 4090 한 장", "RTX 3090 두 장", "Mac Studio 64GB", "A100 서버", "노트북 CPU"]
TOPICS = [
    "어떤 양자화가 좋을까요",
    "속도가 너무 느립니다",
    "VRAM이 부족하다고 나옵니다",
    "컨텍스트를 늘리면 어떻게 되나요",
    "vLLM과 Ollama 중 무엇을 쓸까요",
    "한국어 품질이 떨어지는 것 같아요",
]
TAGS = ["양자화", "서빙", "파인튜닝", "하드웨어", "GGUF", "AWQ", "EXL2", "vLLM", "Ollama", "맥"]
VARIANTS = 40


def body_variant(rng: random.Random) -> str:
    paragraphs = [
        f"{rng.choice(HARDWARE)} 환경에서 {rng.choice(MODELS)} 모델을 시험해 보고 있습니다. "
        "양자화 방식에 따라 속도와 품질이 크게 달라져서 정리해 봤습니다. "
        "같은 프롬프트로 여러 번 돌려 평균을 냈고, 온도는 0.7로 고정했습니다."
        for _ in range(rng.randint(3, 6))
    ]
    table = "| 포맷 | 메모리 | 속도 (t/s) |\n| :--- | ---: | ---: |\n" + "\n".join(
        f"| {fmt} | {rng.randint(20, 60)}GB | {rng.randint(5, 60)} |"
        for fmt in ("EXL2 4.65bpw", "GGUF Q4_K_M", "AWQ 4-bit")
    )
    code = (
        "```bash\n"
        f"ollama run {rng.choice(MODELS).lower()}:{rng.choice(SIZES)}b-instruct-q4_K_M\n"
        "python -m vllm.entrypoints.openai.api_server --quantization awq\n```"
    )
    return "\n\n".join([*paragraphs[:2], table, *paragraphs[2:], code])


class Command(BaseCommand):
    help = "Insert N demo posts with answers, tags and rendered HTML, in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, required=True)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, posts, batch, seed, **options):
        if posts < 1:
            raise CommandError("--posts must be at least 1.")
        formats = list(FormatProfile.objects.all())
        if not formats:
            raise CommandError("No formats: run `manage.py seed` first.")
        first_id = (Post.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        # Repeatable demo data, not secrets. Seeded by where the run starts too:
        # a run that adds to an earlier one draws new answer ids, not its twins.
        rng = random.Random(f"{seed}:{first_id}")  # noqa: S311
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": f"demo-{i}"})[0]
            for i, name in enumerate(TAGS)
        ]
        variants = []
        for _ in range(VARIANTS):
            body = body_variant(rng)
            variants.append((body, render_markdown(body)))
        answer_variants = []
        for _ in range(VARIANTS):
            body = "\n\n".join(body_variant(rng).split("\n\n")[:3])
            html = render_markdown(body)
            answer_variants.append((body, html, plain_text(html)))

        start = time.monotonic()
        newest = timezone.now() - timedelta(minutes=1)
        made = 0
        while made < posts:
            size = min(batch, posts - made)
            with transaction.atomic():
                self.insert_batch(
                    rng, first_id + made, size, newest, variants, answer_variants, tags, formats
                )
            made += size
            if options["verbosity"] and (made % (batch * 20) == 0 or made == posts):
                rate = made / (time.monotonic() - start)
                self.stdout.write(f"{made:,} posts ({rate:,.0f}/s)")
        ContentVersion.bump()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Inserted {posts:,} posts in {time.monotonic() - start:,.0f} s.")
        )

    def insert_batch(
        self, rng, start_number, size, newest, variants, answer_variants, tags, formats
    ):
        new_posts = []
        for number in range(start_number, start_number + size):
            title = (
                f"{rng.choice(MODELS)} {rng.choice(SIZES)}B를 {rng.choice(HARDWARE)}에서: "
                f"{rng.choice(TOPICS)} #{number}"
            )
            body, html = rng.choice(variants)
            # The unique first line is plain text, so its HTML is one paragraph.
            body_html = f"<p>{escape(title)}</p>\n{html}"
            search_text = plain_text(body_html)
            published = newest - timedelta(seconds=number * 37 + rng.randint(0, 30))
            new_posts.append(
                Post(
                    kind=rng.choice(["question", "question", "discussion", "info"]),
                    title=title,
                    slug=f"demo-{number}",
                    body=f"{title}\n\n{body}",
                    body_html=body_html,
                    excerpt=Truncator(search_text).chars(EXCERPT_LENGTH),
                    search_text=search_text,
                    status=Post.Status.PUBLISHED,
                    published_at=published,
                    author_name="데모",
                )
            )
        Post.objects.bulk_create(new_posts, batch_size=size)

        answers, post_tags, post_formats = [], [], []
        for post in new_posts:
            for index in range(rng.randint(1, 2)):
                body, html, text = rng.choice(answer_variants)
                answers.append(
                    Answer(
                        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        post_id=post.pk,
                        body=body,
                        body_html=html,
                        search_text=text,
                        status=Answer.Status.PUBLISHED,
                        is_accepted=index == 0,
                        published_at=post.published_at,
                    )
                )
            post_tags += [
                Post.tags.through(post_id=post.pk, tag_id=tag.pk) for tag in rng.sample(tags, 2)
            ]
            post_formats += [
                Post.formats.through(post_id=post.pk, formatprofile_id=fmt.pk)
                for fmt in rng.sample(formats, rng.randint(1, 2))
            ]
        Answer.objects.bulk_create(answers, batch_size=size)
        Post.tags.through.objects.bulk_create(post_tags, batch_size=size)
        Post.formats.through.objects.bulk_create(post_formats, batch_size=size)
