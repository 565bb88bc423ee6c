"""``serve --workers N``: one listening socket per worker with SO_REUSEPORT (Linux).

With uvicorn's own ``workers=N`` the parent binds one socket and every worker accepts from it;
the kernel then wakes whichever worker is waiting, and on a busy machine one worker takes most
connections while another idles, which shows as the sync benchmark's tail (issue 13). With
SO_REUSEPORT each worker listens on a socket of its own bound to the same address, and Linux
spreads new connections across them by a hash of the connection. Only sockets of the same user
can join the group, so another account cannot take a share of the port.

uvicorn's supervisor (restarts of dead workers, signals, SIGTTIN/SIGTTOU) is kept: it hands
each worker process the "sockets" it was given by pickling them into the spawned child, and
:class:`ReusePortListener` pickles as an instruction to bind a fresh SO_REUSEPORT socket there.
So every worker, a restarted one too, gets its own socket. The parent holds one bound socket of
the group that does not listen: it reserves the port (and resolves port 0) before any worker
starts, so a port in use fails at once with one clear error; a socket that does not listen
receives no connections.

Elsewhere (Windows has no SO_REUSEPORT; macOS has one that does not spread connections) the
workers share one socket as before.
"""

from __future__ import annotations

import socket
import sys
from typing import Any, cast

BACKLOG = 2048  # uvicorn's default


def reuse_port_available() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind_reuse_port(host: str, port: int, *, listen: bool = True) -> socket.socket:
    """A TCP socket with SO_REUSEPORT bound to ``host:port`` (listening unless told not to)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host.strip("[]"), port))
        if listen:
            sock.listen(BACKLOG)
        sock.set_inheritable(True)
    except BaseException:
        sock.close()
        raise
    return sock


class ReusePortListener:
    """Stands in uvicorn's socket list for "a socket of this worker's own": unpickled in the
    worker process, it becomes a fresh listening SO_REUSEPORT socket on ``host:port``."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return (bind_reuse_port, (self.host, self.port))


def run_workers(config: Any) -> None:
    """Run ``config.workers`` uvicorn workers, each on its own SO_REUSEPORT socket (the caller
    checked :func:`reuse_port_available`). Returns when the supervisor stops."""
    from uvicorn.supervisors import Multiprocess

    guard = bind_reuse_port(config.host, config.port, listen=False)  # OSError if taken
    try:
        port = int(guard.getsockname()[1])
        listener = ReusePortListener(config.host, port)
        Multiprocess(config, sockets=cast(list[socket.socket], [listener])).run()
    finally:
        guard.close()
