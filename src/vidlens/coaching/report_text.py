"""The readable terminal report of ``vidlens coach``."""

from __future__ import annotations

from typing import Any

from vidlens.coaching.profiles import CATEGORIES

BAR = 20


def _bar(score: float | None) -> str:
    if score is None:
        return "·" * BAR + "   n/a"
    filled = round(score / 10 * BAR)
    return "█" * filled + "░" * (BAR - filled) + f" {score:4.1f}"


def render_text(body: dict[str, Any]) -> str:
    """The result of one analysis as plain text (scores, texts, moments, flags)."""
    analysis: dict[str, Any] = body["video_analysis"]
    engine: dict[str, Any] = body["engine_analysis"]
    context = analysis["context"]
    triage = engine["triage"]
    lines = [
        f"Communication coaching: {context['profile']['name']} (context: {context['phrase']!r})",
        f"Overall {analysis['overall_score'] if analysis['overall_score'] is not None else 'n/a'}"
        f"/100 · triage: {triage['classification']} ({triage['rule']})",
        "",
    ]
    evidence = analysis["evidence"]
    for name in CATEGORIES:
        score = analysis["category_scores"][name]
        confidence = evidence[name]["confidence"]
        lines.append(f"  {name:<13}{_bar(score)}/10  confidence {confidence:.2f}")
    pace = analysis["speaking_pace_wpm"]
    fillers = analysis["filler_word_count"]
    lines += [
        "",
        f"Pace {pace if pace is not None else 'n/a'} words per minute · filler words "
        f"{fillers if fillers is not None else 'n/a'} · {analysis['duration_seconds']:.1f} s",
        "",
        "Strengths",
        *(f"  + {s}" for s in analysis["strengths"] or ["(none stood out)"]),
        "",
        "To improve",
        *(f"  - {a}" for a in analysis["areas_for_improvement"] or ["(nothing below target)"]),
        "",
        f"Recommendation: {analysis['recommendation']}",
        "",
        "Key moments",
        *(
            f"  {m['timestamp']:>6}  {m['label']}: {m['description']}"
            for m in analysis["key_moments"]
        ),
        "",
        f"Summary: {analysis['session_summary']}",
    ]
    governance = engine["governance"]
    if governance["action_flags"]:
        lines += ["", "Flags: " + ", ".join(governance["action_flags"])]
        lines += [f"  → {action}" for action in governance["recommended_actions"]]
    emotion = engine["emotion"]
    overall = emotion.get("overall")
    if not emotion.get("enabled"):
        lines += ["", "Emotion inference: switched off."]
    elif overall:
        shares = sorted(overall["distribution"].items(), key=lambda item: -item[1])[:3]
        listed = ", ".join(f"{k} {v:.0%}" for k, v in shares)
        lines += ["", f"Facial expression cues ({emotion['method']}): {listed} (not feelings)."]
    for note in analysis["notes"]:
        lines.append(f"Note: {note}")
    return "\n".join(lines) + "\n"
