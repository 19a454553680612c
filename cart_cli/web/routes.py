"""The routes table and what each page and form does.

Every page needs a paired session (else the pairing page answers, 401); every form is posted
with the session's CSRF token and then redirected (post-redirect-get), so reloading a page
never logs anything twice. The database is opened for each request and the work is done on
the server's one event-loop thread (a few milliseconds a page; handing it to a thread pool
cost more than the work on a busy machine): the store's transactions (WAL) let `cart` in a
terminal write at the same time.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from cart_cli.errors import CartError
from cart_cli.models import (
    MAX_MEDICINE_CHARS,
    MAX_NOTE_CHARS,
    MAX_OTHER_CHARS,
    MAX_OUTCOME_CHARS,
    Entry,
    Plan,
)
from cart_cli.store import Store
from cart_cli.web import views
from cart_cli.web.app import CSP, ServeConfig
from cart_cli.web.auth import SESSION_COOKIE, Session, TooManyAttempts

STATIC = Path(__file__).resolve().parent / "static"
MAX_FORM_BYTES = 64 * 1024
HISTORY_ROWS = 50
MAX_UNDO = 20  # removed entries a session can still put back

Handler = Callable[[Request], Awaitable[Response]]


@functools.cache
def _templates() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("cart_cli.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _style_sheet() -> bytes:
    return (STATIC / "app.css").read_bytes()


def now_local() -> datetime:
    """The clock, read once per request (the core takes ``now`` as a parameter)."""
    from cart_cli.timefmt import LOCAL

    return datetime.now(LOCAL)


# -- forms: what each "log" page asks and how its answers become entries --------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    hint: str = ""
    inputmode: str = "text"  # "decimal" or "numeric" bring up a number keypad
    required: bool = True
    long: bool = False  # a text area


@dataclass(frozen=True)
class LogForm:
    kind: str
    title: str
    fields: tuple[Field, ...]
    build: Callable[[dict[str, str], datetime], list[Entry]]
    button: str = "Save"


def _when(form: dict[str, str], now: datetime) -> datetime:
    from cart_cli.parsing import parse_when

    text = form.get("at", "").strip()
    return now if not text else parse_when(text, now)


def _note(form: dict[str, str]) -> str | None:
    from cart_cli.parsing import parse_text

    text = form.get("note", "")
    return parse_text(text, "note", MAX_NOTE_CHARS, collapse_spaces=False) if text.strip() else None


def _temp(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_temperature

    celsius, _ = parse_temperature(form.get("value", ""))
    return [Entry(kind="temp", recorded_at=_when(form, now), celsius=celsius, note=_note(form))]


def _bp(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_bp, parse_pulse

    systolic, diastolic = parse_bp(f"{form.get('systolic', '').strip()}/{form.get('diastolic', '').strip()}")
    pulse = form.get("pulse", "").strip()
    return [
        Entry(
            kind="bp", recorded_at=_when(form, now), systolic=systolic, diastolic=diastolic,
            pulse=parse_pulse(pulse) if pulse else None, note=_note(form),
        )
    ]  # fmt: skip


def _pulse(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_pulse

    return [Entry(kind="pulse", recorded_at=_when(form, now), pulse=parse_pulse(form.get("value", "")))]


def _spo2(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_spo2

    return [Entry(kind="spo2", recorded_at=_when(form, now), spo2=parse_spo2(form.get("value", "")))]


def _breaths(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_breaths

    rate = parse_breaths(form.get("value", ""))
    return [Entry(kind="breaths", recorded_at=_when(form, now), breaths=rate, note=_note(form))]


def _fatigue(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_fatigue

    score = parse_fatigue(form.get("value", ""))
    return [Entry(kind="fatigue", recorded_at=_when(form, now), score=score, note=_note(form))]


def _fluids(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_fluids

    litres, _ = parse_fluids(form.get("value", ""))
    return [Entry(kind="fluids", recorded_at=_when(form, now), litres=litres, note=_note(form))]


def _med(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_text

    name = parse_text(form.get("value", ""), "medicine name", MAX_MEDICINE_CHARS)
    return [Entry(kind="med", recorded_at=_when(form, now), medicine=name, note=_note(form))]


def _call(form: dict[str, str], now: datetime) -> list[Entry]:
    from cart_cli.parsing import parse_recheck, parse_text

    said = form.get("outcome", "")
    outcome = parse_text(said, "what they said", MAX_OUTCOME_CHARS) if said.strip() else None
    when = _when(form, now)
    recheck = form.get("recheck", "").strip()
    minutes = parse_recheck(recheck, when) if recheck else None
    return [Entry(kind="call", recorded_at=when, outcome=outcome, recheck_minutes=minutes, note=_note(form))]


AT = Field("at", "When", "Leave empty for now, or e.g. 08:30, 45m ago, yesterday 21:00", required=False)
NOTE = Field("note", "Note", "Anything else worth keeping (optional)", required=False, long=True)

LOG_FORMS: dict[str, LogForm] = {
    form.kind: form
    for form in (
        LogForm(
            "temp",
            "Temperature",
            (
                Field("value", "Temperature (°C)", "For example 37.2 (or 99.1F)", inputmode="decimal"),
                AT,
                NOTE,
            ),
            _temp,
        ),
        LogForm(
            "bp",
            "Blood pressure",
            (
                Field("systolic", "Top number (systolic)", "For example 118", inputmode="numeric"),
                Field("diastolic", "Bottom number (diastolic)", "For example 76", inputmode="numeric"),
                Field("pulse", "Pulse (optional)", "Beats a minute", inputmode="numeric", required=False),
                AT,
                NOTE,
            ),
            _bp,
        ),
        LogForm(
            "pulse", "Pulse", (Field("value", "Pulse (beats a minute)", "", inputmode="numeric"), AT), _pulse
        ),
        LogForm(
            "spo2",
            "Oxygen level (SpO2)",
            (Field("value", "Oxygen (%)", "From the finger clip", "numeric"), AT),
            _spo2,
        ),
        LogForm(
            "breaths",
            "Breathing rate",
            (
                Field(
                    "value",
                    "Breaths a minute",
                    "At rest, count the breaths for 30 seconds and double it",
                    "numeric",
                ),
                AT,
                NOTE,
            ),
            _breaths,
        ),
        LogForm(
            "fatigue",
            "Tiredness",
            (
                Field("value", "Tiredness, 0 to 10", "0 is none, 10 the worst you can imagine", "numeric"),
                AT,
                NOTE,
            ),
            _fatigue,
        ),
        LogForm(
            "fluids",
            "Drinks",
            (Field("value", "How much", "Litres (1.5) or millilitres (500ml). Aim for 2-3 litres a day"), AT),
            _fluids,
        ),
        LogForm(
            "med",
            "Medicine taken",
            (Field("value", "Medicine", "Its name, and the dose if you like"), AT, NOTE),
            _med,
        ),
        LogForm(
            "call",
            "Call to the team",
            (
                Field(
                    "outcome",
                    "What they said",
                    "For example: stay home, ring back if over 38",
                    required=False,
                    long=True,
                ),
                Field(
                    "recheck",
                    "When to check again (optional)",
                    "If they asked: for example 1h, in 30 minutes, at 04:30",
                    required=False,
                ),
                AT,
                NOTE,
            ),
            _call,
        ),
    )
}


# -- helpers ---------------------------------------------------------------------------------


async def _form(request: Request) -> dict[str, str] | None:
    """The posted form's fields (the last value of each; ``sign`` values joined by NUL), or
    None when the body is too large or not a form."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return None
    form = {key: values[-1] for key, values in parsed.items()}
    if "sign" in parsed:
        form["sign"] = "\0".join(parsed["sign"])
    return form


class Pages:
    """The handlers, sharing the server's configuration."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config

    # -- plumbing --------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        session = self.session(request)
        html = (
            _templates()
            .get_template(name)
            .render(
                csrf=session.csrf if session else "",
                read_only=self.config.read_only,
                path=request.url.path,
                **values,
            )
        )
        return HTMLResponse(html, status_code=status)

    def session(self, request: Request) -> Session | None:
        return self.config.pairing.session(request.cookies.get(SESSION_COOKIE))

    def store(self, now: datetime, *, create: bool = False) -> Store | None:
        if create:
            return Store.open(self.config.db_path, now=now)
        return Store.open_existing(self.config.db_path, now=now)

    def refuse(self, request: Request, status: int, title: str, text: str) -> HTMLResponse:
        return self.render(request, "message.html.j2", status=status, title=title, text=text)

    def page(self, handler: Callable[[Request, Session], Awaitable[Response]]) -> Handler:
        """A page that needs a paired session."""

        async def guarded(request: Request) -> Response:
            session = self.session(request)
            if session is None:
                return self.render(request, "pair.html.j2", status=401, error=None)
            return await handler(request, session)

        return guarded

    def action(
        self,
        handler: Callable[[Request, Session, dict[str, str]], Awaitable[Response]],
        *,
        writes: bool = True,
    ) -> Handler:
        """A form post: a session, its CSRF token, our own origin, and not read-only."""

        async def guarded(request: Request) -> Response:
            session = self.session(request)
            if session is None:
                return self.refuse(request, 401, "Not paired", "Open the pairing link again on this device.")
            origin = request.headers.get("origin")
            if origin is not None and origin not in self.config.origins:
                return self.refuse(request, 403, "Refused", "That form came from another site.")
            form = await _form(request)
            if form is None or not session.csrf_ok(form.get("csrf")):
                return self.refuse(
                    request, 403, "Refused", "That form has expired. Go back, reload the page and try again."
                )
            if writes and self.config.read_only:
                return self.refuse(
                    request, 403, "Look only", "This server was started to look only (--read-only)."
                )
            return await handler(request, session, form)

        return guarded

    # -- pairing ---------------------------------------------------------------------------

    async def pair_link(self, request: Request) -> Response:
        token = request.query_params.get("token")
        if token is None:
            return self.render(request, "pair.html.j2", status=401, error=None)
        return self._pair(request, token)

    async def pair_form(self, request: Request) -> Response:
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.config.origins:
            return self.refuse(request, 403, "Refused", "That form came from another site.")
        form = await _form(request) or {}
        return self._pair(request, form.get("code", "").strip())

    def _pair(self, request: Request, token: str) -> Response:
        try:
            session = self.config.pairing.pair(token)
        except TooManyAttempts as busy:
            response = self.render(
                request, "pair.html.j2", status=429,
                error=f"Too many wrong codes. Wait {busy.retry_after_s} seconds, then try again.",
            )  # fmt: skip
            response.headers["Retry-After"] = str(busy.retry_after_s)
            return response
        except PermissionError:
            return self.render(
                request, "pair.html.j2", status=403,
                error="That code did not work. Each link works once: use the newest one shown where "
                "cart runs.",
            )  # fmt: skip
        paired = RedirectResponse("/", status_code=303)
        paired.set_cookie(SESSION_COOKIE, session.key, httponly=True, samesite="strict", path="/")
        return paired

    # -- pages -----------------------------------------------------------------------------

    async def home(self, request: Request, session: Session) -> Response:
        saved = [int(part) for part in request.query_params.get("saved", "").split(",") if part.isdigit()]
        values = self._home(saved[:50])
        return self.render(request, "home.html.j2", **values)

    def _home(self, saved: Sequence[int]) -> dict[str, Any]:
        now = now_local()
        store = self.store(now)
        try:
            plan = store.plan() if store else None
            if store is not None and plan is not None:
                result, today = views.today(store, plan, now)
            else:
                result, today = views.check_now(store, plan, now), None
            stored = [entry for entry in (store.get(i) for i in saved) if entry] if store else []
        finally:
            if store is not None:
                store.close()
        return {
            "v": views.view_of(result, plan, now),
            "plan": plan,
            "today": today,
            "stored": views.described(stored, now),
            "readings": _readings(stored, plan, now),
            "tel": views.tel,
        }

    async def log_menu(self, request: Request, session: Session) -> Response:
        return self.render(request, "log.html.j2", forms=LOG_FORMS.values())

    async def log_page(self, request: Request, session: Session) -> Response:
        kind = request.path_params["kind"]
        if kind == "symptom":
            return self.render(request, "symptom.html.j2", **_symptom_values({}, None))
        form = LOG_FORMS.get(kind)
        if form is None:
            return self.refuse(request, 404, "Not found", "There is no such page.")
        return self.render(request, "form.html.j2", form=form, values={}, error=None)

    async def log_post(self, request: Request, session: Session, data: dict[str, str]) -> Response:
        kind = request.path_params["kind"]
        if kind == "symptom":
            build: Callable[[dict[str, str], datetime], list[Entry]] = _symptoms
        elif kind in LOG_FORMS:
            build = LOG_FORMS[kind].build
        else:
            return self.refuse(request, 404, "Not found", "There is no such page.")
        try:
            ids = self._store_entries(build, data)
        except CartError as error:
            if kind == "symptom":
                return self.render(
                    request, "symptom.html.j2", status=400, **_symptom_values(data, error.message)
                )
            return self.render(
                request, "form.html.j2", status=400, form=LOG_FORMS[kind], values=data, error=error.message
            )
        return RedirectResponse("/?" + urlencode({"saved": ",".join(map(str, ids))}), status_code=303)

    def _store_entries(
        self, build: Callable[[dict[str, str], datetime], list[Entry]], data: dict[str, str]
    ) -> list[int]:
        now = now_local()
        entries = build(data, now)
        with Store.open(self.config.db_path, now=now) as store:
            stored = store.add(entries, now)
        return [entry.id for entry in stored if entry.id is not None]

    # -- the guided nervous-system check ---------------------------------------------------

    async def neuro_page(self, request: Request, session: Session) -> Response:
        values = self._neuro_values({}, None)
        return self.render(request, "neuro.html.j2", **values)

    def _neuro_values(self, data: dict[str, str], error: str | None) -> dict[str, Any]:
        from cart_cli.neuro import ICE_PARTS, ICE_QUESTIONS, question_text, sentence_of

        now = now_local()
        store = self.store(now)
        try:
            plan = store.plan() if store else None
        finally:
            if store is not None:
                store.close()
        titles = {part.key: part.title for part in ICE_PARTS}
        questions = []
        for number, question in enumerate(ICE_QUESTIONS):
            ask, right = question_text(question, plan, now)
            questions.append({"n": number, "part": titles[question.part], "ask": ask, "right": right})
        return {"questions": questions, "sentence": sentence_of(plan), "values": data, "error": error}

    async def neuro_post(self, request: Request, session: Session, data: dict[str, str]) -> Response:
        from cart_cli.neuro import ICE_QUESTIONS, format_items, score_answers

        answers = [data.get(f"q{n}") for n in range(len(ICE_QUESTIONS))]
        handwriting = data.get("handwriting")
        if any(answer not in ("right", "wrong") for answer in answers) or handwriting not in (
            "same", "changed", "first", "skip",
        ):  # fmt: skip
            values = self._neuro_values(
                data,
                "Please answer every question (right or wrong) and the handwriting one.",
            )
            return self.render(request, "neuro.html.j2", status=400, **values)
        score, points = score_answers([answer == "right" for answer in answers])

        def build(_: dict[str, str], now: datetime) -> list[Entry]:
            entries = [Entry(kind="ice", recorded_at=now, score=score, items=format_items(points))]
            if handwriting != "skip":
                entries.append(Entry(kind="handwriting", recorded_at=now, handwriting=handwriting))
            return entries

        ids = self._store_entries(build, data)
        return RedirectResponse("/?" + urlencode({"saved": ",".join(map(str, ids))}), status_code=303)

    # -- history, delete and undo ------------------------------------------------------------

    async def history(self, request: Request, session: Session) -> Response:
        removed_key = request.query_params.get("removed")
        removed = session.deleted.get(removed_key) if removed_key else None
        values = self._history()
        now = now_local()
        return self.render(
            request, "history.html.j2", removed_key=removed_key if removed else None,
            removed=views.described([removed], now)[0] if removed else None,
            restored=request.query_params.get("restored"), **values,
        )  # fmt: skip

    def _history(self) -> dict[str, Any]:
        from cart_cli.timefmt import local_time

        now = now_local()
        store = self.store(now)
        try:
            entries = store.entries(limit=HISTORY_ROWS) if store else []
        finally:
            if store is not None:
                store.close()
        rows = [
            {
                "id": e.id,
                "uid": e.uid,
                "kind": e.kind,
                "what": e.describe(),
                "when": local_time(e.recorded_at, now),
            }
            for e in entries
        ]
        return {"rows": rows}

    async def delete(self, request: Request, session: Session, data: dict[str, str]) -> Response:
        import secrets

        number, uid = data.get("id", ""), data.get("uid", "")
        if not number.isdigit() or not uid:
            return self.refuse(request, 400, "Not removed", "That entry could not be found.")
        try:
            removed = self._delete(int(number), uid)
        except CartError as error:
            return self.refuse(request, 409, "Not removed", error.message)
        if removed is None:
            return self.refuse(request, 404, "Not removed", "That entry is no longer stored.")
        key = secrets.token_urlsafe(12)
        session.deleted[key] = removed
        while len(session.deleted) > MAX_UNDO:  # undo is for what was just removed
            session.deleted.pop(next(iter(session.deleted)))
        return RedirectResponse("/history?" + urlencode({"removed": key}), status_code=303)

    def _delete(self, number: int, uid: str) -> Entry | None:
        now = now_local()
        store = self.store(now)
        if store is None:
            return None
        with store:
            entry = store.get(number) if number < 2**63 else None
            if entry is None or entry.uid != uid:
                return None
            return store.delete(entry)

    async def restore(self, request: Request, session: Session, data: dict[str, str]) -> Response:
        entry = session.deleted.pop(data.get("key", ""), None)
        if entry is None:
            return self.refuse(
                request, 404, "Nothing to undo", "That entry was already put back, or never removed."
            )

        def build(_: dict[str, str], now: datetime) -> list[Entry]:
            return [replace(entry, id=None)]  # the same uid: an export or sync sees the same entry

        ids = self._store_entries(build, data)
        return RedirectResponse("/history?" + urlencode({"restored": ids[0]}), status_code=303)

    # -- reading pages ---------------------------------------------------------------------

    async def timeline(self, request: Request, session: Session) -> Response:
        values = self._timeline()
        return self.render(request, "timeline.html.j2", **values)

    def _timeline(self) -> dict[str, Any]:
        from cart_cli.schedule import describe_appointment, upcoming
        from cart_cli.timeline import build_timeline

        now = now_local()
        store = self.store(now)
        try:
            plan = store.plan() if store else None
            appointments = store.appointments() if store else []
            medicines = store.medicines() if store else []
            today = views.today(store, plan, now)[1] if store and plan else None
        finally:
            if store is not None:
                store.close()
        timeline = build_timeline(plan, now.date(), appointments) if plan else None
        coming = [
            describe_appointment(a, plan.day_of(a.starts_at) if plan else None, now)
            for a in upcoming(appointments, now)
        ]
        return {
            "plan": plan,
            "timeline": timeline,
            "appointments": coming,
            "medicines": medicines,
            "today": today,
        }

    async def report(self, request: Request, session: Session) -> Response:
        html = self._report()
        if html is None:
            return self.refuse(
                request, 404, "No report yet", "cart is not set up yet: there is nothing to report."
            )
        response = HTMLResponse(html)
        style = re.search(r"<style>(.*?)</style>", html, re.S)
        if style is not None:  # the report's own style sheet, allowed by its hash and nothing else
            digest = hashlib.sha256(style.group(1).encode()).digest()
            import base64

            response.headers["Content-Security-Policy"] = (
                f"{CSP}; style-src 'sha256-{base64.b64encode(digest).decode()}'"
            )
        return response

    def _report(self) -> str | None:
        from cart_cli.periods import report_entries
        from cart_cli.report import render_html
        from cart_cli.report.build import build_report, period_start
        from cart_cli.verdict import verdict_for

        now = now_local()
        store = self.store(now)
        if store is None:
            return None
        with store:
            plan = store.plan()
            if plan is None:
                return None
            start = period_start(plan, now.date())
            entries = report_entries(store, start, now)  # an entry dated after now counts as now
            verdict = verdict_for(store, plan, now)
            medicines = store.medicines(include_stopped=True)
        return render_html(build_report(entries, plan, now, start, verdict, medicines))

    async def style(self, request: Request) -> Response:
        return Response(_style_sheet(), media_type="text/css")

    async def no_icon(self, request: Request) -> Response:
        return Response(status_code=204)  # browsers ask for one; there is none


# -- the symptom form ------------------------------------------------------------------------

CHECKLIST_GROUPS = ("emergency", "neuro", "infection", "crs", "allergy", "bleeding")


def _symptom_values(data: dict[str, str], error: str | None) -> dict[str, Any]:
    from cart_cli.symptoms import GROUPS, by_group

    groups = by_group()
    checklist = [(GROUPS[group], groups[group]) for group in CHECKLIST_GROUPS]
    ticked = set(data.get("sign", "").split("\0"))
    return {"checklist": checklist, "ticked": ticked, "values": data, "error": error}


def _symptoms(form: dict[str, str], now: datetime) -> list[Entry]:
    """The ticked signs and the typed words, read exactly as `cart log symptom` reads them."""
    from cart_cli.errors import InvalidInput
    from cart_cli.parsing import parse_severity, parse_text
    from cart_cli.symptoms import by_name, symptom_entries

    when = _when(form, now)
    severity = parse_severity(form["severity"]) if form.get("severity") else None
    note = _note(form)
    entries: list[Entry] = []
    for name in filter(None, form.get("sign", "").split("\0")):
        try:
            by_name(name)
        except KeyError:
            raise InvalidInput("one of the ticked signs is not known; reload the page.") from None
        entries.append(Entry(kind="symptom", recorded_at=when, symptom=name, severity=severity, note=note))
    words = form.get("words", "")
    if words.strip():
        typed = parse_text(words, "words", 10 * MAX_OTHER_CHARS)
        entries += symptom_entries(typed, when, severity, note)
    if not entries:
        raise InvalidInput("tick a sign or describe what you see in your own words.")
    return entries


def _readings(stored: Sequence[Entry], plan: Plan | None, now: datetime) -> list[str]:
    """How cart read each symptom just stored, as `cart log symptom` says it."""
    from cart_cli.rules import symptom_level
    from cart_cli.signs import read_as

    lines = []
    for entry in stored:
        if entry.kind != "symptom":
            continue
        level = symptom_level(entry, plan, now).upper()
        if entry.symptom != "other":
            lines.append(f"{entry.describe()}: {level}")
        else:
            lines.append(f'Your own words "{entry.other}": {read_as(entry, level)}')
    return lines


def routes(config: ServeConfig) -> list[Route]:
    """The routes table."""
    pages = Pages(config)
    page, action = pages.page, pages.action
    return [
        Route("/", page(pages.home)),
        Route("/pair", pages.pair_link, methods=["GET"]),
        Route("/pair", pages.pair_form, methods=["POST"]),
        Route("/log", page(pages.log_menu)),
        Route("/log/{kind}", page(pages.log_page), methods=["GET"]),
        Route("/log/{kind}", action(pages.log_post), methods=["POST"]),
        Route("/neuro", page(pages.neuro_page), methods=["GET"]),
        Route("/neuro", action(pages.neuro_post), methods=["POST"]),
        Route("/history", page(pages.history)),
        Route("/history/delete", action(pages.delete), methods=["POST"]),
        Route("/history/restore", action(pages.restore), methods=["POST"]),
        Route("/timeline", page(pages.timeline)),
        Route("/report", page(pages.report)),
        Route("/static/app.css", pages.style),
        Route("/favicon.ico", pages.no_icon),
    ]
