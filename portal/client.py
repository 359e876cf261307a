"""Who is asking: the reader's address, as the one place every per-client decision reads it.

Sign-in throttling (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the rate limits
(portal/ratelimit.py) and the request log all call ``client_address(request)``.

Behind ``CLIENT_PROXY_COUNT`` reverse proxies (the ``AXES_PROXY_COUNT`` variable), each proxy
appends the address it received the request from to ``X-Forwarded-For``, so the last
``CLIENT_PROXY_COUNT`` entries were written by proxies we run and everything to their left was
written by the client, who can put anything there. The reader is therefore the entry
``CLIENT_PROXY_COUNT`` places from the right; nothing further left is ever read, so a forged
header with extra hops cannot choose the address. With no proxy configured the header is ignored
and the reader is the peer (``REMOTE_ADDR``). A request with fewer entries than proxies did not
come through them all (a health check on the machine itself): its peer address is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _parse(entry: str) -> str | None:
    """An address as a proxy writes it ("192.0.2.1", "2001:db8::1", "[2001:db8::1]:443",
    "192.0.2.1:443"), normalised; None for anything else."""
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:
        entry = entry.partition(":")[0]
    try:
        address = ipaddress.ip_address(entry)
    except ValueError:
        return None
    # An IPv4 reader seen through an IPv6 socket ("::ffff:192.0.2.1") is the same reader.
    return str(getattr(address, "ipv4_mapped", None) or address)


def forwarded_for(request) -> list[str]:
    """The X-Forwarded-For entries, oldest first (several headers arrive joined by commas)."""
    raw = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [entry for entry in (part.strip() for part in raw.split(",")) if entry]


def client_address(request) -> str | None:
    """The reader's address: see the module docstring."""
    # Worked out again on each call rather than kept on the request (no state travels on the
    # request object): it is a few string operations.
    address = None
    proxies = settings.CLIENT_PROXY_COUNT
    if proxies:
        entries = forwarded_for(request)
        if len(entries) >= proxies:
            address = _parse(entries[-proxies])
    if address is None:
        address = _parse(request.META.get("REMOTE_ADDR", "")) or request.META.get("REMOTE_ADDR")
    return address
