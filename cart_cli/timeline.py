"""Recovery milestones counted from the infusion day, and what applies on a given day.

Day 0 is the infusion date in the plan. Milestones measured in days (hospital stay, the
8-week side-effect window, driving) count days; follow-ups measured in months use calendar
months, so three months after 30 November is the end of February, and a year after
29 February is 28 February.

Everything here is a pure function of the plan and ``today``: nothing reads the clock.
Facts come from docs/clinical-basis.md (section 5: the seed page and references T1-T18); each
milestone names its source. The sentences are our own words, and every schedule points back to
the hospital team, because schedules vary by hospital.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from cart_cli.models import DEFAULT_NO_DRIVING_WEEKS, US_NO_DRIVING_WEEKS, Appointment, Plan
from cart_cli.thresholds import NEURO_WINDOW_DAYS, NEURO_WINDOW_WEEKS
from cart_cli.timefmt import format_date, plural  # format_date is also part of this API

# Day counts from the seed page (and the clinical reference where it adds something).
USUAL_STAY_FIRST_DAY = 10  # seed: hospital stay about 10-14 days
USUAL_STAY_LAST_DAY = 14
LATEST_STAY_DAY = 28  # seed: up to 28 days if discharge conditions are not met
NEURO_RISK_MOSTLY_OVER_DAY = 28  # seed: neurological problems usually within 28 days; T5
FIRST_CHECKUP_DAY = 30  # seed: check-up around 30 days after infusion
SIDE_EFFECT_WINDOW_DAYS = NEURO_WINDOW_DAYS  # seed: some side effects up to eight weeks later
STAY_CLOSE_WITH_CARER_LAST_DAY = 28  # seed discharge conditions; T7: UK leaflets say 4 weeks
TEST_BEFORE_3_MONTHS_WINDOW_DAYS = 14  # our choice: "before" the 3-month visit, shown as 2 weeks
LONG_TERM_FOLLOW_UP_YEARS = 15  # docs/clinical-basis.md T9
HOSPITAL_STAY_MILESTONES = ("hospital_stay_usual_end", "hospital_stay_latest")  # past once home
HOME_QUESTION_AFTER_DAY = 7  # `cart log` asks whether the person is home from day 8 on


class Milestone(NamedTuple):
    """One point (or, with ``end_date``, a stretch of days) in the recovery schedule."""

    id: str
    title: str
    date: dt.date  # dt.: the field name shadows the type inside the class
    day: int
    detail: str
    source: str
    end_date: dt.date | None = None
    end_day: int | None = None
    own: bool = False  # one of the person's own appointments (`cart appt add`)
    starts_at: datetime | None = None  # an appointment's time (local)
    where: str | None = None
    replaces: str | None = None  # the generic milestone an appointment stands for
    approximate: bool = False  # a date the team sets: shown as "around", moved off weekends
    done: bool = False  # already behind the person whatever the date (the stay, once home)


class MilestoneStatus(NamedTuple):
    """A milestone seen from ``today``: "past", "today", "next" or "upcoming"."""

    milestone: Milestone
    status: str


class Timeline(NamedTuple):
    """The schedule seen from one day: where the person is and what comes next."""

    infusion_date: date
    today: date
    day: int
    milestones: tuple[MilestoneStatus, ...]
    next: MilestoneStatus | None
    days_to_next: int | None
    now_applies: tuple[str, ...]
    replaced: tuple[str, ...] = ()  # generic milestones hidden by the person's appointments
    product: str | None = None  # the CAR-T product as shown ("Yescarta (axicabtagene ciloleucel)")


def _add_months(start: date, months: int) -> date:
    """``start`` plus calendar months, landing on the month's last day when it is shorter
    (as dateutil's ``relativedelta(months=...)`` does, without its import at every start)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return date(year, month + 1, min(start.day, last_day))


def _test_before_3_months(diagnosis: str | None) -> tuple[str, str]:
    """Title and detail of the test before the 3-month follow-up, by diagnosis (seed)."""
    if diagnosis == "lymphoma":
        return (
            "PET scan before the 3-month follow-up",
            "For lymphoma, a PET scan is usually done in the weeks before the 3-month visit; "
            "your team books the date.",
        )
    if diagnosis == "all":
        return (
            "Bone marrow biopsy before the 3-month follow-up",
            "For ALL, a bone marrow biopsy is usually done in the weeks before the 3-month "
            "visit; your team books the date.",
        )
    return (
        "Tests before the 3-month follow-up",
        "Your team may ask for scans or other tests in the weeks before the 3-month visit; "
        "they will tell you which ones and when.",
    )


def milestones(plan: Plan, until: date) -> tuple[Milestone, ...]:
    """The recovery milestones for ``plan``, sorted by date.

    Yearly follow-ups after the first year are listed up to and including the first one
    after ``until``, so the next yearly visit is always there however long ago the
    infusion was.
    """
    infusion = plan.infusion_date
    result: list[Milestone] = []

    home = plan.home_since

    def add(
        id: str,
        title: str,
        when: date,
        detail: str,
        source: str,
        end: date | None = None,
        approximate: bool = False,
    ) -> None:
        if approximate and end is None:  # clinics and scans are booked on weekdays
            when = weekday_near(when)
        elif approximate and end is not None:  # a range keeps within itself: Mon to Fri
            when = when + timedelta(days={5: 2, 6: 1}.get(when.weekday(), 0))
            end = end - timedelta(days={5: 1, 6: 2}.get(end.weekday(), 0))
        result.append(
            Milestone(
                id=id,
                title=title,
                date=when,
                day=(when - infusion).days,
                detail=detail,
                source=source,
                end_date=end,
                end_day=(end - infusion).days if end is not None else None,
                approximate=approximate,
                done=home is not None and id in HOSPITAL_STAY_MILESTONES,
            )
        )

    def on_day(day: int) -> date:
        return infusion + timedelta(days=day)

    add(
        "infusion",
        "Infusion day",
        infusion,
        "Day 0: the day you get your CAR T-cells. Every day number counts from here.",
        "plan: infusion date",
    )
    add(
        "hospital_stay_usual_end",
        "Usual end of the hospital stay",
        on_day(USUAL_STAY_FIRST_DAY),
        "Most people go home somewhere between day 10 and day 14, once side effects have "
        "settled, they live close enough to the hospital and someone can look after them.",
        "seed, time in hospital (docs/clinical-basis.md S1)",
        end=on_day(USUAL_STAY_LAST_DAY),
        approximate=True,
    )
    add(
        "hospital_stay_latest",
        "Latest end of the hospital stay",
        on_day(LATEST_STAY_DAY),
        "If the conditions for going home are not met sooner, the stay can last until about day 28.",
        "seed, time in hospital (docs/clinical-basis.md S1)",
        approximate=True,
    )
    if home is not None:
        add(
            "home",
            "Home from the hospital",
            home,
            "The day you came home (your set-up). The hospital-stay milestones are behind you.",
            "plan: home since",
        )
    add(
        "neuro_risk_mostly_over",
        "Most of the risk of nerve and brain side effects has passed",
        on_day(NEURO_RISK_MOSTLY_OVER_DAY),
        "Confusion, shaking, headaches or trouble speaking usually start before day 28 if "
        "they happen at all. A small risk remains until week 8, so still report any of them "
        "straight away.",
        "seed, nervous-system side effects (docs/clinical-basis.md S5, T5)",
    )
    add(
        "first_checkup",
        "First check-up (PET scan or bone marrow biopsy)",
        on_day(FIRST_CHECKUP_DAY),
        "Around day 30 your team checks how the cancer is responding, often with a PET scan "
        "or a bone marrow biopsy.",
        "seed, follow-up (docs/clinical-basis.md S11)",
        approximate=True,
    )
    add(
        "side_effect_window_closes",
        f"End of the {NEURO_WINDOW_WEEKS}-week window for late side effects",
        on_day(SIDE_EFFECT_WINDOW_DAYS),
        f"Most side effects come early, but some can appear up to {NEURO_WINDOW_WEEKS} weeks after the "
        "infusion. After this the risk of infection is what matters most.",
        "seed, when side effects come (docs/clinical-basis.md S3, T5)",
    )
    driving_weeks = plan.no_driving_weeks
    add(
        "driving_allowed",
        "Driving allowed again",
        on_day(driving_weeks * 7),
        f"Your plan says no driving for {driving_weeks} weeks after the infusion (UK advice "
        f"is {DEFAULT_NO_DRIVING_WEEKS} weeks, the 2025 US label {US_NO_DRIVING_WEEKS}). "
        "Check with your team before you drive.",
        "seed, driving (docs/clinical-basis.md S6, T7)",
    )
    three_months = _add_months(infusion, 3)
    test_title, test_detail = _test_before_3_months(plan.diagnosis)
    add(
        "test_before_3_months",
        test_title,
        three_months - timedelta(days=TEST_BEFORE_3_MONTHS_WINDOW_DAYS),
        test_detail,
        "seed, follow-up (docs/clinical-basis.md S11)",
        end=three_months - timedelta(days=1),
        approximate=True,
    )
    add(
        "followup_3_months",
        "3-month follow-up",
        three_months,
        "A check on how your recovery and the treatment are going.",
        "seed, follow-up (docs/clinical-basis.md S11)",
        approximate=True,
    )
    add(
        "ask_about_vaccines",
        "Ask about redoing your vaccinations",
        three_months,
        "Vaccines you had as a child may need to be given again. Non-live vaccines often "
        "restart from about 3 to 6 months; live vaccines wait at least 12 months and need "
        "your team's go-ahead.",
        "seed, vaccines (docs/clinical-basis.md S14, T8)",
    )
    six_months = _add_months(infusion, 6)
    add(
        "followup_6_months",
        "6-month follow-up",
        six_months,
        "Another check on your recovery.",
        "seed, follow-up (docs/clinical-basis.md S11)",
        approximate=True,
    )
    add(
        "back_to_work_or_school",
        "Usual time to go back to work or school",
        six_months,
        "About 6 months is the usual advice, sooner for some people (for example working "
        "from home or part-time). Your team can help you decide.",
        "seed, work or school (docs/clinical-basis.md S15)",
    )
    add(
        "followup_1_year",
        "1-year follow-up",
        _add_months(infusion, 12),
        "From here, follow-ups are usually once a year.",
        "seed, follow-up (docs/clinical-basis.md S11)",
        approximate=True,
    )
    # Yearly from year 2 on, until the first anniversary after `until` is in the list.
    year = 2
    while _add_months(infusion, 12 * (year - 1)) <= until:
        add(
            f"followup_year_{year}",
            f"Year {year} follow-up",
            _add_months(infusion, 12 * year),
            "Yearly check-up. Long-term follow-up after CAR T-cell therapy can go on for up "
            f"to {LONG_TERM_FOLLOW_UP_YEARS} years.",
            "seed, follow-up (docs/clinical-basis.md S11, T9)",
            approximate=True,
        )
        year += 1

    # A stable sort keeps the order above for milestones on the same date.
    result.sort(key=lambda milestone: milestone.date)
    return tuple(result)


def weekday_near(day: date) -> date:
    """The nearest weekday: a Saturday moves to the Friday, a Sunday to the Monday."""
    shift = {5: -1, 6: 1}.get(day.weekday(), 0)
    return day + timedelta(days=shift)


def when_text(milestone: Milestone) -> str:
    """The date as shown: "Fri 4 Dec 2026", "around Fri 4 Dec 2026", a range "around Mon 7
    Dec 2026 to Fri 11 Dec 2026", an appointment with its time."""
    if milestone.starts_at is not None:
        return f"{format_date(milestone.date)} {milestone.starts_at:%H:%M}"
    text = format_date(milestone.date)
    if milestone.end_date is not None:
        text += f" to {format_date(milestone.end_date)}"
    return f"around {text}" if milestone.approximate else text


def _status(milestone: Milestone, today: date) -> str:
    """ "past", "today" (on the day, or inside a range) or "upcoming"."""
    if milestone.done:
        return "past"
    last = milestone.end_date or milestone.date
    if last < today:
        return "past"
    if milestone.date <= today:
        return "today"
    return "upcoming"


def _now_applies(plan: Plan, today: date) -> tuple[str, ...]:
    """What applies on ``today``, in plain words, most pressing first."""
    day = plan.day_of(today)
    driving_from = plan.infusion_date + timedelta(days=plan.no_driving_weeks * 7)
    stay_close_until = plan.infusion_date + timedelta(days=STAY_CLOSE_WITH_CARER_LAST_DAY)
    one_year = _add_months(plan.infusion_date, 12)

    if day < 0:
        until_infusion = -day
        return (
            f"Day counting starts on your infusion day, {format_date(plan.infusion_date)}: "
            f"{plural(until_infusion, 'day')} from now.",
            f"Plan ahead: no driving from the infusion until {format_date(driving_from)} "
            f"({plan.no_driving_weeks} weeks).",
            "Plan ahead: for the first 4 weeks after the infusion you will need to stay "
            "within the distance your team asks and have a carer with you.",
        )

    lines = []
    if today < driving_from:
        lines.append(
            f"No driving until {format_date(driving_from)} (day {plan.no_driving_weeks * 7}), "
            "and only then if your team agrees."
        )
    if day <= STAY_CLOSE_WITH_CARER_LAST_DAY:
        lines.append(
            "Stay within the distance from the hospital that your team asked, and keep a "
            f"carer with you, at least until {format_date(stay_close_until)} (day "
            f"{STAY_CLOSE_WITH_CARER_LAST_DAY}), or longer if your team says so."
        )
    if today < one_year:
        lines.append(
            "Keep taking your infection-preventing medicines (antivirals, antifungals, "
            "antibiotics) exactly as prescribed. This often lasts a few months: stop only "
            "when your team tells you to."
        )
    lines.append("Protect your skin from the sun: sunscreen SPF 30 or higher, a hat and sunglasses.")
    if today < one_year:
        lines.append("Aim to drink 2 to 3 litres of fluids a day.")
        lines.append(
            "Keep activity small to begin with, such as a 5 to 10 minute walk, and add a "
            "little more each day."
        )
    return tuple(lines)


def appointment_milestones(plan: Plan, appointments: Sequence[Appointment]) -> tuple[Milestone, ...]:
    """The person's own appointments as timeline items (id ``appt-N``), on their local date."""
    items = []
    for appointment in appointments:
        start = appointment.starts_at
        detail = f"Your own appointment at {start:%H:%M}"
        detail += f", {appointment.where}." if appointment.where else "."
        if appointment.note:
            detail += f" Note: {appointment.note}"
        items.append(
            Milestone(
                id=f"appt-{appointment.id}",
                title=appointment.title,
                date=start.date(),
                day=plan.day_of(start),
                detail=detail,
                source="your own appointment (cart appt)",
                own=True,
                starts_at=start,
                where=appointment.where,
                replaces=appointment.replaces,
            )
        )
    return tuple(items)


def merged(plan: Plan, today: date, appointments: Sequence[Appointment] = ()) -> tuple[Milestone, ...]:
    """Milestones and the person's appointments by date (on one date: the generic ones
    first, then appointments by time), without the milestones an appointment replaces."""
    hidden = {a.replaces for a in appointments if a.replaces}
    generic = [m for m in milestones(plan, until=today) if m.id not in hidden]
    own = appointment_milestones(plan, appointments)
    return tuple(
        sorted(
            [*generic, *own],
            key=lambda m: (m.date, m.own, m.starts_at.timestamp() if m.starts_at else 0.0),
        )
    )


def next_item(plan: Plan, today: date, appointments: Sequence[Appointment] = ()) -> Milestone | None:
    """The next milestone or appointment after ``today``: what the timeline, the dashboard and
    the report all name as "next" (they all read it from ``build_timeline``)."""
    upcoming = build_timeline(plan, today, appointments).next
    return upcoming.milestone if upcoming else None


def build_timeline(plan: Plan, today: date, appointments: Sequence[Appointment] = ()) -> Timeline:
    """The milestones (and the person's own appointments) seen from ``today``, the next
    one, and what applies now."""
    statuses = []
    next_status: MilestoneStatus | None = None
    for milestone in merged(plan, today, appointments):
        status = _status(milestone, today)
        if status == "upcoming" and next_status is None:
            # Only one milestone is "next", even when others share its date.
            next_status = MilestoneStatus(milestone, "next")
            statuses.append(next_status)
        else:
            statuses.append(MilestoneStatus(milestone, status))
    return Timeline(
        infusion_date=plan.infusion_date,
        today=today,
        day=plan.day_of(today),
        milestones=tuple(statuses),
        next=next_status,
        days_to_next=(next_status.milestone.date - today).days if next_status else None,
        now_applies=_now_applies(plan, today),
        replaced=tuple(sorted({a.replaces for a in appointments if a.replaces})),
        product=_product_shown(plan),
    )


def _product_shown(plan: Plan) -> str | None:
    if plan.product is None:  # most plans: no need to load the product table
        return None
    from cart_cli.products import product_named

    product = product_named(plan.product)
    return product.shown if product else None
