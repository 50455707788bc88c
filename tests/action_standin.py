"""A stand-in of the action server over plain HTTP/1.1 with keep-alive, on a real socket, that
can be slow, fail with 500, or close a kept-alive connection when the next call arrives on it
(as a server does that timed the connection out, or restarted, just as the call went out).

It answers `action_session_start` as rasa_sdk does, and any other action with one reply that
quotes the owner's latest text, so a test can tell which message each reply answers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Executed:
    action: str
    text: str | None


@dataclass
class ActionStandIn:
    delay: float = 0.0
    status: int = 200
    drop_kept_connections: bool = False
    hang_up: bool = False  # reads each call, then closes the connection (a server that dies)
    executed: list[Executed] = field(default_factory=list)
    dropped: int = 0
    received: int = 0  # calls that reached it, run or not
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    def answer(self, body: dict) -> dict:
        action = body["next_action"]
        if action == "action_session_start":
            return {"events": [{"event": "session_started"},
                               {"event": "action", "name": "action_listen"}], "responses": []}
        text = (body.get("tracker") or {}).get("latest_message", {}).get("text")
        return {"events": [], "responses": [{"text": f"{action} answers: {text}"}]}

    async def serve_connection(self, reader: asyncio.StreamReader,
                               writer: asyncio.StreamWriter) -> None:
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.received += 1
                if served and self.drop_kept_connections:
                    self.dropped += 1
                    return  # closed, the call unread: nothing was run
                lines = head.decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, v in
                           (line.split(":", 1) for line in lines[1:] if ":" in line)}
                body = json.loads(await reader.readexactly(int(headers["content-length"])))
                if self.hang_up:
                    return
                await asyncio.sleep(self.delay)
                if self.status == 200:
                    self.executed.append(Executed(
                        body["next_action"],
                        (body.get("tracker") or {}).get("latest_message", {}).get("text")))
                    payload = json.dumps(self.answer(body)).encode()
                else:
                    payload = b'{"error": "the action failed"}'
                writer.write(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\nConnection: keep-alive\r\n\r\n"
                             % (self.status, len(payload)) + payload)
                await writer.drain()
                served += 1
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def start(self) -> ActionStandIn:
        ready = threading.Event()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]

        def run() -> None:
            self.loop = asyncio.new_event_loop()
            self.server = self.loop.run_until_complete(
                asyncio.start_server(self.serve_connection, sock=sock))
            ready.set()
            self.loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        assert ready.wait(10)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
