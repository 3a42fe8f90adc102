"""Editors' picks (orderable inline panels) read back in the editor's order."""


def in_given_order(queryset, ids):
    """The objects of ``queryset`` with these ``ids``, in the order of ``ids``.

    Ids the queryset does not hold (a draft, a deleted page, a testimonial taken offline) are left
    out. One query; none when ``ids`` is empty.
    """
    ids = list(ids)
    by_id = queryset.filter(pk__in=ids).in_bulk() if ids else {}
    return [by_id[pk] for pk in ids if pk in by_id]
