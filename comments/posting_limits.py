"""How many comments and reports one client may post, and how many refused attempts it may make.

Two limits per client (an IPv4 address or an IPv6 /64, ``core/throttle.py``), for the API and the
page forms alike:

- ``COMMENTS_RATE_LIMIT`` counts what was accepted: comments stored, reports filed. A post holds a
  place in it while it is checked and gives the place back if it is refused, so that typos never
  lock a reader out ("two posts and three typos" still leave room). Holding the place first, rather
  than counting after the fact, keeps the limit exact when posts arrive together: 25 at once
  against ``5/min`` store 5.
- ``COMMENTS_REFUSED_RATE_LIMIT`` (much higher) counts refused attempts: invalid forms, API 400s and
  404s. A client past it is refused (429) before its post is looked at, so that probing the rules
  (banned words, the duplicate window) or hidden comment ids is limited too.

A post refused by either limit (a 429) counts toward neither.
"""

from contextlib import contextmanager

from django.conf import settings
from rest_framework import exceptions

from core.throttle import NetworkRateThrottle


class CommentPostThrottle(NetworkRateThrottle):
    """Accepted comments and reports per client (``COMMENTS_RATE_LIMIT``, e.g. ``5/min``)."""

    scope = "comments"

    def get_rate(self):
        return settings.COMMENTS_RATE_LIMIT


class RefusedPostThrottle(NetworkRateThrottle):
    """Refused comment and report attempts per client (``COMMENTS_REFUSED_RATE_LIMIT``, e.g. ``30/min``)."""

    scope = "comments-refused"

    def get_rate(self):
        return settings.COMMENTS_REFUSED_RATE_LIMIT


class PostingTooFast(exceptions.Throttled):
    """The client has posted as many comments and reports as ``COMMENTS_RATE_LIMIT`` allows."""


class TooManyRefused(exceptions.Throttled):
    """The client has made as many refused attempts as ``COMMENTS_REFUSED_RATE_LIMIT`` allows."""


@contextmanager
def posting_place(request):
    """Run the body (check and store one comment or report) in one of the client's places.

    Raises ``TooManyRefused`` or ``PostingTooFast`` (429s, with ``wait`` for ``Retry-After``) before
    the body runs. If the body raises, whatever the error (a validation error, a 404), the place is
    given back, the attempt counts as refused, and the error goes on to the caller.
    """
    refused = RefusedPostThrottle()
    if refused.is_full(request):
        raise TooManyRefused(wait=refused.wait())
    accepted = CommentPostThrottle()
    if not accepted.allow_request(request, None):
        accepted.give_back(request)  # a refused request holds no place: the count stays the places held
        raise PostingTooFast(wait=accepted.wait())
    try:
        yield
    except BaseException:
        accepted.give_back(request)
        refused.allow_request(request, None)
        raise
