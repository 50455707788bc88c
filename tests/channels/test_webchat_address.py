"""A web chat keeps the address it is opened from (the codes are limited per address), read
on a real server from python-socketio's client as the widget connects."""

from __future__ import annotations

import threading

import pytest
import socketio
from sqlalchemy import select

from bot.dealership.db import session_scope
from bot.dealership.models import WebSession
from tests.channels.test_webchat_channel import make_server, wait_until  # noqa: F401


def opened_from(url: str, forwarded_for: str) -> str | None:
    client, tokens = socketio.Client(), []
    client.on("session_confirm", tokens.append)
    client.connect(url, socketio_path="/socket.io", transports=["polling"],
                   headers={"X-Forwarded-For": forwarded_for})
    try:
        client.emit("session_request", {"session_id": None})
        wait_until(lambda: tokens)
    finally:
        threading.Thread(target=client.disconnect, daemon=True).start()
    with session_scope() as session:
        return session.execute(select(WebSession.client_ip)
                               .order_by(WebSession.id.desc()).limit(1)).scalar_one()


@pytest.mark.parametrize(("proxies", "address"), [(0, "127.0.0.1"), (1, "203.0.113.5")])
def test_the_chat_keeps_the_address_it_is_opened_from(make_server, proxies, address):  # noqa: F811
    server = make_server(webchat_proxies_count=proxies)
    assert opened_from(server.url, "203.0.113.5") == address
