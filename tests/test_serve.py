"""`cart serve` in-process, through Starlette's test client: pairing, sessions, CSRF, the Host
check, the rate limit, look-only mode, and every form storing what the CLI would store.

The real server, in a real browser, is tested in test_serve_browser.py.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cart_cli.web.app import ServeConfig, build_app
from cart_cli.web.auth import MAX_FAILED_PAIRINGS, Pairing, TooManyAttempts

HOST = "testserver"
PHONE = "01632 960 111"


def make(db: Path, *, read_only: bool = False) -> tuple[TestClient, ServeConfig]:
    config = ServeConfig(db_path=db, port=80, hosts=frozenset({HOST}), read_only=read_only)
    return TestClient(build_app(config), base_url=f"http://{HOST}"), config


def paired(db: Path, *, read_only: bool = False) -> tuple[TestClient, ServeConfig]:
    client, config = make(db, read_only=read_only)
    answer = client.get(f"/pair?token={config.pairing.token}", follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client, config


def csrf(client: TestClient, page: str = "/log/temp") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert found, page
    return found.group(1)


def text_of(html: str) -> str:
    """The page's text, tags taken out and spaces collapsed (for phrase checks)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&#34;", '"').split())


@pytest.fixture
def setup_db(cart, db_path) -> Path:
    infusion = date.today() - timedelta(days=10)
    assert cart("setup", "--infusion-date", infusion.isoformat(), "--phone", PHONE).code == 0
    return db_path


# -- who may connect -------------------------------------------------------------------------


def test_a_page_without_a_session_is_refused(setup_db):
    client, _ = make(setup_db)
    answer = client.get("/")
    assert answer.status_code == 401
    assert "Pair this device" in answer.text
    assert PHONE not in answer.text  # no health data before pairing
    assert client.get("/history").status_code == 401
    assert client.get("/report").status_code == 401


def test_pairing_sets_a_strict_httponly_cookie_and_the_link_works_once(setup_db):
    client, config = make(setup_db)
    token = config.pairing.token
    answer = client.get(f"/pair?token={token}", follow_redirects=False)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/").status_code == 200
    other, _ = make(setup_db)
    other.app = client.app  # the same server, a second browser
    assert other.get(f"/pair?token={token}", follow_redirects=False).status_code == 403
    assert config.pairing.token != token  # a fresh link for the next device


def test_a_foreign_host_header_is_refused(setup_db):
    client, _ = paired(setup_db)
    answer = client.get("/", headers={"Host": "attacker.example:80"})
    assert answer.status_code == 421
    assert PHONE not in answer.text
    assert client.get("/").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(setup_db, db_path):
    client, _ = paired(setup_db)
    answer = client.post("/log/temp", data={"value": "38.4"})
    assert answer.status_code == 403
    answer = client.post("/log/temp", data={"value": "38.4", "csrf": "guess"})
    assert answer.status_code == 403
    token = csrf(client)
    answer = client.post(
        "/log/temp", data={"value": "38.4", "csrf": token}, headers={"Origin": "http://attacker.example"}
    )
    assert answer.status_code == 403
    assert "38.4" not in client.get("/history").text  # nothing was stored


def test_wrong_pairing_codes_are_rate_limited():
    clock = [0.0]
    pairing = Pairing(clock=lambda: clock[0])
    for _ in range(MAX_FAILED_PAIRINGS):
        with pytest.raises(PermissionError):
            pairing.pair("wrong")
    with pytest.raises(TooManyAttempts):
        pairing.pair("wrong")
    with pytest.raises(TooManyAttempts):  # even the right one waits: guessing gains nothing
        pairing.pair(pairing.token)
    clock[0] += 61
    assert pairing.pair(pairing.token).csrf


def test_the_server_refuses_quick_guesses_with_429(setup_db):
    client, config = make(setup_db)
    codes = [
        client.post("/pair", data={"code": f"guess{n}"}).status_code for n in range(MAX_FAILED_PAIRINGS + 2)
    ]
    assert codes[:MAX_FAILED_PAIRINGS] == [403] * MAX_FAILED_PAIRINGS
    assert codes[MAX_FAILED_PAIRINGS:] == [429, 429]
    assert client.get(f"/pair?token={config.pairing.token}", follow_redirects=False).status_code == 429


def test_every_answer_carries_the_security_headers(setup_db):
    client, _ = paired(setup_db)
    for page in ("/", "/log/temp", "/history", "/static/app.css"):
        headers = client.get(page).headers
        assert headers["content-security-policy"].startswith("default-src 'self'"), page
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"  # no-referrer would make forms send Origin: null


# -- the home page and logging ---------------------------------------------------------------


def test_home_shows_the_check_as_the_cli_gives_it(setup_db, cart):
    assert cart("log", "temp", "37.6").code == 0
    level = json.loads(cart("check", "--json").out)
    client, _ = paired(setup_db)
    page = text_of(client.get("/").text)
    assert level["headline"] in page
    assert level["level"].upper() in page
    assert 'href="tel:01632960111"' in client.get("/").text
    assert 'href="tel:999"' in client.get("/").text


def test_logging_38_4_shows_red_with_the_team_number(setup_db, cart):
    client, _ = paired(setup_db)
    answer = client.post("/log/temp", data={"value": "38.4", "csrf": csrf(client)}, follow_redirects=False)
    assert answer.status_code == 303  # post-redirect-get
    page = client.get(answer.headers["location"])
    words = text_of(page.text)
    assert "Saved: 38.4 °C" in words
    assert "RED" in words and "CALL YOUR HOSPITAL TEAM NOW" in words
    assert 'href="tel:01632960111"' in page.text
    assert json.loads(cart("check", "--json").out)["level"] == "red"  # the CLI sees it too


def test_ticking_hard_to_wake_says_call_999(setup_db, cart):
    client, _ = paired(setup_db)
    answer = client.post(
        "/log/symptom", data={"sign": "very hard to wake", "csrf": csrf(client, "/log/symptom")}
    )
    words = text_of(answer.text)
    assert "CALL 999" in words
    assert 'href="tel:999"' in answer.text
    assert json.loads(cart("check", "--json").out)["level"] == "emergency"


@pytest.mark.parametrize("typed", ["can't get any sense out of him", "a bit of a cough", "feels odd"])
def test_free_text_is_read_as_the_cli_reads_it(setup_db, cart, db_path, typed, tmp_path):
    """The same words through the form and through `cart log symptom` give the same check."""
    client, _ = paired(setup_db)
    client.post("/log/symptom", data={"words": typed, "csrf": csrf(client, "/log/symptom")})
    web = json.loads(cart("check", "--json").out)
    twin = tmp_path / "cli.db"
    infusion = (date.today() - timedelta(days=10)).isoformat()
    assert cart("--db", str(twin), "setup", "--infusion-date", infusion, "--phone", PHONE).code == 0
    assert cart("--db", str(twin), "log", "symptom", typed).code == 0
    cli = json.loads(cart("--db", str(twin), "check", "--json").out)
    assert (web["level"], web["headline"]) == (cli["level"], cli["headline"])
    assert [f["rule"] for f in web["findings"]] == [f["rule"] for f in cli["findings"]]


def test_a_bad_reading_is_refused_with_the_form_kept(setup_db, db_path):
    from helpers import entry_count

    client, _ = paired(setup_db)
    answer = client.post("/log/temp", data={"value": "hot", "csrf": csrf(client)})
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text and 'value="hot"' in answer.text
    assert entry_count(db_path) == 0


@pytest.mark.parametrize(
    ("kind", "form", "stored"),
    [
        ("bp", {"systolic": "118", "diastolic": "76", "pulse": "88"}, "118/76"),
        ("pulse", {"value": "104"}, "104"),
        ("spo2", {"value": "95"}, "95%"),
        ("breaths", {"value": "18"}, "breathing 18 a minute"),
        ("fatigue", {"value": "6"}, "6"),
        ("fluids", {"value": "500ml"}, "0.5"),
        ("med", {"value": "aciclovir 400mg"}, "aciclovir"),
        ("call", {"outcome": "ward said stay home"}, "ward said stay home"),
    ],
)
def test_each_log_form_stores_its_entry(setup_db, cart, kind, form, stored):
    client, _ = paired(setup_db)
    answer = client.post(f"/log/{kind}", data={**form, "csrf": csrf(client, f"/log/{kind}")})
    assert answer.status_code == 200
    assert "Saved:" in text_of(answer.text)
    rows = json.loads(cart("history", "--json").out)
    assert len(rows) == 1 and rows[0]["kind"] == kind
    assert stored in cart("history").out


def test_a_call_with_a_re_check_is_stored_as_cart_log_call_stores_it(setup_db, cart):
    client, _ = paired(setup_db)
    token = csrf(client, "/log/call")
    answer = client.post(
        "/log/call", data={"outcome": "stay home", "recheck": "in 30 minutes", "csrf": token}
    )
    assert answer.status_code == 200
    rows = json.loads(cart("history", "--json").out)
    assert [(r["kind"], r["outcome"], r["recheck_minutes"]) for r in rows] == [("call", "stay home", 30)]
    bad = client.post("/log/call", data={"outcome": "x", "recheck": "whenever", "csrf": token})
    assert bad.status_code == 400 and 'role="alert"' in bad.text


def test_delete_and_undo(setup_db, cart):
    client, _ = paired(setup_db)
    client.post("/log/temp", data={"value": "37.1", "csrf": csrf(client)})
    history = client.get("/history").text
    entry_id = re.search(r'name="id" value="(\d+)"', history).group(1)
    uid = re.search(r'name="uid" value="([^"]+)"', history).group(1)
    token = csrf(client, "/history")
    answer = client.post("/history/delete", data={"id": entry_id, "uid": uid, "csrf": token})
    assert "Removed: 37.1 °C" in text_of(answer.text)
    assert json.loads(cart("history", "--json").out) == []
    key = re.search(r'name="key" value="([^"]+)"', answer.text).group(1)
    answer = client.post("/history/restore", data={"key": key, "csrf": token})
    assert "Put back" in answer.text
    rows = json.loads(cart("history", "--json").out)
    assert [(r["kind"], r["celsius"], r["uid"]) for r in rows] == [("temp", 37.1, uid)]
    again = client.post("/history/restore", data={"key": key, "csrf": token})
    assert again.status_code == 404  # undo puts it back once


def test_the_guided_check_stores_what_cart_neuro_stores(setup_db, cart):
    client, _ = paired(setup_db)
    token = csrf(client, "/neuro")
    answers = {f"q{n}": "right" for n in range(10)}
    answers["q9"] = "wrong"
    incomplete = client.post("/neuro", data={"q0": "right", "handwriting": "same", "csrf": token})
    assert incomplete.status_code == 400
    answer = client.post("/neuro", data={**answers, "handwriting": "same", "csrf": token})
    assert answer.status_code == 200
    rows = json.loads(cart("history", "--json").out)
    ice = next(r for r in rows if r["kind"] == "ice")
    assert ice["score"] == 9
    assert ice["items"] == "orientation=4,naming=3,command=1,writing=1,counting=0"
    assert any(r["kind"] == "handwriting" and r["handwriting"] == "same" for r in rows)
    check = json.loads(cart("check", "--json").out)
    assert check["level"] == "red"  # within 8 weeks, any score below 10 is red
    assert "RED" in text_of(answer.text)


def test_read_only_shows_but_never_stores(setup_db, db_path):
    from helpers import entry_count

    client, _ = paired(setup_db, read_only=True)
    home = client.get("/")
    assert home.status_code == 200 and "/log/temp" not in home.text
    token = re.search(r'name="csrf" value="([^"]*)"', client.get("/history").text)
    answer = client.post("/log/temp", data={"value": "38.4", "csrf": token.group(1) if token else ""})
    assert answer.status_code == 403
    assert entry_count(db_path) == 0


def test_the_report_is_the_same_template_with_its_style_allowed_by_hash(setup_db, cart):
    client, _ = paired(setup_db)
    cart("log", "temp", "37.2")
    answer = client.get("/report")
    assert answer.status_code == 200
    assert "<svg" in answer.text
    policy = answer.headers["content-security-policy"]
    assert policy.startswith("default-src 'self'") and "style-src 'sha256-" in policy
    assert "unsafe-inline" not in policy


def test_the_timeline_page_lists_the_milestones(setup_db):
    client, _ = paired(setup_db)
    page = text_of(client.get("/timeline").text)
    assert "Day 10 since the infusion" in page


# -- the command --------------------------------------------------------------------------------


def test_a_port_in_use_is_one_clear_line(cart):
    import socket

    from helpers import assert_one_line_error

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        result = cart("serve", "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert_one_line_error(result, 1)
    assert "already in use" in result.err


@pytest.mark.parametrize("lan", [False, True])
def test_who_may_connect_is_said_and_enforced(monkeypatch, capsys, db_path, lan):
    """Without --lan it listens on 127.0.0.1 only; with --lan on the home-network address
    (here a stand-in on the loopback range), with a QR code of the one-time link and a line
    saying who may connect. Either way only its own address is accepted as Host."""
    import uvicorn

    from cart_cli.web import server

    started = []
    monkeypatch.setattr(server, "lan_address", lambda: "127.0.0.2")
    monkeypatch.setattr(
        uvicorn.Server,
        "run",
        lambda self, sockets: started.append((self.config, sockets[0].getsockname())),
    )
    lines: list[str] = []
    server.serve(db_path, 0, lan=lan, read_only=False, open_browser=False, say=lines.append)
    config, (host, port) = started[0]
    assert host == ("127.0.0.2" if lan else "127.0.0.1")
    assert config.app.hosts == ({f"127.0.0.2:{port}"} if lan else {f"127.0.0.1:{port}", f"localhost:{port}"})
    assert config.access_log is False  # no URL (and no health data) in a log
    text = "\n".join(lines)
    assert f"http://{host}:{port}/pair?token=" in text
    printed = capsys.readouterr().out
    if lan:
        assert "Anyone on this network" in text
        assert "█" in printed or "▀" in printed  # the QR code, drawn in the terminal
    else:
        assert "Only this computer can connect" in text
        assert printed == ""


def test_home_shows_todays_doses_and_what_comes_next_as_the_dashboard_does(setup_db, cart):
    assert cart("med", "add", "aciclovir", "--dose", "400 mg", "--times", "23:59").code == 0
    client, _ = paired(setup_db)
    page = text_of(client.get("/").text)
    assert "aciclovir 400 mg: 23:59" in page  # (a dose time before it was added is never due)
    dashboard = cart().out  # `cart` alone: the dashboard names the same next milestone
    next_line = next(line for line in dashboard.splitlines() if "Next:" in line)
    title = next_line.split("Next:")[1].split(",")[0].split(" on ")[0].strip()
    assert f"Next: {title}" in page
