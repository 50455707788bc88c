"""The Rasa server as scripts/run.sh starts it (`python -m bot.server run`, the trained model,
the API behind a JWT), alone in a process of its own: the action endpoint, databases and
settings are the test's, and it talks to it over Rasa's REST channel and HTTP API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
import requests

from bot.settings import ROOT
from tests.e2e.conftest import MODEL, NOW, free_port

SECRET = "rasa-server-test-secret-0123456789abcdef"


def token(secret: str = SECRET, **claims) -> str:
    payload = {"user": {"username": "test", "role": "admin"},
               "exp": datetime.now(timezone.utc) + timedelta(minutes=5)} | claims
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret,
                      algorithm="HS256")


class RasaServer:
    def __init__(self, workdir: Path, action_url: str, database_url: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(f"action_endpoint:\n  url: {action_url}\n"
                             "tracker_store:\n"
                             "  type: bot.rasa_patches.tracker_store.ConciergeTrackerStore\n")
        credentials = workdir / "credentials.yml"
        credentials.write_text("rest:\n")
        self.args = [sys.executable, "-m", "bot.server", "run", "--model", str(MODEL),
                     "--endpoints", str(endpoints), "--credentials", str(credentials),
                     "--interface", "127.0.0.1", "--port", str(self.port), "--enable-api"]
        self.env = os.environ | {
            "DATABASE_URL": database_url,
            "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
            "RASA_JWT_SECRET": SECRET, "CONCIERGE_NOW": NOW, "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
        } | env
        self.log = workdir / "rasa-server.log"
        self.process: subprocess.Popen | None = None

    def start(self, seconds: float = 180) -> RasaServer:
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds
        while True:
            try:
                requests.get(self.url, timeout=2)
                return self
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"The Rasa server did not start:\n{self.log.read_text()}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def say(self, sender: str, message: str, timeout: float = 120) -> list[str]:
        answer = requests.post(f"{self.url}/webhooks/rest/webhook",
                               json={"sender": sender, "message": message}, timeout=timeout)
        answer.raise_for_status()
        return [reply.get("text", "") for reply in answer.json()]

    def events(self, sender: str) -> list[dict]:
        answer = requests.get(f"{self.url}/conversations/{sender}/tracker",
                              headers={"Authorization": f"Bearer {token()}"}, timeout=30)
        answer.raise_for_status()
        return answer.json()["events"]
