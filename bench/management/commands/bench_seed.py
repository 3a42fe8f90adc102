"""The benchmark's data set: realistic articles, comment threads of 10, 1,000 and 10,000, and a
moderation queue of 100 and of 100,000 pending comments (``make bench`` runs it; see docs/performance.md).

Run it after ``migrate`` and ``load_demo`` (it builds on the demo's home, index, authors, testimonials,
promo and disclaimer). Articles go through the factories and Wagtail's publishing, like an editor's;
comments are bulk-inserted by ``bench.seeding`` (the same rows ``comment_create`` would store),
because 111,000 comments through the service would take minutes.

``--manifest PATH`` receives what the harness needs (page ids, the moderator's API token);
``--verify`` checks that a database seeded earlier still matches its manifest (exit 1 if not), after
removing the comments earlier runs posted, so that every run measures the same data.
"""

import datetime
import json
import random
import sys
import uuid
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from tqdm import tqdm
from wagtail.images import get_image_model
from wagtail.models import APIToken

from articles.demo_pictures import image_file
from articles.factories import ArticlePageFactory, PromoFactory
from articles.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    Disclaimer,
    Promo,
    Testimonial,
)
from bench.seeding import seed_threads
from comments.models import ArticleComment, CommentStatus

# Bump when what is generated changes: the harness then regenerates instead of reusing.
SEED_VERSION = 1
BODY_BLOCKS = 30
# (comments in all, top-level threads, direct replies each): the shapes tests/comments/test_query_budgets.py uses.
THREADS = [(10, 5, 1), (1_000, 250, 3), (10_000, 2_000, 4)]
QUEUES = [100, 100_000]
IMAGES = 12

TOPICS = [
    ("upper trapezius", "neck"),
    ("levator scapulae", "neck"),
    ("infraspinatus", "shoulders"),
    ("quadratus lumborum", "back"),
    ("gluteus medius", "hips"),
    ("piriformis", "hips"),
    ("soleus", "running"),
    ("tibialis anterior", "running"),
    ("forearm extensors", "desk"),
    ("sternocleidomastoid", "neck"),
    ("erector spinae", "back"),
    ("hamstrings", "stretching"),
]
TAGS = ["neck", "shoulders", "back", "hips", "running", "desk", "stretching", "self-care", "massage", "posture"]
SENTENCES = [
    "A trigger point is a small, tender spot in a taut band of muscle that can refer pain elsewhere.",
    "Pressing it often reproduces the ache the person knows, sometimes far from the spot itself.",
    "Hours in one position keep a muscle slightly switched on, and a muscle that never rests gets sore.",
    "Gentle, sustained pressure for thirty to ninety seconds is usually enough to feel a change.",
    "Breathe slowly while you hold; tension that you fight against tends to come straight back.",
    "Work a few times a day rather than once, hard: the tissue responds to repetition, not force.",
    "If the pain is sharp, burning or comes with numbness, stop and ask a clinician to look at it.",
    "Heat before self-treatment makes the tissue easier to work, and a short walk afterwards helps.",
    "Many people find that the sore spot moves as the surrounding muscles relax over a few days.",
    "Strength work matters as much as release: a muscle that can cope with the load gets fewer knots.",
    "Keep a short diary of what you did and how it felt the next morning; patterns show up quickly.",
    "Your desk, your bag and your sleeping position are worth a look before any new exercise.",
    "Therapists use the same map of referral patterns, so bring your notes to the appointment.",
    "Stretch slowly to the point of mild tension and hold it; bouncing only provokes the muscle.",
    "A tennis ball against a wall is a cheap tool, but a softer ball is kinder to start with.",
    "Pain that wakes you at night, or that follows a fall, is a reason to see a doctor first.",
]
QUOTES = [
    ("Treat the muscle, but look for the habit that keeps loading it.", "Maya Lindqvist"),
    ("Referred pain is a map, not a mystery, once you know how to read it.", "Clinical Education Team"),
    ("Small changes, repeated daily, beat one heroic session every time.", "Tomas Ferreira"),
]
EXTERNAL = [
    ("Find a trigger point practitioner", "https://example.org/practitioners"),
    ("Professional workshops", "https://example.org/workshops"),
    ("Self-care workbooks", "https://example.org/workbooks"),
    ("Become a certified therapist", "https://example.org/certification"),
    ("Research notes", "https://example.org/research"),
]
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
# The order of an article body: 30 blocks of every kind an editor uses.
BODY_PLAN = [
    "paragraph", "heading", "paragraph", "image", "paragraph", "paragraph", "quote", "heading",
    "paragraph", "links", "paragraph", "image", "promo", "heading", "paragraph", "paragraph",
    "embed", "paragraph", "heading", "paragraph", "image", "paragraph", "links", "paragraph",
    "quote", "heading", "paragraph", "image", "promo", "disclaimer",
]  # fmt: skip


def special_slugs():
    slugs = {f"bench-thread-{total}": ("thread", total) for total, _, _ in THREADS}
    slugs.update({f"bench-queue-{total}": ("queue", total) for total in QUEUES})
    return slugs


class Body:
    """Builds article bodies from a seeded random generator (the same data on every run)."""

    def __init__(self, rng, *, images, promos, disclaimer):
        self.rng = rng
        self.images = images
        self.promos = promos
        self.disclaimer = disclaimer

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def sentences(self, count):
        return " ".join(self.rng.choice(SENTENCES) for _ in range(count))

    def paragraph(self, pages):
        rng = self.rng
        parts = [self.sentences(rng.randint(2, 4))]
        if pages:
            page = rng.choice(pages)
            parts.append(f'See also <a linktype="page" id="{page.pk}">{page.title.lower()}</a>.')
        if rng.random() < 0.5:
            title, url = rng.choice(EXTERNAL)
            parts.append(f'<b>Tip:</b> <a href="{url}">{title.lower()}</a> has more.')
        parts.append(f"<i>{self.sentences(1)}</i>")
        html = f"<p>{' '.join(parts)}</p>"
        if rng.random() < 0.25:
            html += "<ul>" + "".join(f"<li>{self.sentences(1)}</li>" for _ in range(3)) + "</ul>"
        return html

    def links(self, pages):
        items = []
        for page in self.rng.sample(pages, min(3, len(pages))):
            items.append({"type": "item", "id": self.uid(), "value": {"title": page.title, "page": page.pk, "url": ""}})
        for title, url in self.rng.sample(EXTERNAL, 2):
            items.append({"type": "item", "id": self.uid(), "value": {"title": title, "page": None, "url": url}})
        return {"title": "Further reading", "items": items}

    def build(self, topic, pages):
        rng = self.rng
        blocks, headings = [], 0
        for kind in BODY_PLAN:
            if kind == "paragraph":
                value = self.paragraph(pages)
            elif kind == "heading":
                headings += 1
                value = {"text": f"{topic.capitalize()}: part {headings}", "level": rng.choice(["h2", "h3"])}
            elif kind == "image":
                image = rng.choice(self.images)
                value = {"image": image.pk, "caption": f"Where the {topic} refers pain", "alt": ""}
            elif kind == "quote":
                text, attribution = rng.choice(QUOTES)
                value = {"text": text, "attribution": attribution}
            elif kind == "links":
                value = self.links(pages)
            elif kind == "embed":
                value = {"url": VIDEO, "caption": f"A short demonstration on the {topic}"}
            elif kind == "promo":
                value = rng.choice(self.promos).pk
            else:
                value = self.disclaimer.pk
            blocks.append({"type": kind, "id": self.uid(), "value": value})
        return blocks


class Command(BaseCommand):
    help = "Generate (or verify) the benchmark's data set on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--manifest", required=True, help="JSON file to write (or, with --verify, to check)")
        parser.add_argument("--articles", type=int, default=40, help="articles in all (at least 5)")
        parser.add_argument("--verify", action="store_true", help="check a database seeded earlier; exit 1 if stale")

    def handle(self, *args, manifest, articles, verify, **options):
        path = Path(manifest)
        if verify:
            problem = self.verify(path)
            if problem:
                self.stdout.write(f"bench data: cannot reuse ({problem})")
                sys.exit(1)
            self.stdout.write("bench data: present and complete, reused")
            return
        if articles < len(special_slugs()):
            raise CommandError(f"--articles must be at least {len(special_slugs())}")
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            data = self.generate(articles)
        path.write_text(json.dumps(data, indent=2) + "\n")
        self.stdout.write(self.style.SUCCESS(f"bench data ready: {path}"))

    # --- verification --------------------------------------------------------------------------
    def verify(self, path):
        if not path.exists():
            return "no manifest"
        data = json.loads(path.read_text())
        if data.get("version") != SEED_VERSION:
            return "the generator changed"
        self.forget_posts(data)
        live = ArticlePage.objects.live().filter(pk__in=[a["id"] for a in data["special"].values()])
        if live.count() != len(data["special"]):
            return "an article is missing"
        for slug, spec in data["special"].items():
            expected_status = CommentStatus.APPROVED if spec["kind"] == "thread" else CommentStatus.PENDING
            found = ArticleComment.objects.filter(article_id=spec["id"], status=expected_status).count()
            if found < spec["size"] or (spec["kind"] == "thread" and found != spec["size"]):
                return f"{slug} holds {found} {expected_status} comments, not {spec['size']}"
        if not APIToken.objects.filter(key_hash__in=APIToken.candidate_key_hashes(data["token"])).exists():
            return "the moderator's token is gone"
        return None

    def forget_posts(self, data):
        """Delete what the posting scenarios of earlier runs added: every pending comment of a thread
        article (the seeded threads are all approved)."""
        threads = [spec["id"] for spec in data["special"].values() if spec["kind"] == "thread"]
        posted = ArticleComment.objects.filter(article_id__in=threads).exclude(status=CommentStatus.APPROVED)
        total = posted.count()
        if not total:
            return
        with tqdm(total=total, desc="removing comments earlier runs posted", unit="comment") as bar:
            while ids := list(posted.values_list("pk", flat=True)[:2000]):
                with transaction.atomic():
                    ArticleComment.objects.filter(pk__in=ids).delete()
                bar.update(len(ids))

    # --- generation ----------------------------------------------------------------------------
    def generate(self, total):
        rng = random.Random(20260101)  # noqa: S311 - reproducible content, not secrets
        index = ArticleIndexPage.objects.filter(slug="articles").first()
        if index is None:
            raise CommandError("No articles index: run `manage.py load_demo` first.")
        authors = list(Author.objects.order_by("pk"))
        disclaimer = Disclaimer.objects.filter(is_default=True).first() or Disclaimer.objects.first()
        testimonials = list(Testimonial.objects.filter(live=True).order_by("pk"))

        images = self.images()
        promos = self.promos()
        body = Body(rng, images=images, promos=promos, disclaimer=disclaimer)

        if len(BODY_PLAN) != BODY_BLOCKS:
            raise CommandError("BODY_PLAN must list BODY_BLOCKS blocks")
        specials = special_slugs()
        slugs = [f"bench-article-{n}" for n in range(total - len(specials))] + list(specials)
        pages = list(ArticlePage.objects.live().exclude(slug__startswith="bench-").order_by("pk"))
        made = {}
        for n, slug in enumerate(tqdm(slugs, desc="articles (30 blocks each)", unit="article")):
            topic, main_tag = TOPICS[n % len(TOPICS)]
            with transaction.atomic():
                page = self.article(
                    index,
                    slug=slug,
                    n=n,
                    topic=topic,
                    tags=[main_tag, *rng.sample([t for t in TAGS if t != main_tag], 2)],
                    author=authors[n % len(authors)],
                    hero=images[n % len(images)],
                    body=body.build(topic, pages[-12:]),
                    related=pages[-2:] if n % 2 == 0 else [],
                    testimonials=testimonials[:2] if n % 3 == 0 else [],
                )
            pages.append(page)
            made[slug] = page

        self.comments(made)
        token = self.moderator_token()
        self.stdout.write("ANALYZE (planner statistics for the new rows)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return {
            "version": SEED_VERSION,
            "articles": ArticlePage.objects.live().count(),
            "body_blocks": BODY_BLOCKS,
            "images": len(images),
            "special": {
                slug: {"id": made[slug].pk, "kind": kind, "size": size, "url_path": made[slug].url_path}
                for slug, (kind, size) in specials.items()
            },
            "threads": [{"total": t, "threads": th, "replies": r} for t, th, r in THREADS],
            "token": token,
        }

    def comments(self, made):
        """The threads (approved) and the queues (pending), bulk-inserted (bench/seeding.py)."""
        for total_comments, threads, replies in THREADS:
            page = made[f"bench-thread-{total_comments}"]
            with tqdm(total=total_comments, desc=f"thread of {total_comments:,}", unit="comment") as bar:
                seed_threads(page, threads=threads, replies=replies, progress=lambda n, b=bar: b.update(n - b.n))
        for size in QUEUES:
            page = made[f"bench-queue-{size}"]
            with tqdm(total=size, desc=f"queue of {size:,} pending", unit="comment") as bar:
                seed_threads(
                    page,
                    threads=size,
                    status=CommentStatus.PENDING,
                    progress=lambda n, b=bar: b.update(n - b.n),
                )

    def images(self):
        model = get_image_model()
        found = []
        for n in tqdm(range(IMAGES), desc="images", unit="image"):
            title = f"Bench figure {n}"
            image = model.objects.filter(title=title).first()
            if image is None:
                image = model(title=title, description=f"Figure {n}: a muscle and its referral pattern")
                image.file = image_file(title, f"bench-figure-{n}.jpg", size=(1600, 900), hue=n * 29, spots=n % 5)
                image.save()
            found.append(image)
        return found

    def promos(self):
        promos = list(Promo.objects.order_by("pk"))
        for n in range(len(promos), 3):
            promos.append(
                PromoFactory(
                    title=f"Workshop {n}",
                    body="<p>Two days of supervised practice in small groups, with notes to take home.</p>",
                    link_url=f"https://example.org/workshops/{n}",
                )
            )
        return promos

    def article(self, index, *, slug, n, topic, tags, author, hero, body, related, testimonials):
        title = f"The {topic}: what hurts, why, and what to do ({n + 1})"
        return ArticlePageFactory(
            parent=index,
            slug=slug,
            title=title,
            intro=f"Where the {topic} refers pain, how to find its trigger points and how to ease them at home.",
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=7 * n),
            author=author,
            hero_image=hero,
            body=body,
            tags=tags,
            related=related,
            testimonials=testimonials,
        )

    def moderator_token(self):
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(
            username="bench-moderator", defaults={"email": "bench-moderator@staff.example"}
        )
        user.groups.add(Group.objects.get(name="Moderators"))
        _, token = APIToken.create_token(user=user, name="bench")
        return token
