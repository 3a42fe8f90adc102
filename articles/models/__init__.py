from .pages import ArticleIndexPage, ArticlePage, ArticlePageTag, RelatedPostPick, TestimonialPick
from .settings import ArticleSettings
from .snippets import Author, Disclaimer, Promo, Testimonial
from .stored import StoredBody, StoredBodyTag

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "ArticleSettings",
    "Author",
    "Disclaimer",
    "Promo",
    "RelatedPostPick",
    "StoredBody",
    "StoredBodyTag",
    "Testimonial",
    "TestimonialPick",
]
