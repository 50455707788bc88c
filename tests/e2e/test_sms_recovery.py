"""A Concierge killed mid-turn (SIGKILL, as a crash or a power cut would), then started again:
the text it was answering gets one apology and a ticket for staff, never silence. The servers
are started as `make run` starts them, on a database of their own."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels import unanswered
from bot.dealership.db import session_scope
from bot.dealership.models import HandoffTicket, InboundMessage
from tests.demo import DANA
from tests.e2e.conftest import MODEL, Concierge
from tools.twilio_standin import TwilioStandIn


def group_members(group: int) -> dict[int, str]:
    """The processes of process group `group`, by pid, with their command lines."""
    members = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            # The group is the 5th field, after the command name (in parentheses).
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                members[int(proc.name)] = (proc / "cmdline").read_bytes().replace(
                    b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return members


def status_line_of_a_large_post(port: int) -> str:
    head = ("POST /webhooks/sms/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode())
        return sock.recv(4096).decode(errors="replace").split("\r\n", 1)[0]


def test_a_text_whose_server_was_killed_mid_turn_gets_one_apology_and_a_ticket(tmp_path):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: `make test` trains it first (or run `make train`)")
    with TwilioStandIn() as twilio:
        first = Concierge(tmp_path, twilio.api_base)
        first.env["SMS_REPLY_DEADLINE"] = "2"
        first.start()
        try:
            # The action server stops answering, so the turn hangs past Twilio's deadline...
            (actions,) = [pid for pid, command in group_members(first.process.pid).items()
                          if "run actions" in command]
            os.kill(actions, signal.SIGSTOP)
            hung = first.text(DANA, "when is my appointment")
            assert hung.status == 200 and hung.messages == [], hung.xml
            with session_scope(first.database_url) as session:
                (record,) = session.execute(select(InboundMessage).where(
                    InboundMessage.phone == DANA)).scalars()
                sid, status = record.message_sid, record.status
            assert status == "processing"
        finally:
            # ...and every server is killed while it is still working on it.
            os.killpg(first.process.pid, signal.SIGKILL)
            first.process.wait(30)
        assert twilio.sent == []

        second = Concierge(tmp_path, twilio.api_base)
        second.start()
        try:
            (apology,) = twilio.wait_for_text_to(DANA, timeout=60)
            assert apology.body.startswith("Sorry, your text from ")
            assert "didn't get an answer" in apology.body
            with session_scope(second.database_url) as session:
                assert session.execute(select(InboundMessage.status).where(
                    InboundMessage.message_sid == sid)).scalar_one() == "failed"
                (ticket,) = session.execute(select(HandoffTicket).where(
                    HandoffTicket.conversation_id == DANA)).scalars()
                assert ticket.reason == unanswered.REASON and ticket.status == "open"
                assert any(sid in note.text for note in ticket.notes)

            # The running server refuses an oversized body before reading it, and answers texts.
            assert status_line_of_a_large_post(second.rasa_port).startswith("HTTP/1.1 413")
            assert second.text(DANA, "hi").messages
            time.sleep(2)
            assert [m.body for m in twilio.sent if m.to == DANA] == [apology.body]
        finally:
            second.interrupt()
