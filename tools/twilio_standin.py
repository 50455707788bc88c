"""A local stand-in for the slice of Twilio's REST API that sending a text uses:
POST /2010-04-01/Accounts/{AccountSid}/Messages.json, with HTTP basic auth, answering with a
message resource shaped as Twilio's is. It keeps what was sent, for tests to read.

Point Concierge at it with TWILIO_API_BASE=http://127.0.0.1:PORT (and the same account SID and
auth token). Run alone: `python -m tools.twilio_standin --port 8088` prints each message.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from bot.settings import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC\w+)/Messages\.json$")


@dataclass
class SentMessage:
    sid: str
    to: str
    from_: str
    body: str
    media_urls: list[str] = field(default_factory=list)


class TwilioStandIn:
    """Use as a context manager; `api_base` is what TWILIO_API_BASE should be."""

    def __init__(self, account_sid: str = DEMO_ACCOUNT_SID, auth_token: str = DEMO_AUTH_TOKEN,
                 port: int = 0, verbose: bool = False) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sent: list[SentMessage] = []
        # Numbers Twilio itself knows as unsubscribed (it answers error 21610 for them).
        self.unsubscribed: set[str] = set()
        self.verbose = verbose
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._sent_event = threading.Condition()

    @property
    def api_base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> TwilioStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, count: int, timeout: float = 10) -> list[SentMessage]:
        """The messages sent so far, once there are at least `count` (or the timeout passed)."""
        with self._sent_event:
            self._sent_event.wait_for(lambda: len(self.sent) >= count, timeout)
            return list(self.sent)

    def wait_for_text_to(self, number: str, since: int = 0,
                         timeout: float = 10) -> list[SentMessage]:
        """The messages to `number` among those sent after the first `since`, once there is
        one (or the timeout passed): other texts (on-call alerts, say) may come in between."""
        def to_number() -> list[SentMessage]:
            return [m for m in self.sent[since:] if m.to == number]

        with self._sent_event:
            self._sent_event.wait_for(lambda: bool(to_number()), timeout)
            return to_number()

    def _record(self, message: SentMessage) -> None:
        with self._sent_event:
            self.sent.append(message)
            self._sent_event.notify_all()
        if self.verbose:
            print(f"SMS to {message.to} ({message.sid}): {message.body}", flush=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                match = MESSAGES_PATH.match(self.path)
                if not match:
                    return self._answer(404, _error(20404, "The requested resource was not found"))
                if not self._authorised(match["sid"]):
                    return self._answer(401, _error(20003, "Authenticate"))
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                to, from_ = _one(form, "To"), _one(form, "From")
                body, media = _one(form, "Body"), form.get("MediaUrl", [])
                if not to:
                    return self._answer(400, _error(21604, "A 'To' phone number is required."))
                if not from_:
                    return self._answer(400, _error(21603, "A 'From' phone number is required."))
                if not body and not media:
                    return self._answer(400, _error(21602, "Message body is required."))
                if to in standin.unsubscribed:
                    return self._answer(400, _error(
                        21610, "Attempt to send to unsubscribed recipient"))
                message = SentMessage(sid="SM" + uuid.uuid4().hex, to=to, from_=from_,
                                      body=body, media_urls=media)
                standin._record(message)
                self._answer(201, _resource(match["sid"], message))

            def _authorised(self, path_sid: str) -> bool:
                expected = f"{standin.account_sid}:{standin.auth_token}".encode()
                given = self.headers.get("Authorization", "")
                return (path_sid == standin.account_sid
                        and given == "Basic " + base64.b64encode(expected).decode())

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _one(form: dict[str, list[str]], key: str) -> str:
    return form.get(key, [""])[0]


def _error(code: int, message: str) -> dict:
    return {"code": code, "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": 400}


def _resource(account_sid: str, message: SentMessage) -> dict:
    """A message resource as Twilio returns it right after creating one (status "queued")."""
    now = formatdate(usegmt=True)
    uri = f"/2010-04-01/Accounts/{account_sid}/Messages/{message.sid}"
    return {
        "account_sid": account_sid, "api_version": "2010-04-01", "body": message.body,
        "date_created": now, "date_sent": None, "date_updated": now,
        "direction": "outbound-api", "error_code": None, "error_message": None,
        "from": message.from_, "messaging_service_sid": None,
        "num_media": str(len(message.media_urls)), "num_segments": "1", "price": None,
        "price_unit": "USD", "sid": message.sid, "status": "queued",
        "subresource_uris": {"media": f"{uri}/Media.json"}, "to": message.to,
        "uri": f"{uri}.json",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8088)
    args = parser.parse_args()
    with TwilioStandIn(port=args.port, verbose=True) as standin:
        print(f"Twilio stand-in at {standin.api_base}; Ctrl-C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
