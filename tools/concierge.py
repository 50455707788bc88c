"""Concierge as `make run` starts it (`scripts/run.sh`), on free ports, over a fresh database
loaded with the demo dealership, with business time pinned: what end-to-end tests and
`make conversations` talk to."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from bot.settings import ROOT
from tools import sms_client

MODEL = ROOT / "models" / "concierge.tar.gz"
# Monday of Thanksgiving week, 10:00 in Austin: the same week whenever it runs.
MONDAY = "2026-11-23T10:00:00-06:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Concierge:
    """The running servers, and a way to talk to them over Rasa's REST channel."""

    def __init__(self, workdir: Path, twilio_api: str, now: str = MONDAY) -> None:
        self.workdir = workdir
        self.rasa_port = free_port()
        self.actions_port = free_port()
        self.staff_port = free_port()
        self.env = os.environ | {
            "DATABASE_URL": f"sqlite:///{workdir / 'concierge.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
            "RASA_PORT": str(self.rasa_port),
            "RASA_INTERFACE": "127.0.0.1",
            "ACTION_SERVER_PORT": str(self.actions_port),
            "LOG_DIR": str(workdir / "log"),
            "CONCIERGE_NOW": now,
            # Texts Twilio would deliver go to a local stand-in of its REST API.
            "TWILIO_API_BASE": twilio_api,
            "SMS_REPLY_DEADLINE": "30",
            "STAFF_PORT": str(self.staff_port),
            # The tests talk as any sender over Rasa's REST channel: a development setting.
            "CONCIERGE_REST_CHANNEL": "1",
            # The console checks for tickets to tell the on-call advisor about every 2 s.
            "ONCALL_CHECK_SECONDS": "2",
            "RASA_JWT_SECRET": "e2e-secret-for-rasa-api-calls-0123456789",
        }
        self.database_url = self.env["DATABASE_URL"]
        self.process: subprocess.Popen | None = None
        self.output = workdir / "run.out"

    def start(self, seconds: float = 240) -> None:
        subprocess.run([sys.executable, "-m", "bot.dealership", "setup"], cwd=ROOT, env=self.env,
                       check=True, capture_output=True)
        # A session of its own, like a terminal's foreground job: Ctrl-C reaches the whole group.
        self.process = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=self.output.open("w"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + seconds
        while "Concierge is running" not in self.output.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Concierge did not start:\n{self.output.read_text()}")
            time.sleep(0.5)

    def interrupt(self, seconds: float = 60) -> int:
        """Presses Ctrl-C; returns the exit status once every process of the group is gone."""
        assert self.process is not None
        group = self.process.pid
        os.killpg(group, signal.SIGINT)
        status = self.process.wait(timeout=seconds)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return status
            time.sleep(0.2)
        os.killpg(group, signal.SIGKILL)
        raise AssertionError("processes of `make run` outlived Ctrl-C")

    def say(self, sender: str, message: str) -> list[str]:
        """Sends one message as `sender`; returns the texts of the bot's replies."""
        response = requests.post(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            json={"sender": sender, "message": message}, timeout=60,
        )
        response.raise_for_status()
        return [reply.get("text", "") for reply in response.json()]

    @property
    def sms_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}/webhooks/sms/webhook"

    def text(self, sender: str, body: str, **options) -> sms_client.Answer:
        """One SMS from `sender`, signed and posted as Twilio does; the TwiML answer read back."""
        return sms_client.text(self.sms_url, body, sender=sender, **options)

    def chat(self, sender: str, *messages: str) -> str:
        """Sends each message in turn; returns the whole transcript (for asserts and failures)."""
        lines = []
        for message in messages:
            lines.append(f"> {message}")
            lines += [f"< {reply}" for reply in self.say(sender, message)]
        return "\n".join(lines)
