"""Who is asking: the client address, taken from the socket unless proxies are trusted.

``X-Forwarded-For`` is only believed through ``TRUSTED_PROXY_COUNT`` proxies we run ourselves:
each appends the address it saw, so the client is the entry that many places from the right.
Anything a client writes further left is ignored, so rotating the header changes nothing.

A setting that does not match the requests is logged once per process (a warning, no address):
``X-Forwarded-For`` arriving while ``TRUSTED_PROXY_COUNT`` is 0 (behind a proxy, every reader would
be the proxy's one address and share one rate limit), or fewer forwarded hops than trusted proxies
(a request that bypassed them, or a count set too high; the socket address is used).
``manage.py check --deploy`` warns too when production trusts a proxy's ``X-Forwarded-Proto`` but
no proxy's ``X-Forwarded-For`` (``core.W001``).
"""

import ipaddress
import logging

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

IPV6_CLIENT_PREFIX = 64  # one subscriber line, one client: a /64 is what a home or a phone gets
_warned = set()


def _warn_once(kind, message, *args):
    if kind not in _warned:
        _warned.add(kind)
        logger.warning(message, *args)


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0:
        forwarded = [part.strip() for part in header.split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            remote = forwarded[-count]
        else:
            _warn_once(
                "too-few-hops",
                "A request came through fewer proxies than TRUSTED_PROXY_COUNT=%d (%d X-Forwarded-For "
                "entries): it bypassed them, or the count is too high. Its socket address is used.",
                count,
                len(forwarded),
            )
    elif header:
        _warn_once(
            "untrusted-proxy",
            "A request arrived with X-Forwarded-For while TRUSTED_PROXY_COUNT=0: behind a proxy, every "
            "client looks like the proxy and shares its rate limit. Set TRUSTED_PROXY_COUNT to the "
            "number of proxies of yours in front of the app (1 behind deploy/nginx.conf.template).",
        )
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "0.0.0.0"  # noqa: S104 - an unknown address, never a bind address


def _ip(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip


def client_network(request):
    """The client a per-client limit counts: an IPv4 address as it is, an IPv6 address's /64.

    Anyone given an IPv6 line holds at least a /64 and can rotate through its 2**64 addresses, so a
    limit per IPv6 address limits nothing. An IPv4-mapped address is its IPv4 address.
    """
    ip = _ip(client_address(request))
    if ip is None or ip.version == 4:
        return str(ip or "0.0.0.0")  # noqa: S104 - an unknown address, never a bind address
    # The network's first address (``2001:db8:1:2::``), not ``…/64``: axes stores it as an IP address,
    # which PostgreSQL's ``inet`` column checks.
    return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False).network_address)


def truncate_address(address):
    """The network an address belongs to: /24 for IPv4, /48 for IPv6. Stored instead of the address."""
    ip = _ip(address)
    if ip is None:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def check_trusted_proxies(app_configs, **kwargs):
    """``core.W001``: production believes a proxy about HTTPS (``SECURE_PROXY_SSL_HEADER``) but no
    proxy about the client, so every reader would share the proxy's address and rate limit."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and getattr(settings, "TRUSTED_PROXY_COUNT", 0) == 0:
        return [
            checks.Warning(
                "SECURE_PROXY_SSL_HEADER trusts a proxy, but TRUSTED_PROXY_COUNT is 0: behind that proxy every "
                "reader has its address and shares one rate limit.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies of yours in front of the app "
                "(1 behind deploy/nginx.conf.template).",
                id="core.W001",
            )
        ]
    return []
