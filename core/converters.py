"""``<id:pk>`` in URLs: a primary key of 1 to 18 digits.

Django's ``<int:…>`` takes any length, and an id of 40 digits overflows the database driver (a 500);
this one leaves such paths unmatched, so they get the ordinary 404.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
