"""How the report writes numbers; also the template filters of bench/templates/ (``{% load format %}``)."""

from django import template

register = template.Library()


def _missing(value):
    return value is None or value == ""  # a missing key renders as "" in a template


@register.filter
def num(value, digits=None):
    """Three significant digits or so, with thousands separators; "n/a" for no value."""
    if _missing(value):
        return "n/a"
    if digits is None:
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 1 else 3
    return f"{value:,.{int(digits)}f}"


@register.filter
def nums(values, digits=None):
    """``num`` of each value, separated by commas."""
    return ", ".join(num(value, digits) for value in values)


@register.filter(name="ratio")
def ratio_text(value):
    if _missing(value):
        return "n/a"
    if value >= 1:
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return f"{value:.3f} (1/{1 / value:,.1f})" if value > 0 else "0"


@register.filter
def general(value):
    """A bound as the targets state it: 0.8, 50, 1.2."""
    return f"{value:g}"


@register.filter
def commas(value):
    """An integer with thousands separators: 10,000."""
    return f"{value:,}"


@register.filter
def scaled(value, factor):
    return None if _missing(value) else value * float(factor)


@register.filter
def headers(seen):
    """The cache headers a pre-flight check saw, without the content type."""
    return ", ".join(f"{name}: {value}" for name, value in seen.items() if name.lower() != "content-type")
