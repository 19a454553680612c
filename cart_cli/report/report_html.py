"""The clinic report's HTML, generated from templates/report.html.j2 by
``python -m cart_cli.report.compile_template``: do not edit; change the template and run that.

Plain Python that imports nothing at run time, so `cart report` starts without Jinja2. Escaping is Jinja2's
(markupsafe's): & < > ' " in every value, except the charts' markup, which is made by
``report.svg`` with every text in it escaped (the template's ``|safe``).
"""

# fmt: off
# ruff: noqa
# mypy: ignore-errors
# (generated: the checks are on the template, by tests/test_report_template.py)

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cart_cli.report.build import Report

TEMPLATE_SHA256 = "4e9160b8c916b44bf506c6b8ed8fcdedb8c5adb9bd4c7ed2cf109a6e7afbe43c"


class _Safe(str):
    """Text that is already HTML (the template's ``|safe``)."""

    __slots__ = ()


def _s(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _e(value: object) -> str:
    if isinstance(value, _Safe):
        return value
    text = value if isinstance(value, str) else str(value)
    return (
        text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
        .replace("'", "&#39;").replace('"', "&#34;")
    )


def _cat(*parts: object) -> str:
    if any(isinstance(part, _Safe) for part in parts):
        return _Safe("".join(_e(part) for part in parts))
    return "".join(_s(part) for part in parts)


def _join(value: Iterable[object], separator: object) -> str:
    items = list(value)
    if any(isinstance(item, _Safe) for item in items):
        return _Safe(_e(separator).join(_e(item) for item in items))
    return _s(separator).join(_s(item) for item in items)


def render(r: Report) -> str:
    """The report page for ``r`` (a ``report.build.Report``)."""
    out = []
    w = out.append
    w('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    w('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n<title>cart report: day ')
    w(_e(r.day_number))
    w(', ')
    w(_e(r.period))
    w('</title>\n<style>\n  :root { --red: #b3261e; --amber: #a15c00; --ink: #1b1b1b; --muted: #5f6368; --line: #d0d4d9; }\n  * { box-sizing: border-box; }\n  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;\n         color: var(--ink); background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.2rem; }\n  h1 { font-size: 1.5rem; margin: 0 0 .2rem; }\n  h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid var(--ink); padding-bottom: .15rem; }\n  h3 { font-size: 1rem; margin: 1rem 0 .3rem; }\n  .muted { color: var(--muted); }\n  dl.header { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }\n  dl.header dt { font-weight: 600; }\n  dl.header dd { margin: 0; }\n  .summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr)); gap: .6rem; margin: .6rem 0; }\n  .summary div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; }\n  .summary b { display: block; font-size: 1.35rem; }\n  table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; font-size: .9rem; }\n  th, td { border: 1px solid var(--line); padding: .2rem .4rem; text-align: left; vertical-align: top; }\n  th { background: #f1f3f4; }\n  td.note { white-space: pre-wrap; overflow-wrap: anywhere; }\n  .level-red, .level-emergency { color: var(--red); font-weight: 700; }\n  .level-amber { color: var(--amber); font-weight: 700; }\n  figure { margin: .4rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }\n  figcaption { font-weight: 600; margin-bottom: .2rem; }\n  svg.chart { width: 100%; height: auto; display: block; font-size: 11px; }\n  svg .frame { fill: none; stroke: #888; }\n  svg .grid { stroke: #e6e6e6; }\n  svg .tick { stroke: #888; }\n  svg text { fill: #333; }\n  svg .ylab { text-anchor: end; }\n  svg .xlab { text-anchor: middle; }\n  svg .xlab.date { fill: var(--muted); }\n  svg .guide { stroke: #555; stroke-dasharray: 6 4; stroke-width: 1.2; }\n  svg .red-line { stroke: var(--red); }\n  svg .amber-line { stroke: var(--amber); stroke-dasharray: 3 3; }\n  svg .glab { font-size: 10px; }\n  svg .target { stroke: #2e7d32; stroke-dasharray: 8 3; }\n  svg .milestone { stroke: #7a5cc6; stroke-dasharray: 2 3; }\n  svg .mlab { fill: #4b2fa0; font-size: 9.5px; }\n  svg .line { fill: none; stroke-width: 1.4; }\n  svg .range { stroke-width: 1.5; stroke-opacity: .6; }\n  svg .s0 { stroke: #1f5fa8; fill: #1f5fa8; } svg .line.s0 { fill: none; }\n  svg .s1 { stroke: #2e7d32; fill: #2e7d32; } svg .line.s1 { fill: none; }\n  svg .s2 { stroke: #6a1b9a; fill: #6a1b9a; } svg .line.s2 { fill: none; }\n  svg .bar { fill-opacity: .55; }\n  svg .pt.red { fill: var(--red); stroke: #000; stroke-width: 1; }\n  svg .pt.amber { fill: #f2a900; stroke: #000; stroke-width: 1; }\n  .legend { font-size: .85rem; color: var(--muted); margin: .2rem 0; }\n  table.grid td { text-align: center; min-width: 1.6rem; font-size: .8rem; }\n  table.grid td.name, table.grid th.name { text-align: left; white-space: nowrap; position: sticky; left: 0; background: #fff; z-index: 1; }\n  table.grid th.name { background: #f1f3f4; }\n  td.sev-mild { background: #fff4cc; } td.sev-moderate { background: #ffd08a; }\n  td.sev-severe { background: #f28b82; font-weight: 700; } td.sev-logged { background: #e8eaed; }\n  .grid-wrap, .chart-wrap { overflow-x: auto; }\n  h2, h3, figcaption { break-after: avoid; page-break-after: avoid; }\n  @media (max-width: 600px) {\n    /* A phone: the page never scrolls sideways; a chart keeps a size whose text can be read\n       and scrolls inside its own box; wide tables wrap their words. */\n    body { padding: .8rem; font-size: 15px; }\n    svg.chart { min-width: 640px; }\n    dl.header { grid-template-columns: 1fr; }\n    dl.header dd { margin-bottom: .3rem; }\n    td, th { overflow-wrap: anywhere; }\n  }\n  footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: .5rem; }\n  @page { size: portrait; margin: 14mm; }  /* A4 or Letter, whichever the printer uses */\n  @media print {\n    body { max-width: none; padding: 0; font-size: 11px; }\n    h2, h3, figcaption { break-after: avoid; page-break-after: avoid; }\n    table, tr { break-inside: auto; }\n    tr, figure, .summary { break-inside: avoid; page-break-inside: avoid; }\n    thead { display: table-header-group; }  /* the grid\'s day headers repeat on every page */\n    .grid-wrap, .chart-wrap { overflow: visible; }\n    svg.chart { min-width: 0; }\n  }\n</style>\n</head>\n<body>\n<header>\n  <h1>CAR T recovery report: day ')
    w(_e(r.day_number))
    w('</h1>\n  <p class="muted">Made by cart on ')
    w(_e(r.made_at))
    w(' from what was logged at home.</p>\n  <dl class="header">\n    <dt>Infusion</dt><dd>')
    w(_e(r.infusion_date))
    w(' (day 0); today is day ')
    w(_e(r.day_number))
    w('</dd>\n    <dt>CAR-T product</dt><dd>')
    w(_e(r.product))
    w('</dd>\n    <dt>Hospital</dt><dd>')
    w(_e(r.hospital))
    w('</dd>\n    <dt>24-hour number</dt><dd>')
    w(_e(r.phone))
    w(' (emergency: ')
    w(_e(r.emergency_number))
    w(')</dd>\n    <dt>Diagnosis</dt><dd>')
    w(_e(r.diagnosis))
    w('</dd>\n    <dt>Fever threshold</dt><dd>')
    w(_e(r.fever_threshold))
    w('</dd>\n')
    if r.settings:
        w('<dt>Other settings</dt><dd>')
        w(_e(_join(r.settings, '; ')))
        w('</dd>')
    w('    <dt>Period</dt><dd>')
    w(_e(r.period))
    w(', ')
    w(_e(r.days))
    w(' day')
    w(_e(('s' if (r.days != 1) else "")))
    w('</dd>\n  </dl>\n</header>\n\n<section id="summary">\n  <h2>Summary</h2>\n')
    if r.check_level:
        w('<p id="check-now">The check when this report was made (')
        w(_e(r.check_window))
        w('): <b class="level-')
        w(_e(r.check_level))
        w('">')
        w(_e(_s(r.check_level).upper()))
        w(': ')
        w(_e(r.check_headline))
        w('</b></p>')
    w('  <div class="summary">\n    <div><span>Days with an emergency</span><b class="')
    w(_e(('level-emergency' if r.emergency_days else "")))
    w('">')
    w(_e(r.emergency_days))
    w('</b></div>\n    <div><span>Days with red findings</span><b class="')
    w(_e(('level-red' if r.red_days else "")))
    w('">')
    w(_e(r.red_days))
    w('</b></div>\n    <div><span>Days with amber findings</span><b class="')
    w(_e(('level-amber' if r.amber_days else "")))
    w('">')
    w(_e(r.amber_days))
    w('</b></div>\n')
    l_hottest = r.highest_temperature.split(' (', 1)
    w('    <div><span>Highest temperature</span><b>')
    w(_e(l_hottest[0]))
    w('</b>')
    if (len(l_hottest) > 1):
        w('<span class="muted">')
        w(_e(l_hottest[1][:(-1)]))
        w('</span>')
    w('</div>\n    <div><span>Calls to the team</span><b>')
    w(_e(r.calls_count))
    w('</b></div>\n  </div>\n  <p class="muted">')
    w(_e(r.entries_count))
    w(' entries in the period.</p>\n</section>\n\n<section id="charts">\n  <h2>Charts</h2>\n  <p class="legend">\u25cf an ordinary reading &nbsp; \u25c6 amber (a finding to tell the team about today) &nbsp;\n    \u25b2 red (a finding to call about now) &nbsp; dashed lines: reference values; dotted purple lines: milestones.\n')
    if r.aggregated:
        w('The period is longer than 90 days, so each day shows its lowest and highest value.')
    w('</p>\n')
    it1 = list(r.charts)
    for i1, (l_chart) in enumerate(it1):
        w('  <figure id="chart-')
        w(_e(l_chart.id))
        w('">\n    <figcaption>')
        w(_e(l_chart.title))
        w('</figcaption>\n    <div class="chart-wrap" tabindex="0" role="region" aria-label="')
        w(_e(l_chart.title))
        w(' chart">')
        w(_e(_Safe(l_chart.svg)))
        w('</div>\n')
        if l_chart.rows:
            w('    <table>\n      <tr>')
            it2 = list(l_chart.columns)
            for i2, (l_c) in enumerate(it2):
                w('<th>')
                w(_e(l_c))
                w('</th>')
            w('</tr>\n')
            it3 = list(l_chart.rows)
            for i3, (l_row) in enumerate(it3):
                w('<tr>')
                it4 = list(l_row)
                for i4, (l_cell) in enumerate(it4):
                    w('<td class="')
                    w(_e((_cat('level-', l_cell) if ((i4 == len(it4) - 1) and l_cell) else "")))
                    w('">')
                    w(_e(l_cell))
                    w('</td>')
                w('</tr>\n')
            w('    </table>\n')
        w('  </figure>\n')
    if not it1:
        w('  <p>No readings in this period.</p>\n')
    w('</section>\n\n<section id="symptoms">\n  <h2>Symptoms</h2>\n')
    if r.grid_rows:
        w('  <p class="legend">The worst severity logged each day. ')
        w(_e(r.grid_note))
        w('</p>\n  <div class="grid-wrap" tabindex="0" role="region" aria-label="Symptoms by day">\n  <table class="grid">\n    <thead><tr><th class="name">Symptom</th>')
        it5 = list(r.grid_days)
        for i5, (l_num, l_when) in enumerate(it5):
            w('<th>')
            w(_e(l_num))
            w('<br><span class="muted">')
            w(_e(l_when))
            w('</span></th>')
        w('</tr></thead>\n    <tbody>\n')
        it6 = list(r.grid_rows)
        for i6, (l_row) in enumerate(it6):
            w('    <tr><td class="name">')
            w(_e(l_row.name))
            w('</td>')
            it7 = list(l_row.cells)
            for i7, (l_cell) in enumerate(it7):
                w('<td class="')
                w(_e((_cat('sev-', l_cell) if l_cell else "")))
                w('">')
                w(_e(l_cell))
                w('</td>')
            w('</tr>\n')
        w('    </tbody>\n  </table>\n  </div>\n')
    else:
        w('  <p>No symptoms logged in this period.</p>\n')
    w('</section>\n\n<section id="findings">\n  <h2>Findings by day</h2>\n')
    it8 = list(r.findings)
    for i8, (l_d) in enumerate(it8):
        w('  <h3>Day ')
        w(_e(l_d.day_number))
        w(', ')
        w(_e(l_d.date_text))
        w(': <span class="level-')
        w(_e(l_d.level))
        w('">')
        w(_e(_s(l_d.level).upper()))
        w('</span></h3>\n  <table>\n    <thead><tr><th>Level</th><th>What</th><th>Advice given</th></tr></thead>\n')
        it9 = list(l_d.findings)
        for i9, (l_f) in enumerate(it9):
            w('    <tr><td class="level-')
            w(_e(l_f.level))
            w('">')
            w(_e(l_f.level))
            w('</td><td>')
            w(_e(l_f.message))
            w('</td><td>')
            w(_e(l_f.action))
            w('</td></tr>\n')
        w('  </table>\n')
    if not it8:
        w('  <p>No red or amber findings in this period.</p>\n')
    w('</section>\n\n<section id="calls">\n  <h2>Calls to the team</h2>\n')
    if r.calls:
        w('  <table><thead><tr><th>When</th><th>Day</th><th>What was said</th><th>Note</th></tr></thead>\n')
        it10 = list(r.calls)
        for i10, (l_e) in enumerate(it10):
            w('<tr><td>')
            w(_e(l_e.when))
            w('</td><td>')
            w(_e(l_e.day_number))
            w('</td><td>')
            w(_e(l_e.value))
            w('</td><td class="note">')
            w(_e(l_e.note))
            w('</td></tr>\n')
        w('</table>\n')
    else:
        w('<p>No calls logged in this period.</p>')
    w('</section>\n\n<section id="notes">\n  <h2>Notes</h2>\n')
    if r.notes:
        w('  <table><thead><tr><th>When</th><th>Day</th><th>Entry</th><th>Note</th></tr></thead>\n')
        it11 = list(r.notes)
        for i11, (l_e) in enumerate(it11):
            w('<tr><td>')
            w(_e(l_e.when))
            w('</td><td>')
            w(_e(l_e.day_number))
            w('</td><td>')
            w(_e(l_e.value))
            w('</td><td class="note">')
            w(_e(l_e.note))
            w('</td></tr>\n')
        w('</table>\n')
    else:
        w('<p>No notes in this period.</p>')
    w('</section>\n\n<section id="medicines">\n  <h2>Medicines taken</h2>\n')
    if r.medicines:
        w('  <table><thead><tr><th>When</th><th>Day</th><th>Medicine</th><th>Note</th></tr></thead>\n')
        it12 = list(r.medicines)
        for i12, (l_e) in enumerate(it12):
            w('<tr><td>')
            w(_e(l_e.when))
            w('</td><td>')
            w(_e(l_e.day_number))
            w('</td><td>')
            w(_e(l_e.value))
            w('</td><td class="note">')
            w(_e(l_e.note))
            w('</td></tr>\n')
        w('</table>\n')
    else:
        w('<p>No medicines logged in this period.</p>')
    if r.missed_doses:
        w('  <h3>Missed doses</h3>\n  <p class="legend">Scheduled doses with none logged within two hours of their time.</p>\n  <table><thead><tr><th>Due</th><th>Day</th><th>Medicine</th></tr></thead>\n  <tbody>')
        it13 = list(r.missed_doses)
        for i13, (l_due, l_day, l_what) in enumerate(it13):
            w('<tr><td>')
            w(_e(l_due))
            w('</td><td>')
            w(_e(l_day))
            w('</td><td>')
            w(_e(l_what))
            w('</td></tr>\n')
        w('</tbody></table>\n')
    w('</section>\n\n<section id="bloods">\n  <h2>Blood results</h2>\n')
    if r.bloods:
        w('  <table><tr><th>When</th><th>Day</th><th>Results</th><th>Note</th></tr>\n')
        it14 = list(r.bloods)
        for i14, (l_e) in enumerate(it14):
            w('<tr><td>')
            w(_e(l_e.when))
            w('</td><td>')
            w(_e(l_e.day_number))
            w('</td><td>')
            w(_e(l_e.value))
            w('</td><td class="note">')
            w(_e(l_e.note))
            w('</td></tr>\n')
        w('</table>\n')
    else:
        w('<p>No blood results logged in this period (cart log bloods).</p>')
    w('</section>\n\n<section id="milestones">\n  <h2>Milestones</h2>\n  <table><thead><tr><th>Day</th><th>Date</th><th>Milestone</th><th>Status</th></tr></thead>\n')
    it15 = list(r.milestones)
    for i15, (l_day, l_when, l_title, l_status) in enumerate(it15):
        w('<tr><td>')
        w(_e(l_day))
        w('</td><td>')
        w(_e(l_when))
        w('</td><td>')
        w(_e(l_title))
        w('</td><td>')
        w(_e(l_status))
        w('</td></tr>\n')
    w('</table>\n</section>\n\n')
    if r.daily_rows:
        w('<section id="days">\n  <h2>Every day in the period</h2>\n  <p class="legend">The lowest and highest value of each day (fluids: the day\'s total), and the day\'s worst finding.</p>\n  <table><thead><tr><th>Day</th>')
        it16 = list(r.daily_columns)
        for i16, (l_c) in enumerate(it16):
            w('<th>')
            w(_e(l_c))
            w('</th>')
        w('<th>Finding</th></tr></thead>\n')
        it17 = list(r.daily_rows)
        for i17, (l_row) in enumerate(it17):
            w('<tr>')
            it18 = list(l_row)
            for i18, (l_cell) in enumerate(it18):
                w('<td')
                if ((i18 == len(it18) - 1) and l_cell):
                    w(' class="level-')
                    w(_e(l_cell))
                    w('"')
                w('>')
                w(_e(l_cell))
                w('</td>')
            w('</tr>\n')
        w('</table>\n</section>\n')
    w('\n')
    if r.readings:
        w('<section id="readings">\n  <h2>Every entry in the period</h2>\n  <table><thead><tr><th>When</th><th>Day</th><th>Entry</th><th>Finding</th><th>Note</th></tr></thead>\n')
        it19 = list(r.readings)
        for i19, (l_e) in enumerate(it19):
            w('<tr><td>')
            w(_e(l_e.when))
            w('</td><td>')
            w(_e(l_e.day_number))
            w('</td><td>')
            w(_e(l_e.value))
            w('</td><td class="level-')
            w(_e(l_e.level))
            w('">')
            w(_e(l_e.level))
            w('</td><td class="note">')
            w(_e(l_e.note))
            w('</td></tr>\n')
        w('</table>\n</section>\n')
    w('\n<footer>\n  <p><strong>')
    w(_e(r.disclaimer))
    w('</strong></p>\n</footer>\n</body>\n</html>')
    return "".join(out)
