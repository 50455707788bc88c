"""The console's settings, taken from Concierge's settings (bot/settings.py: the environment and
`.env`) when the app is created."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.settings import load_settings


@dataclass(frozen=True)
class StaffSettings:
    database_url: str
    # Rasa's HTTP API: where it is, and the secret its JWTs are signed with (None: not enabled).
    rasa_url: str
    rasa_jwt_secret: str | None
    interface: str = "127.0.0.1"
    port: int = 5006
    # STAFF_SECURE_COOKIES: cookies only over HTTPS. Turn it on whenever the console's public
    # address is https:// (off by default, for http://localhost).
    secure_cookies: bool = False
    # Proxies in front of the console that add X-Forwarded-For: the client address that login
    # limits count comes from the header only when this is set.
    proxies_count: int = 0
    session_idle: timedelta = timedelta(hours=8)
    session_lifetime: timedelta = timedelta(hours=24)
    queue_refresh_seconds: int = 15
    rasa_timeout: float = 10.0


def load_staff_settings() -> StaffSettings:
    base = load_settings()
    return StaffSettings(
        database_url=base.database_url,
        rasa_url=base.staff_rasa_url,
        rasa_jwt_secret=base.rasa_jwt_secret,
        interface=base.staff_interface,
        port=base.staff_port,
        secure_cookies=base.staff_secure_cookies,
        proxies_count=base.staff_proxies_count,
    )
