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
