"""Who is asking: the client address, taken from the socket unless proxies are trusted.

``X-Forwarded-For`` is only believed through ``TRUSTED_PROXY_COUNT`` proxies we run ourselves:
each appends the address it saw, so the client is the entry that many places from the right.
Anything a client writes further left is ignored, so rotating the header changes nothing.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            remote = forwarded[-count]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "0.0.0.0"  # noqa: S104 - an unknown address, never a bind address


def truncate_address(address):
    """The network an address belongs to: /24 for IPv4, /48 for IPv6. Stored instead of the address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def client_network(request):
    """Who a limit counts as one client: the address, or for IPv6 its /64.

    One IPv6 subscriber is handed a whole /64 (often more), so counting single IPv6 addresses would
    give one attacker 2^64 fresh clients. Used by the admin sign-in lockout (``AXES_CLIENT_IP_CALLABLE``).
    """
    ip = ipaddress.ip_address(client_address(request))
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
