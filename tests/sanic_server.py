"""A Sanic app on a real server of its own for a test: a free port, in a thread with its own
event loop, so the test talks to it over HTTP like any client."""

from __future__ import annotations

import asyncio
import socket
import threading

from sanic import Sanic


class ThreadedServer:
    def __init__(self, app: Sanic) -> None:
        # Sanic rewrites its own methods when a server starts; in test mode it keeps the
        # originals, so that more than one server can start in one process.
        Sanic.test_mode = True
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))  # a free port, whatever else runs
        self.port = sock.getsockname()[1]
        self.server = self.loop.run_until_complete(self.app.create_server(
            sock=sock, return_asyncio_server=True, access_log=False))
        self.loop.run_until_complete(self.server.startup())
        self._ready.set()
        self.loop.run_forever()

    def start(self):
        self._thread.start()
        assert self._ready.wait(10), "the test server did not start"
        return self

    def stop(self) -> None:
        async def close() -> None:
            self.server.close()
            await self.server.wait_closed()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
