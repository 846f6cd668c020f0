"""Small text helpers for the generated feedback: clock times, quotes, counts."""

from __future__ import annotations

from collections.abc import Sequence

from vidlens.engines.delivery.types import TimedWord

MAX_QUOTE_WORDS = 16


def clock(seconds: float) -> str:
    """``75.4`` → ``"1:15"`` (``"1:02:03"`` past an hour)."""
    total = max(0, int(seconds + 0.5))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _middle(word: TimedWord) -> float | None:
    if word.start is None or word.end is None:
        return None
    return (word.start + word.end) / 2


def shorten(text: str, limit: int = MAX_QUOTE_WORDS) -> str:
    """At most ``limit`` words of ``text`` (an ellipsis when cut)."""
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit]) + " …"


def _join(words: Sequence[TimedWord]) -> str:
    return shorten(" ".join(w.text for w in words))


def quote_between(words: Sequence[TimedWord], start: float, end: float, margin: float = 0.6) -> str:
    """The words spoken between ``start`` and ``end`` (± ``margin`` s), shortened."""
    chosen = [
        w for w in words if (m := _middle(w)) is not None and start - margin <= m <= end + margin
    ]
    return _join(chosen)


def quote_before(words: Sequence[TimedWord], time: float, count: int = 6) -> str:
    """The last ``count`` words ending before ``time``."""
    chosen = [w for w in words if w.end is not None and w.end <= time + 0.05]
    return " ".join(w.text for w in chosen[-count:])


def first_sentence(text: str, limit: int = 25) -> str:
    """The first sentence of ``text`` (at most ``limit`` words)."""
    words = text.split()
    out: list[str] = []
    for word in words:
        out.append(word)
        if word.endswith((".", "!", "?")) and len(out) >= 3:
            break
        if len(out) >= limit:
            out.append("…")
            break
    return " ".join(out)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 pause"``, ``"3 pauses"``, ``"no pauses"``."""
    word = noun if count == 1 else plural_form or noun + "s"
    return f"no {word}" if count == 0 else f"{count} {word}"


def duration_words(seconds: float) -> str:
    """``62.4`` → ``"1 min 2 s"``; ``12.2`` → ``"12 s"``; ``0.04`` → ``"0.04 s"``."""
    if seconds < 10:
        return f"{seconds:.2g} s"
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"
