"""The guard in front of every request: the served address only, state changes from the page
only, and headers that keep pages out of frames and caches.

- Host: a request whose ``Host`` is not the address served is refused, so a web site that
  points its own name at 127.0.0.1 (DNS rebinding) cannot read the pages.
- Origin and token: a request that makes something (every method but GET and HEAD) must
  carry the page's own ``Origin`` and the per-process token the page was served with, so
  another site open in the same browser cannot post to it.
- Every response: ``Cache-Control: no-store`` (a preview or PDF holds a patient's name; the
  browser must not keep it on disk), a content security policy allowing only this server's
  own scripts, no framing, no referrer.
"""

from __future__ import annotations

import hmac
import json

SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_HEADER = "x-handout-token"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def allowed_hosts(host: str, port: int, names: tuple[str, ...] = ()) -> frozenset[str]:
    """The ``Host`` values a browser sends for the address served: loopback by its names, or
    the host given (and any other ``names``), with the port."""
    loopback = {"127.0.0.1", "localhost", "[::1]"}
    hosts = set(loopback) if host in loopback | {"::1"} else {f"[{host}]" if ":" in host else host}
    hosts |= set(names)
    with_port = {f"{h}:{port}" for h in hosts}
    return frozenset(with_port | (hosts if port == 80 else set()))


class Guard:
    """ASGI middleware: checks Host, Origin and token; adds the headers above."""

    def __init__(self, app, hosts: frozenset[str], token: str):
        self.app = app
        self.hosts = hosts
        self.origins = frozenset(f"http://{h}" for h in hosts)
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, send)
        if scope["type"] != "http":  # no websockets here
            return await send({"type": "websocket.close", "code": 1008})
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "").lower() not in self.hosts:
            return await _refuse(send, 403, "this server answers only at its own address (the Host header "
                                            "names another); open the address 'handout serve' printed")
        if scope["method"] not in SAFE_METHODS:
            if headers.get("origin", "") not in self.origins:
                return await _refuse(send, 403, "refused: the request did not come from this page (Origin); "
                                                "reload the page and try again")
            if not hmac.compare_digest(headers.get(TOKEN_HEADER, "").encode(), self.token.encode()):
                return await _refuse(send, 403, "refused: the page's token is missing or stale (was the server "
                                                "restarted?); reload the page and try again")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"errors": {"form": message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                + HEADERS})
    await send({"type": "http.response.body", "body": body})
