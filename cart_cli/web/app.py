"""The Starlette application: the routes, wrapped in the checks every request passes.

Order, outermost first: the Host header must name this server (a page on another site that
points its own name at 127.0.0.1, DNS rebinding, is refused); every answer carries the
security headers (a Content-Security-Policy of ``default-src 'self'``, no caching, no
referrer, no framing). Sessions and CSRF tokens are checked by the routes themselves
(``routes``), so the pairing page can be reached without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cart_cli.web.auth import Pairing

CSP = "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class ServeConfig:
    """What one `cart serve` runs with. ``hosts`` are the Host header values accepted."""

    db_path: Path
    port: int
    hosts: frozenset[str]
    read_only: bool = False
    lan: bool = False
    pairing: Pairing = field(default_factory=Pairing)

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)


def own_hosts(addresses: Iterable[str], port: int) -> frozenset[str]:
    """The Host header values a browser sends for these addresses and port."""
    hosts = set()
    for address in addresses:
        name = f"[{address}]" if ":" in address else address
        hosts.add(f"{name}:{port}")
        if port == 80:
            hosts.add(name)
    return frozenset(hosts)


class HostCheck:
    """Refuse any request whose Host header is not one of the server's own names."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if host.lower() not in self.hosts:
                body = b"This server answers only to its own address."
                await send(
                    {
                        "type": "http.response.start",
                        "status": 421,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Add the security headers to every answer (a page may tighten its own CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def build_app(config: ServeConfig) -> ASGIApp:
    """The whole application for ``config``."""
    from cart_cli.web.routes import routes

    inner = Starlette(routes=routes(config))
    return HostCheck(SecurityHeaders(inner), config.hosts)
