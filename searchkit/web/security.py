"""What every response of ``searchkit serve`` must carry, and which requests it refuses.

The server runs on a reporter's laptop and every document is untrusted, so:

* the Host header must be one we serve (127.0.0.1, localhost, [::1], the ``--host`` given):
  a DNS-rebinding page on another site, whose name now points at 127.0.0.1, gets 421;
* a POST from another site (``Sec-Fetch-Site: cross-site``, or an ``Origin`` that is not
  ours) gets 403, so no page elsewhere can save or change anything here;
* every response has a Content-Security-Policy with no inline script, ``nosniff``,
  ``Referrer-Policy: no-referrer`` and ``frame-ancestors 'none'``; a response that sets its
  own policy (a saved page's original HTML: ``default-src 'none'; sandbox``) keeps it.

A plain ASGI middleware: it costs a few dictionary look-ups per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Our own pages: scripts, styles and images from this server only, nothing inline.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: A saved web page's original HTML: nothing runs, nothing loads, no same-origin access.
SANDBOX_POLICY = "default-src 'none'; sandbox"

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str) -> frozenset[str]:
    """The host names (without port) a request may name: the loopback names and ``host``."""
    names = set(LOOPBACK_NAMES)
    if host and host not in ("0.0.0.0", "::"):
        names.add(host.strip("[]").lower())
    return frozenset(names)


def host_name(header: str) -> str:
    """The name in a Host header, without its port; brackets of an IPv6 address removed."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def origin_allowed(origin: str, hosts: Iterable[str]) -> bool:
    scheme, _, rest = origin.partition("://")
    return scheme in ("http", "https") and host_name(rest.split("/", 1)[0]) in hosts


class SecurityMiddleware:
    """Host allow-list, same-site POSTs only, and the security headers on every response."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if host is None or host_name(host) not in self.hosts:
            await _refuse(send, 421, "This server answers only to its own address (127.0.0.1 or localhost). "
                                     "A page on another site tried to reach it.")
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            site = _header(scope, b"sec-fetch-site")
            origin = _header(scope, b"origin")
            # A browser that sends Sec-Fetch-Site is believed (pages cannot set it); its
            # Origin may be "null" on our own forms, as Referrer-Policy: no-referrer asks.
            # Without it, the Origin must be ours (as Go's CrossOriginProtection decides).
            if (site not in ("same-origin", "none") if site is not None else
                    origin is not None and not origin_allowed(origin, self.hosts)):
                await _refuse(send, 403, "Refused: this form was sent from another site.")
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {key.lower() for key, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                headers.extend(pair for pair in _HEADERS if pair[0] not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode() + b"\n"
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", PAGE_POLICY.encode()), *_HEADERS]})
    await send({"type": "http.response.body", "body": body})
