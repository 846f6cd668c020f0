"""A self-contained HTML report: score cards, the time-series chart and the key moments on
a timeline (inline SVG, no script, no external asset), the texts, flags and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from vidlens.coaching.profiles import CATEGORIES

COLOURS = {
    "clarity": "#1f77b4",
    "confidence": "#d62728",
    "likeability": "#2ca02c",
    "authenticity": "#9467bd",
}
POLARITY = {"positive": "#2ca02c", "negative": "#d62728", "neutral": "#7f7f7f"}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 270, 44, 16, 30, 28

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:820px;color:#222;line-height:1.45}h1{font-size:1.5rem;margin-bottom:.2rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}.muted{color:#666}
.cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;
padding:.6rem .9rem;min-width:7rem}.card b{font-size:1.4rem;display:block}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #eee;
padding:.25rem .4rem;text-align:left;vertical-align:top}.pos{color:#2ca02c}.neg{color:#d62728}
svg text{font-size:11px;fill:#444}
"""


def _x(t: float, duration: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (t / duration if duration > 0 else 0.0)


def _y(score: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / 10)


def _axes(duration: float) -> list[str]:
    parts = []
    for score in (0, 2, 4, 6, 8, 10):
        y = _y(score)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#eee"/>'
        )
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{score}</text>')
    ticks = max(1, min(10, int(duration // 10) or 1))
    for k in range(ticks + 1):
        t = duration * k / ticks
        parts.append(
            f'<text x="{_x(t, duration):.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
            f"{_clock(t)}</text>"
        )
    return parts


def chart_svg(windows: Sequence[dict[str, Any]], duration: float) -> str:
    """The four category scores over time (one point per window, at its middle)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="scores over time">',
        *_axes(duration),
    ]
    for name in CATEGORIES:
        points = [
            (_x((w["start"] + w["end"]) / 2, duration), _y(w[name]))
            for w in windows
            if w.get(name) is not None
        ]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline fill="none" stroke="{COLOURS[name]}" stroke-width="2" points="{path}"/>'
        )
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[name]}"/>' for x, y in points
        ]
    for i, name in enumerate(CATEGORIES):
        x = LEFT + 10 + i * 130
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="4" fill="{COLOURS[name]}"/>'
            f'<text x="{x + 14}" y="14">{name}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(moments: Sequence[dict[str, Any]], duration: float) -> str:
    """The key moments as markers on a time axis, numbered as in the list below it."""
    height = 70
    y = 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="key moments">',
        f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#999" '
        'stroke-width="2"/>',
    ]
    for k in (0.0, duration):
        parts.append(
            f'<text x="{_x(k, duration):.1f}" y="{y + 22}" text-anchor="middle">{_clock(k)}</text>'
        )
    for number, moment in enumerate(moments, start=1):
        colour = POLARITY.get(moment["polarity"], "#7f7f7f")
        x1, x2 = _x(moment["time"], duration), _x(moment["end"], duration)
        parts.append(
            f'<rect x="{x1:.1f}" y="{y - 6}" width="{max(3.0, x2 - x1):.1f}" height="12" '
            f'fill="{colour}" opacity="0.75"><title>{escape(moment["label"])}: '
            f"{escape(moment['description'])}</title></rect>"
        )
        parts.append(f'<text x="{x1:.1f}" y="{y - 10}" text-anchor="middle">{number}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _clock(seconds: float) -> str:
    total = int(seconds + 0.5)
    return f"{total // 60}:{total % 60:02d}"


def _list(items: Sequence[str], css: str) -> str:
    return "<ul>" + "".join(f'<li class="{css}">{escape(i)}</li>' for i in items) + "</ul>"


def _evidence(evidence: dict[str, Any]) -> str:
    rows = []
    for name in CATEGORIES:
        for c in evidence[name]["components"]:
            value = c["measurement"]
            shown = "n/a" if value is None else f"{value:g}"
            score = "n/a" if c["component_score"] is None else f"{c['component_score']:.2f}"
            rows.append(
                f"<tr><td>{name}</td><td>{escape(c['name'])}</td><td>{shown}</td>"
                f"<td>{escape(c['unit'])}</td><td>{c['weight']:g}</td><td>{score}</td>"
                f"<td>{escape(c.get('unavailable') or c['rule'])}</td></tr>"
            )
    return (
        "<table><tr><th>category</th><th>component</th><th>measured</th><th>unit</th>"
        "<th>weight</th><th>score</th><th>rule</th></tr>" + "".join(rows) + "</table>"
    )


def render_html(body: dict[str, Any], *, title: str) -> str:
    """The whole report for one analysis result (``CoachingResult.to_dict()``)."""
    analysis: dict[str, Any] = body["video_analysis"]
    engine: dict[str, Any] = body["engine_analysis"]
    duration = float(analysis["duration_seconds"]) or 1.0
    overall = analysis["overall_score"]
    cards = [
        f'<div class="card">overall<b>{overall if overall is not None else "n/a"}</b>/100</div>'
    ]
    for name in CATEGORIES:
        score = analysis["category_scores"][name]
        cards.append(
            f'<div class="card">{name}<b>{score if score is not None else "n/a"}</b>/10</div>'
        )
    key = analysis["key_moments"]
    moments = "".join(
        f'<tr><td>{n}</td><td>{escape(m["timestamp"])}</td><td class="'
        f"{'pos' if m['polarity'] == 'positive' else 'neg' if m['polarity'] == 'negative' else ''}"
        f'">{escape(m["label"])}</td><td>{escape(m["description"])}</td></tr>'
        for n, m in enumerate(key, start=1)
    )
    governance = engine["governance"]
    sections = [
        f"<h1>Coaching report: {escape(title)}</h1>",
        f'<p class="muted">{escape(analysis["context"]["profile"]["name"])} · '
        f"{analysis['duration_seconds']:.1f} s · triage "
        f"<b>{escape(engine['triage']['classification'])}</b> "
        f"({escape(engine['triage']['rule'])})</p>",
        f'<div class="cards">{"".join(cards)}</div>',
        f"<h2>Summary</h2><p>{escape(analysis['session_summary'])}</p>",
        f"<p><b>Recommendation:</b> {escape(analysis['recommendation'])}</p>",
        "<h2>Scores over time</h2>" + chart_svg(analysis["time_series_scores"], duration),
        "<h2>Key moments</h2>" + timeline_svg(key, duration),
        "<table><tr><th>#</th><th>time</th><th>moment</th><th>what happened</th></tr>"
        f"{moments}</table>",
        "<h2>Strengths</h2>" + _list(analysis["strengths"], "pos"),
        "<h2>To improve</h2>" + _list(analysis["areas_for_improvement"], "neg"),
        "<h2>Detailed feedback</h2>"
        + "".join(f"<p>{escape(p)}</p>" for p in analysis["detailed_feedback"].split("\n\n")),
        "<h2>Flags and actions</h2>"
        + _list(governance["recommended_actions"], "")
        + f"<p>{escape(engine['interpretation'])}</p>",
        "<h2>Evidence</h2>" + _evidence(analysis["evidence"]),
        f"<h2>Transcript</h2><p>{escape(body.get('transcript') or '(none)')}</p>",
    ]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{_STYLE}</style></head><body>" + "\n".join(sections) + "</body></html>\n"
    )
