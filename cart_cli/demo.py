"""Made-up data for `cart demo`: two weeks at home after an infusion, with one fever.

Pure and repeatable (a fixed random seed), relative to the ``now`` it is given, so the demo
always ends "today". Nothing here is ever written to the person's own database.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from cart_cli.models import Entry, Plan

DEMO_DAYS_SINCE_INFUSION = 24  # home from hospital on day 10, two weeks of readings since
DEMO_HOME_DAY = 10
FEVER_DAY = 19


def demo_data(now: datetime) -> tuple[Plan, list[Entry], datetime]:
    """The plan, the entries (oldest first), and the moment to run the demo's check: the
    evening of the fever, just after the last reading that day."""
    rng = random.Random(2026)
    infusion = now.date() - timedelta(days=DEMO_DAYS_SINCE_INFUSION)
    plan = Plan(
        infusion_date=infusion,
        hospital="Demo Haematology Day Unit",
        phone="01632 960 000",  # a UK number reserved for drama and examples
        diagnosis="lymphoma",
        home_since=infusion + timedelta(days=DEMO_HOME_DAY),  # the hospital stay is past
    )
    entries: list[Entry] = []

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        moment = datetime.combine(infusion + timedelta(days=day), time(hour, minute), tzinfo=now.tzinfo)
        return moment

    for day in range(DEMO_HOME_DAY, DEMO_DAYS_SINCE_INFUSION + 1):
        for hour in (8, 14, 21):
            moment = at(day, hour, rng.randint(0, 20))
            if moment > now:
                continue
            celsius = round(rng.uniform(36.4, 37.1), 1)
            if day == FEVER_DAY and hour == 14:
                celsius = 37.7
            if day == FEVER_DAY and hour == 21:
                celsius = 38.4
            entries.append(Entry(kind="temp", recorded_at=moment, celsius=celsius))
        morning = at(day, 9, 30)
        if morning <= now:
            tiredness = 6 if day < 14 else 4
            if day in (FEVER_DAY, FEVER_DAY + 1):
                tiredness = 7
            entries.append(Entry(kind="fatigue", recorded_at=morning, score=tiredness))
            entries.append(
                Entry(
                    kind="bp",
                    recorded_at=morning,
                    systolic=rng.randint(112, 126),
                    diastolic=rng.randint(70, 80),
                    pulse=rng.randint(72, 88),
                )
            )
            entries.append(Entry(kind="spo2", recorded_at=morning, spo2=rng.randint(96, 99)))
        for hour in (12, 18):
            moment = at(day, hour)
            if moment <= now:
                entries.append(
                    Entry(kind="fluids", recorded_at=moment, litres=round(rng.uniform(0.8, 1.3), 1))
                )
    entries.append(
        Entry(
            kind="symptom",
            recorded_at=at(FEVER_DAY, 21, 25),
            symptom="shivering",
            severity="moderate",
        )
    )
    fever_evening = max(e.recorded_at for e in entries if plan.day_of(e.recorded_at) == FEVER_DAY)
    check_at = fever_evening + timedelta(minutes=5)
    # The call to the ward comes after the moment the demo's check is shown, so the demo shows
    # the red screen as it looked before the call; history lists the call.
    entries.append(
        Entry(
            kind="call",
            recorded_at=check_at + timedelta(minutes=10),
            outcome="ward said come in for antibiotics",
        )
    )
    entries.sort(key=lambda entry: entry.recorded_at)
    return plan, entries, check_at
