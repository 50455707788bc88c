"""The web chat's client address, for the codes' limit per address: the connection's own, and
X-Forwarded-For only for as many proxies as the operator says are in front."""

from __future__ import annotations

from types import SimpleNamespace

from bot.channels.client_address import client_address

SANIC = {"REMOTE_ADDR": "127.0.0.1", "sanic.request": SimpleNamespace(ip="203.0.113.7")}


def test_the_connections_own_address_not_the_fixed_one_in_the_environ():
    assert client_address(SANIC) == "203.0.113.7"
    assert client_address({"asgi.scope": {"client": ("198.51.100.2", 5123)}}) == "198.51.100.2"
    assert client_address({"REMOTE_ADDR": "192.0.2.9"}) == "192.0.2.9"
    assert client_address(None) is None


def test_a_forwarded_header_is_believed_only_behind_a_proxy():
    spoofed = {**SANIC, "HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.20"}
    assert client_address(spoofed) == "203.0.113.7"  # no proxy: anyone can send the header
    # One proxy: the entry it added (the last); what the client wrote before it is not believed.
    assert client_address(spoofed, proxies_count=1) == "198.51.100.20"
    assert client_address(spoofed, proxies_count=2) == "10.9.9.9"
    assert client_address(spoofed, proxies_count=3) == "203.0.113.7"  # fewer hops than said
