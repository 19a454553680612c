"""Who may use the server: one-time pairing tokens, sessions, CSRF tokens, a rate limit.

Pairing works as Jupyter's token link does, but each token pairs one browser only: opening
the link (or typing the code) swaps it for a session cookie and a fresh token is made for the
next device. Sessions live in memory, so stopping the server unpairs every device.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from cart_cli.models import Entry

TOKEN_BYTES = 24  # 192 bits: a token cannot be guessed, whatever the rate
MAX_FAILED_PAIRINGS = 5  # wrong tokens accepted in PAIRING_WINDOW_S before refusing all pairing
PAIRING_WINDOW_S = 60.0
SESSION_COOKIE = "cart_session"


class TooManyAttempts(Exception):
    """Too many wrong pairing tokens lately: pairing is refused for a while."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many wrong codes; try again in {retry_after_s} seconds")
        self.retry_after_s = retry_after_s


@dataclass
class Session:
    """One paired browser: its cookie value, its CSRF token, and entries it deleted (for undo)."""

    key: str
    csrf: str
    paired_at: float
    deleted: dict[str, Entry] = field(default_factory=dict)

    def csrf_ok(self, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(sent.encode(), self.csrf.encode())


class Pairing:
    """The pairing token, the sessions and the failed-attempt log, behind one lock (uvicorn
    runs page handlers in a thread pool)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._failures: deque[float] = deque()
        self.token = secrets.token_urlsafe(TOKEN_BYTES)
        self.on_paired: Callable[[str], None] | None = None  # told the next token

    def pair(self, token: str) -> Session:
        """Swap the current token for a new session; a wrong token counts towards the limit."""
        with self._lock:
            now = self._clock()
            while self._failures and now - self._failures[0] > PAIRING_WINDOW_S:
                self._failures.popleft()
            if len(self._failures) >= MAX_FAILED_PAIRINGS:
                wait = PAIRING_WINDOW_S - (now - self._failures[0])
                raise TooManyAttempts(max(1, int(wait) + 1))
            if not hmac.compare_digest(token.encode(), self.token.encode()):
                self._failures.append(now)
                raise PermissionError("that pairing code is not the current one")
            session = Session(secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES), now)
            self._sessions[session.key] = session
            self.token = secrets.token_urlsafe(TOKEN_BYTES)  # one device per token
            fresh = self.token
        if self.on_paired is not None:
            self.on_paired(fresh)
        return session

    def session(self, key: str | None) -> Session | None:
        if not key:
            return None
        with self._lock:
            return self._sessions.get(key)

    @property
    def paired(self) -> int:
        with self._lock:
            return len(self._sessions)
