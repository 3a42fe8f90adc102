"""Load the demo site: a home page, an articles index, seven articles, snippets and pictures.

Idempotent: everything is looked up by its slug, name or title first, so a second run adds nothing.
Pictures are drawn locally (``articles/demo_pictures.py``); the video embed needs no network.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from wagtail.images import get_image_model
from wagtail.models import Site

from articles.demo_pictures import HERO_SIZE, figure_box, image_file
from articles.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    AuthorFactory,
    DisclaimerFactory,
    PromoFactory,
    TestimonialFactory,
)
from articles.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    Disclaimer,
    Promo,
    Testimonial,
)
from comments.models import ArticleComment
from comments.services import comment_approve, comment_create
from home.demo import content
from home.models import HomePageFeaturedArticle


class Command(BaseCommand):
    help = "Create the demo content (safe to run again: nothing is added twice)."

    def handle(self, *args, **options):
        steps = 6 + len(content.ARTICLES) + 2
        self.step = 0
        self.total = steps
        # Demo commenters' addresses are made up: no e-mail about them goes anywhere, whatever
        # the configured backend (the tasks run when the transaction commits, inside this block).
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            home = self.home()
            index = self.index(home)
            authors = self.authors()
            self.testimonials()
            self.disclaimer()
            articles = [self.article(index, authors, spec, n) for n, spec in enumerate(content.ARTICLES)]
            promo = self.promo({page.slug: page for page in articles})
            mirror = self.mirror(index, authors, promo, articles)
            if not home.featured.exists():  # the home page leads with the reference article
                HomePageFeaturedArticle.objects.create(page=home, article=mirror)
            self.comments(mirror)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

    # --- helpers -----------------------------------------------------------------------------
    def progress(self, label, created):
        self.step += 1
        state = "created" if created else "already present"
        self.stdout.write(f"[{self.step}/{self.total}] {label}: {state}")

    def picture(self, title, description, name, **kwargs):
        """A drawn picture (no text in it), its focal point on the figure so every crop keeps it."""
        images = get_image_model()
        existing = images.objects.filter(title=title).first()
        if existing:
            return existing
        image = images(title=title, description=description)
        image.file = image_file(title, name, **kwargs)
        x, y, width, height = figure_box(kwargs["size"], title)
        image.focal_point_x, image.focal_point_y = x + width // 2, y + height // 2
        image.focal_point_width, image.focal_point_height = width, height
        image.save()
        return image

    @staticmethod
    def body(paragraphs):
        """Stream blocks from the content's list: text is a paragraph, ``("h2", text)`` a heading."""
        return [
            {"type": "heading", "value": {"text": item[1], "level": item[0]}}
            if isinstance(item, tuple)
            else {"type": "paragraph", "value": f"<p>{item}</p>"}
            for item in paragraphs
        ]

    # --- content -----------------------------------------------------------------------------
    def home(self):
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        created = not home.intro
        if created:
            home.title = "Trigger Point Journal"
            home.intro = (
                "<p>Practical articles on muscles, pain and movement from the teachers of our hands-on workshops.</p>"
            )
            home.save_revision().publish()
        self.progress("home page", created)
        return home

    def index(self, home):
        index = ArticleIndexPage.objects.filter(slug="articles").first()
        created = index is None
        if created:
            index = ArticleIndexPageFactory(
                parent=home,
                title="Articles",
                slug="articles",
                intro="<p>Everything we have written, newest first.</p>",
            )
        self.progress("articles index", created)
        return index

    def authors(self):
        authors, created = [], False
        for n, (name, bio) in enumerate(content.AUTHORS):
            author = Author.objects.filter(name=name).first()
            if author is None:
                created = True
                photo = self.picture(
                    f"Portrait of {name}",
                    f"Portrait of {name}",
                    f"author-{n}.jpg",
                    size=(400, 400),
                    hue=200 + n * 40,
                    spine=False,
                )
                author = AuthorFactory(name=name, bio=bio, photo=photo)
            authors.append(author)
        self.progress(f"{len(authors)} authors", created)
        return authors

    def testimonials(self):
        created = False
        for quote, name, role, featured, live in content.TESTIMONIALS:
            if Testimonial.objects.filter(name=name).exists():
                continue
            created = True
            testimonial = TestimonialFactory(quote=quote, name=name, role=role, featured=featured, live=False)
            revision = testimonial.save_revision()
            if live:
                revision.publish()
        self.progress(f"{len(content.TESTIMONIALS)} testimonials (one a draft)", created)

    def promo(self, by_slug):
        """The workshops promo, its "Find out more" on the demo's workshops article.

        A promo left by an older demo (linking outside the site) is pointed at that article too."""
        fields = {key: value for key, value in content.PROMO.items() if key != "link_slug"}
        target = by_slug[content.PROMO["link_slug"]]
        promo = Promo.objects.filter(title=fields["title"]).first()
        created = promo is None
        if created:
            promo = PromoFactory(**fields, link_page=target, link_url="")
        elif promo.link_page_id is None:
            promo.link_page, promo.link_url = target, ""
            promo.save(update_fields=["link_page", "link_url"])
        self.progress("promo", created)
        return promo

    def disclaimer(self):
        disclaimer = Disclaimer.objects.filter(title=content.DISCLAIMER["title"]).first()
        created = disclaimer is None
        if created:
            disclaimer = DisclaimerFactory(is_default=True, **content.DISCLAIMER)
        self.progress("default disclaimer", created)
        return disclaimer

    def publish_article(self, index, *, slug, **fields):
        page = ArticlePage.objects.filter(slug=slug).first()
        if page is not None:
            return page, False
        return ArticlePageFactory(parent=index, slug=slug, **fields), True

    def article(self, index, authors, spec, n):
        slug, title, intro, date, author, tags, paragraphs = spec
        hero = self.picture(
            title,
            "Drawing of a person seen from behind, the muscles beside the spine shaded",
            f"{slug}.jpg",
            size=HERO_SIZE,
            hue=n * 50,
        )
        body = self.body(paragraphs)
        page, created = self.publish_article(
            index,
            slug=slug,
            title=title,
            intro=intro,
            date=date,
            author=authors[author],
            hero_image=hero,
            tags=tags,
            body=body,
        )
        self.progress(f"article “{title}”", created)
        return page

    def mirror(self, index, authors, promo, articles):
        spec = content.MIRROR
        hero = self.picture(
            spec["title"],
            "Drawing of a person seen from behind, the long muscles beside the spine shaded",
            "erector-hero.jpg",
            size=HERO_SIZE,
            hue=15,
        )
        by_slug = {page.slug: page for page in articles}
        page, created = self.publish_article(
            index,
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            date=spec["date"],
            author=authors[spec["author"]],
            hero_image=hero,
            tags=spec["tags"],
            body=self.mirror_body(spec, by_slug, promo),
            related=[by_slug[slug] for slug in spec["related"]],
            testimonials=[Testimonial.objects.get(name=name) for name in spec["testimonials"]],
        )
        self.progress(f"article “{spec['title']}” (mirrors the reference page)", created)
        return page

    def mirror_body(self, spec, by_slug, promo):
        """The reference page's body in the captured page's order: video, text, figure, links, promo."""
        figure = self.picture(
            spec["figure_caption"],
            spec["figure_alt"],
            "erector-figure.jpg",
            size=(1200, 900),
            hue=20,
            spots=6,
        )
        desk = by_slug["desk-posture-small-changes"].pk
        video_url, video_caption = spec["video"]
        links = [
            {"title": title, "page": by_slug[slug].pk if slug else None, "url": url}
            for title, slug, url in spec["links"]
        ]
        return [
            {"type": "embed", "value": {"url": video_url, "caption": video_caption}},
            {"type": "heading", "value": {"text": spec["heading_1"], "level": "h2"}},
            *[{"type": "paragraph", "value": f"<p>{text}</p>"} for text in spec["paragraphs_1"]],
            {
                "type": "image",
                "value": {"image": figure.pk, "caption": spec["figure_caption"], "alt": spec["figure_alt"]},
            },
            {"type": "heading", "value": {"text": spec["heading_2"], "level": "h2"}},
            *[{"type": "paragraph", "value": f"<p>{text}</p>"} for text in spec["paragraphs_2"]],
            {
                "type": "paragraph",
                "value": (
                    f'<p>Sitting all day plays a part too: see <a linktype="page" id="{desk}">'
                    "small changes to desk posture</a>.</p>"
                ),
            },
            {"type": "links", "value": {"title": spec["links_title"], "items": links}},
            {"type": "promo", "value": promo.pk},
        ]

    def comments(self, article):
        created = not ArticleComment.objects.filter(article=article).exists()
        if created:
            made = []
            for name, email, text, parent, approved in content.COMMENTS:
                comment = comment_create(
                    article=article,
                    parent=made[parent] if parent is not None else None,
                    name=name,
                    email=email,
                    body=text,
                    client_ip="192.0.2.1",
                )
                if approved:
                    comment, _ = comment_approve(comment=comment, moderator=None)
                made.append(comment)
        self.progress(f"{len(content.COMMENTS)} comments on the reference article (one pending)", created)
