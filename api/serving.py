"""What `zhibiao serve --workers N` runs in each uvicorn worker process.

uvicorn binds the shared listening socket itself with `socket.socket(family)` (protocol 0), and
asyncio only sets TCP_NODELAY on sockets whose protocol is IPPROTO_TCP; so in multi-worker mode
every response waited for Nagle + the client's delayed ACK (~40 ms each, measured). The protocol
below sets TCP_NODELAY on each accepted connection, as single-process uvicorn gets by default.
"""

from __future__ import annotations

import os
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import Settings


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # not a TCP socket after all: leave it as it is
                pass
        super().connection_made(transport)


WORKER_HEADER = b"x-zhibiao-worker"


class WorkerHeader:
    """Names the worker process on every answer (pure ASGI), so a client can tell that every
    worker has started (LiveServer waits for all of them before a load measurement)."""

    def __init__(self, app):
        self.app = app
        self.pid = str(os.getpid()).encode()

    def __getattr__(self, name):  # app.state and the like stay reachable
        return getattr(self.app, name)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_pid(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (WORKER_HEADER, self.pid)]}
            await send(message)

        await self.app(scope, receive, send_with_pid)


def worker_app():
    """The app of one worker process (uvicorn factory); Settings from the same ZHIBIAO_* environment."""
    from api.app import create_app
    return WorkerHeader(create_app(Settings()))
