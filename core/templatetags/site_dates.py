"""``{% time_element value %}``: every date on the site's pages in one format, machine-readable too.

Dates reach templates as ``date``/``datetime`` objects (models) or ISO strings (the API-shaped dicts
the pages share with the API); each becomes ``<time datetime="ISO">`` with the text in
``SITE_DATE_FORMAT``, so articles, cards and comments never disagree on how a date looks.
"""

import datetime
import functools

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def _as_date_or_datetime(value):
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return parse_datetime(text) if "T" in text or " " in text else parse_date(text)
    except ValueError:  # a well-formed but impossible date, such as 2026-02-30
        return None


@register.simple_tag
def time_element(value):
    """``<time datetime="2026-04-22">April 22, 2026</time>``; nothing for an empty or unreadable value."""
    moment = _as_date_or_datetime(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        machine = moment.isoformat(timespec="seconds")
    else:
        machine = moment.isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, _text(moment, settings.SITE_DATE_FORMAT))


# Format characters of Django's ``date`` filter that read only the day (not the time, not the zone).
_DAY_ONLY = set("dDjlNSwzWFmMnEtLoYyb")


def _text(moment, fmt):
    """``moment`` in ``fmt``: for a format of the day alone, formatted once per day and language (a
    thread page shows a hundred comments from a few days; Django's formatter is the costly part)."""
    if set(fmt.replace("\\", "").strip()) - _DAY_ONLY - set(" ,.-/:"):
        return format_date(moment, fmt)
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    return _day_text(day, fmt, get_language())


@functools.lru_cache(maxsize=2048)
def _day_text(day, fmt, language):
    return format_date(day, fmt)
