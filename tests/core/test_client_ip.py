"""The audit log records the client's IP: REMOTE_ADDR, or X-Forwarded-For only when a trusted proxy sent it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from marketplace.core.context import request_client_ip
from marketplace.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
CLIENT = "198.51.100.7"
SPOOFED = "6.6.6.6"


def _failed_sign_in_ip(client, world, **meta) -> str:
    client.post("/accounts/login/", {"login": world.requester.email, "password": "wrong"}, **meta)
    return AuditEvent.objects.unscoped().get(action="auth.login_failed").ip_address


@pytest.mark.parametrize(
    ("trusted", "remote_addr", "forwarded_for", "recorded"),
    [
        # no proxies configured: the peer is the client, whatever the header says
        ([], "203.0.113.9", CLIENT, "203.0.113.9"),
        # our proxy appended the client it saw
        ([PROXY], PROXY, CLIENT, CLIENT),
        # … after a value the client wrote itself
        ([PROXY], PROXY, f"{SPOOFED}, {CLIENT}", CLIENT),
        # a peer that is not our proxy: its header is ignored, even one naming our proxy
        ([PROXY], "203.0.113.9", CLIENT, "203.0.113.9"),
        ([PROXY], "203.0.113.9", f"{CLIENT}, {PROXY}", "203.0.113.9"),
        # two trusted hops (a load balancer in front of the proxy), configured as a network
        (["10.0.0.0/8"], PROXY, f"{SPOOFED}, {CLIENT}, 10.2.0.1", CLIENT),
        # the hop our proxy wrote is not an address: keep the peer rather than guess at the client's part
        ([PROXY], PROXY, f"{SPOOFED}, unknown", PROXY),
        # a trusted peer without the header
        ([PROXY], PROXY, None, PROXY),
    ],
)
def test_failed_sign_in_records_the_client_ip(client, world, settings, trusted, remote_addr, forwarded_for, recorded):
    settings.TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for

    assert _failed_sign_in_ip(client, world, **meta) == recorded


def test_a_malformed_trusted_proxies_entry_stops_the_request(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "not-an-ip"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5")

    with pytest.raises(ImproperlyConfigured, match="not-an-ip"):
        request_client_ip(request)
