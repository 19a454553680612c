"""Bind the socket, print how to connect, run uvicorn quietly, stop cleanly on Ctrl-C.

uvicorn's access log is off (a URL or a form can hold health data), and its error log is
cut to one line without the traceback's text. The socket is bound here, before uvicorn
starts, so a port in use is one clear error and ``--port 0`` can print the port it got.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from cart_cli.errors import CartError
from cart_cli.web.app import ServeConfig, build_app, own_hosts

LOCALHOST = "127.0.0.1"


class _OneLine(logging.Filter):
    """uvicorn's errors as one line, naming the exception type only: its message or its
    traceback could hold health data."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"cart serve: a page failed inside cart ({record.exc_info[0].__name__})"
        else:
            record.msg = f"cart serve: {record.getMessage()}"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return record.levelno >= logging.WARNING


def lan_address() -> str:
    """This computer's address on the home network (no packet is sent to find it)."""
    candidates: list[str] = []
    with contextlib.suppress(OSError):
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        candidates += [str(info[4][0]) for info in infos]
    for address in candidates:
        if not address.startswith("127."):
            return address
    # The routing table's choice for an outside address: connect() on UDP sends nothing.
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): never reached
        address = probe.getsockname()[0]
    except OSError:
        raise CartError(
            "cannot find this computer's address on the home network; use cart serve without --lan."
        ) from None
    finally:
        probe.close()
    if not isinstance(address, str) or address.startswith("127."):
        raise CartError("this computer is not on a network; use cart serve without --lan.")
    return address


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Each answer is written in two parts (headers, then the page): without this, the second
    # waits for the browser's delayed acknowledgement of the first, about 40 ms a page.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise CartError(f"port {port} is already in use; choose another with --port N.") from None
        if error.errno == errno.EACCES:
            raise CartError(
                f"port {port} needs special rights; choose one above 1023 with --port N."
            ) from None
        raise CartError(f"cannot listen on {host}:{port}: {error.strerror or error}.") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    db_path: Path,
    port: int,
    *,
    lan: bool,
    read_only: bool,
    open_browser: bool,
    say: Callable[[str], None],
) -> None:
    """Run until Ctrl-C (or SIGTERM)."""
    import uvicorn

    host = lan_address() if lan else LOCALHOST
    sock = bind(host, port)
    port = sock.getsockname()[1]
    names = [host, "localhost"] if not lan else [host]
    config = ServeConfig(
        db_path=db_path, port=port, hosts=own_hosts(names, port), read_only=read_only, lan=lan
    )
    base = f"http://{host}:{port}"

    def announce(token: str) -> None:
        link = f"{base}/pair?token={token}"
        say(f"Open this link on the device to pair it (it works once): {link}")
        if lan:
            _print_qr(link)

    say(f"cart serve: {'look-only view' if read_only else 'serving'} {db_path} at {base}")
    if lan:
        say(
            "Anyone on this network who gets the link or scans the code can pair one device; "
            "each link works once, and a new one is shown after each pairing. Press Ctrl-C to stop."
        )
    else:
        say("Only this computer can connect. Press Ctrl-C to stop.")
    announce(config.pairing.token)

    def paired(token: str) -> None:
        say(f"A device was paired ({config.pairing.paired} in all).")
        announce(token)

    config.pairing.on_paired = paired
    error_log = logging.getLogger("uvicorn.error")
    error_log.addFilter(_OneLine())
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(config),
            log_config=None,
            log_level="warning",
            access_log=False,
            server_header=False,
            date_header=False,
            proxy_headers=False,
            lifespan="off",
            timeout_graceful_shutdown=3,
        )
    )
    if open_browser:
        import webbrowser

        webbrowser.open(f"{base}/pair?token={config.pairing.token}")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _print_qr(link: str) -> None:
    import segno

    segno.make(link, error="m").terminal(out=sys.stdout, compact=True)
    sys.stdout.flush()
