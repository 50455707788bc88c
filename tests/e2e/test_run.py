"""`make run` as started: no secret on any process's command line, and health checks that
answer without signing in."""

from __future__ import annotations

from pathlib import Path

import requests


def command_lines_of_group(group: int) -> list[bytes]:
    lines = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses.
            if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2]) == group:
                lines.append((proc / "cmdline").read_bytes())
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return lines


def test_no_process_of_concierge_shows_the_jwt_secret(concierge):
    assert concierge.process is not None
    lines = command_lines_of_group(concierge.process.pid)
    assert any(b"bot.server" in line for line in lines)
    assert any(b"bot.staff" in line for line in lines)
    secret = concierge.env["RASA_JWT_SECRET"].encode()
    assert [line for line in lines if secret in line] == []


def test_the_health_checks_answer_without_signing_in(concierge):
    for url in (f"http://127.0.0.1:{concierge.rasa_port}/webhooks/health",
                f"http://127.0.0.1:{concierge.staff_port}/health"):
        answer = requests.get(url, timeout=30, allow_redirects=False)
        assert (answer.status_code, answer.json()) == (200, {"status": "ok"}), url
