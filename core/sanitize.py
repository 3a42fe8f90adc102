"""The one module that knows how reader HTML is cleaned.

bleach 6.4 is its last release (no more security fixes), so nothing else in the project imports
it: replacing it means rewriting this file and keeping ``tests/comments/test_sanitize.py`` green.
Beyond bleach's own protocol check, every ``href`` passes ``is_safe_href``: http, https or mailto,
or a relative URL, with no control, whitespace, backslash or non-ASCII character before the colon.
"""

import re
from html import unescape as html_unescape

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(["a", "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li"])
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
SAFE_SCHEMES = frozenset(["http", "https", "mailto"])
REL = "nofollow ugc noopener noreferrer"

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BLOCK = re.compile(r"<(p|pre|ul|ol|li|blockquote)[\s>]", re.IGNORECASE)


def is_safe_href(href):
    """True for http(s)/mailto links and plain relative URLs; False for anything else."""
    if not href or any(ord(c) <= 0x20 or ord(c) == 0x7F or c in "\\<>\"'`" for c in href):
        return False  # characters a URL never holds unencoded (RFC 3986), backslash included
    if href.startswith("//"):  # network-path reference: another host, scheme left implicit
        return False
    colon = href.find(":")
    if colon == -1:
        return True
    before = href[:colon]
    if any(mark in before for mark in "/?#"):  # the colon is in a path, query or fragment
        return True
    return bool(_SCHEME.fullmatch(before)) and before.isascii() and before.lower() in SAFE_SCHEMES


def _href_is_safe(value):
    """``is_safe_href`` on what the browser will read: bleach hands attribute values over with their
    character references still encoded, and ``!&#106;avascript:`` must be judged as ``!javascript:``."""
    return is_safe_href(html_unescape(value or ""))


def is_safe_url(url):
    """A commenter's website: an absolute http(s) URL that passes ``is_safe_href``."""
    return bool(url) and is_safe_href(url) and url.lower().startswith(("http://", "https://"))


_TITLE_UNSAFE = re.compile(r"[&<>\"'`]")


def _allow_attribute(tag, name, value):
    if tag == "a" and name == "href":
        return _href_is_safe(value)
    if name == "title":
        # Plain words only: markup-like titles are what make bleach's escaping grow on each pass.
        return tag == "a" and not _TITLE_UNSAFE.search(value)
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


def _force_rel(attrs, new=False):
    href = attrs.get((None, "href"))
    if href is not None and not _href_is_safe(href):
        del attrs[(None, "href")]
    attrs[(None, "rel")] = REL
    return attrs


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=SAFE_SCHEMES,
    strip=True,
    strip_comments=True,
    filters=[lambda source: LinkifyFilter(source, callbacks=[_force_rel], skip_tags=["pre", "code"])],
)
_text_cleaner = bleach.sanitizer.Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True)


def _clean(html):
    # bleach is not always idempotent in one pass (a stripped tag can leave a new one behind);
    # clean until the output is stable.
    for _ in range(4):
        cleaned = _cleaner.clean(html)
        if cleaned == html:
            break
        html = cleaned
    return html


def _paragraphs(html):
    """Plain-text line breaks as HTML: a blank line starts a paragraph, a newline is a <br>."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", html) if block.strip()]
    return "".join("<p>{}</p>".format(block.replace("\n", "<br>")) for block in blocks)


def sanitize_comment(text):
    """Reader input (text or a little HTML) as safe HTML. Never raises; idempotent."""
    text = _UNSAFE_CHARS.sub("", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    html = _clean(text).strip()
    if "\n" in html and not _BLOCK.search(html):
        html = _clean(_paragraphs(html)).strip()
    return html


RICH_TEXT_TAGS = ALLOWED_TAGS | {
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "sub",
    "sup",
    "img",
    "figure",
    "figcaption",
}
RICH_TEXT_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "width", "height", "class"]}


def _allow_rich_attribute(tag, name, value):
    if name in ("href", "src"):
        return name in RICH_TEXT_ATTRIBUTES.get(tag, ()) and _href_is_safe(value)
    return name in RICH_TEXT_ATTRIBUTES.get(tag, ())


_rich_cleaner = bleach.sanitizer.Cleaner(
    tags=RICH_TEXT_TAGS,
    attributes=_allow_rich_attribute,
    protocols=SAFE_SCHEMES,
    strip=True,
    strip_comments=True,
)


def sanitize_rich_text(html):
    """Editor rich text, after Wagtail expanded it: the same href rule, a wider set of tags.

    Draftail only produces safe markup, but content can also arrive by import or the shell; what
    readers get never depends on that.
    """
    return _rich_cleaner.clean(_UNSAFE_CHARS.sub("", str(html or "")))


def sanitize_plain(text, max_length=None):
    """One line of plain text (a name): no markup, no angle brackets, no control characters."""
    text = _UNSAFE_CHARS.sub("", str(text or ""))
    text = html_unescape(_text_cleaner.clean(text))
    text = re.sub(r"\s+", " ", text.replace("<", "").replace(">", "")).strip()
    return text[:max_length] if max_length else text


def count_links(html):
    """How many links a sanitized comment holds (a comment with many is held for a moderator)."""
    return len(re.findall(r"<a\s[^>]*href=", html or ""))


# --- editor rich text as stored (Wagtail's database format), cleaned when it is saved -------------
# What Wagtail keeps is not yet HTML a reader gets: page and document links are ``<a linktype="page"
# id="3">`` and images ``<embed embedtype="image" id="5" format="left" alt="…"/>``, which
# ``expand_db_html`` turns into links and ``<img>`` tags from the linked objects. So the stored form
# is cleaned with the rich-text rule plus those two references, and what expanding it adds is made by
# Wagtail's handlers from the objects, never from the editor's markup.
_STORED_ATTRIBUTES = {
    "a": {"href", "title", "linktype", "id"},
    "img": set(RICH_TEXT_ATTRIBUTES["img"]),
    "embed": {"embedtype", "id", "format", "alt"},
}
_WORD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_REFERENCE_VALUES = {
    ("a", "linktype"): re.compile(r"page|document"),
    ("embed", "embedtype"): re.compile(r"image"),
    ("a", "id"): re.compile(r"[0-9]{1,19}"),
    ("embed", "id"): re.compile(r"[0-9]{1,19}"),
    ("embed", "format"): _WORD,
}


def _allow_stored_attribute(tag, name, value):
    if name not in _STORED_ATTRIBUTES.get(tag, ()):
        return False
    if name in ("href", "src"):
        return _href_is_safe(value)
    rule = _REFERENCE_VALUES.get((tag, name))
    return rule is None or bool(rule.fullmatch(value))


_stored_cleaner = bleach.sanitizer.Cleaner(
    tags=RICH_TEXT_TAGS | {"embed"},
    attributes=_allow_stored_attribute,
    protocols=SAFE_SCHEMES,
    strip=True,
    strip_comments=True,
)
_ATTRS = r"((?:\s+[\w-]+=\"[^\"]*\")*)"  # attributes as bleach writes them: always double-quoted
_REFERENCE = re.compile(rf"<embed{_ATTRS}\s*/?>|<a{_ATTRS}>")
_ID = re.compile(r'\s+id="[^"]*"')
_VALUE = re.compile(r'="([^"]*)"')


def _reference(match):
    """``<embed …/>`` as Wagtail expands it (bleach writes ``<embed …>``), no ``>`` in a value, and
    an ``id`` on a link only beside its ``linktype``."""
    embed, link = (_VALUE.sub(_no_gt, attrs) if attrs is not None else None for attrs in match.groups())
    if embed is not None:
        return f"<embed{embed}/>"
    if ' linktype="' not in link:  # a value never holds a '"': this is the attribute
        link = _ID.sub("", link)
    return f"<a{link}>"


def _no_gt(match):
    # Wagtail finds its references with ``<a[^>]*>`` and ``<embed[^>]*/>``: a ``>`` in a value would end them.
    return '="{}"'.format(match.group(1).replace(">", "&gt;"))


def sanitize_stored_rich_text(html):
    """Editor rich text in Wagtail's stored form, cleaned for saving: the rich-text rule, the same
    ``href`` check, and Wagtail's page, document and image references kept. Idempotent.

    ``expand_db_html`` of its result needs no ``sanitize_rich_text`` after it (what expansion adds
    comes from Wagtail's handlers); ``tests/articles/test_rich_text_on_save.py`` holds that, the
    XSS corpora included.
    """
    html = _UNSAFE_CHARS.sub("", str(html or ""))
    for _ in range(4):
        cleaned = _REFERENCE.sub(_reference, _stored_cleaner.clean(html))
        if cleaned == html:
            break
        html = cleaned
    return html
