"""The staff console's Sanic app. `create_app()` builds it; nothing happens at import."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic
from sanic.response import HTTPResponse

from bot.staff import accounts, auth, conversation, guests, queue
from bot.staff.config import StaffSettings, load_staff_settings
from bot.staff.rasa_api import RasaAPI
from bot.staff.web import render

HERE = Path(__file__).resolve().parent
APP_NAME = "concierge_staff"
log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    # No scripts at all, nothing from elsewhere, never inside another site's frame.
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Conversation ids are phone numbers: they stay out of other sites' logs.
    "Referrer-Policy": "no-referrer",
}


def local_time(moment, zone, style: str = "%a %b %-d, %-I:%M %p") -> str:
    return moment.astimezone(zone).strftime(style) if moment else ""


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["local"] = local_time
    return env


def create_app(settings: StaffSettings | None = None) -> Sanic:
    settings = settings or load_staff_settings()
    app = Sanic(APP_NAME)
    app.config.PROXIES_COUNT = settings.proxies_count
    app.ctx.settings = settings
    app.ctx.templates = templates()
    app.ctx.rasa = RasaAPI(settings.rasa_url, settings.rasa_jwt_secret, settings.rasa_timeout)

    app.register_middleware(auth.require_login, "request")

    @app.middleware("response")
    async def security_headers(request: Request, resp: HTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(name, value)
        if not request.path.startswith("/static/"):
            resp.headers["Cache-Control"] = "no-store"

    @app.exception(Exception)
    async def failure(request: Request, error: Exception) -> HTTPResponse:
        status = getattr(error, "status_code", 500)
        if status >= 500:
            log.exception("staff console: %s %s failed", request.method, request.path)
            message = "Something went wrong on our side. Please try again."
        else:
            message = "That page does not exist." if status == 404 else str(error)
        return await render(request, "error.html", status=status, message=message)

    app.blueprint(auth.blueprint())
    app.blueprint(queue.blueprint())
    app.blueprint(conversation.blueprint())
    app.blueprint(conversation.tickets_blueprint())
    app.blueprint(guests.blueprint())
    app.blueprint(accounts.blueprint())
    app.static("/static", str(HERE / "static"), name="static")
    return app
