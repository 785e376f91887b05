"""Running the app: a socket on the address asked for, uvicorn on it, no access log.

The socket is bound before the app is made, so port 0 (any free port) works and the app
knows the exact address it must answer to. uvicorn's access log is off (a query string or
a path could hold a patient's name) and its own messages are warnings only.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from ..errors import OutputError
from .defaults import Defaults

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; an OutputError saying why when it cannot be had."""
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "it is in use (is another 'handout serve' running?)" if exc.errno in (98, 48, 10048) else \
            (exc.strerror or str(exc))
        raise OutputError(f"cannot listen on {host}:{port}: {reason}; give another --port") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def address(sock: socket.socket) -> tuple[str, int, str]:
    """(host, port, URL) of a bound socket; a wildcard host is shown as this machine's name."""
    host, port = sock.getsockname()[:2]
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return host, port, f"http://{shown}:{port}/"


def remote_names(host: str) -> tuple[str, ...]:
    """The names a remote browser may use for this machine when serving on a wildcard address."""
    if host not in ("0.0.0.0", "::"):
        return ()
    name = socket.gethostname()
    try:
        addresses = socket.gethostbyname_ex(name)[2]
    except OSError:
        addresses = []
    return tuple({name, socket.getfqdn(), *addresses})


def run(sock: socket.socket, defaults: Defaults, on_ready: Callable[[], None] | None = None) -> None:
    """Serve the app on ``sock`` until Ctrl-C (or SIGTERM): the normal way to stop, so no error."""
    import uvicorn

    from .app import create_app

    host, port, _ = address(sock)
    app = create_app(defaults, host=host, port=port, names=remote_names(host))
    config = uvicorn.Config(app, access_log=False, log_level="warning", server_header=False, lifespan="off",
                            proxy_headers=False)
    server = uvicorn.Server(config)
    if on_ready is not None:
        original = server.startup

        async def startup(sockets=None):
            await original(sockets=sockets)
            on_ready()

        server.startup = startup
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down first, then passes the Ctrl-C on
        pass
