"""Per-request facts that services record (client IP), carried in a context variable by the middleware."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ipware import get_client_ip

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network.")
    return tuple(networks)


def _is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def request_client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, unless that peer is one of our TRUSTED_PROXIES.

    A client can write any X-Forwarded-For it likes, so the header is read only when the connection comes
    from a trusted proxy, and then only as far back as the hops our own proxies appended: walking from the
    right, every trusted hop is skipped and the first other address is the client. django-ipware parses the
    header and picks that position (proxy_count = the trusted hops inside the header).
    """
    peer = request.META.get("REMOTE_ADDR") or None
    if not _is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    trusted_hops = 0
    for hop in reversed(hops[1:]):
        if not _is_trusted_proxy(hop):
            break
        trusted_hops += 1
    # Only the part of the header our proxies wrote goes to ipware; strict, so a malformed client hop
    # falls back to the peer instead of shifting the pick onto a client-written address.
    ours = SimpleNamespace(META={"HTTP_X_FORWARDED_FOR": ", ".join(hops[-(trusted_hops + 1) :])})
    ip, _routable = get_client_ip(
        ours, proxy_count=trusted_hops, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=True
    )
    return ip or peer


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(request_client_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
