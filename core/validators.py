"""Strict checks for what readers type about themselves: their e-mail address and display name.

An address is used to send mail, so it must be one a mail server can take: no control, format
(bidi overrides, zero-width) or whitespace characters, no IP-literal domain (``a@[127.0.0.1]``), and a
domain IDNA can encode (``a@x.test\u202e`` made every later notification of its thread fail).

A name is shown beside a comment, so it must not pretend to be someone else's: it is NFKC-normalised,
and refused if it holds invisible or direction-changing characters, mixes alphabets whose letters look
alike (Latin, Greek, Cyrillic, …: ``Аdmin`` with a Cyrillic А), or nothing is left of it once cleaned.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Scripts with letters that pass for one another; a name may use one of them, not several.
CONFUSABLE_SCRIPTS = {"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE", "COPTIC"}
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def _has_invisible(text):
    return any(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in text)


def strict_email(value):
    """``value`` normalised, or ``ValidationError``."""
    message = "Enter an e-mail address that can receive mail."
    value = (value or "").strip()
    if _has_invisible(value) or any(ch.isspace() for ch in value):
        raise ValidationError(message, code="invalid")
    validate_email(value)
    domain = value.rpartition("@")[2]
    if domain.startswith("[") or domain.replace(".", "").isdigit():
        raise ValidationError(message, code="invalid")
    try:
        domain.encode("idna")
    except UnicodeError:
        raise ValidationError(message, code="invalid") from None
    return value


def _scripts(text):
    found = set()
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            if script in CONFUSABLE_SCRIPTS:
                found.add(script)
    return found


def display_name(value):
    """``value`` NFKC-normalised, or ``ValidationError`` (see the module doc)."""
    value = unicodedata.normalize("NFKC", value or "")
    if _has_invisible(value):
        raise ValidationError("Names cannot contain invisible or direction-changing characters.", code="invisible")
    if len(_scripts(value)) > 1:
        raise ValidationError("Write your name in one alphabet.", code="mixed_scripts")
    return value
