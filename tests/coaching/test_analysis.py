"""The orchestration: progress of the two passes merged, the first failure stops the other."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from vidlens.coaching import analysis
from vidlens.coaching.analysis import _both, _Progress


def test_progress_is_merged_and_weighted() -> None:
    seen: list[tuple[float, str | None]] = []
    merged = _Progress(lambda fraction, phase: seen.append((fraction, phase)))
    merged.part("speech")(0.5, "transcribing")
    merged.part("face")(1.0, "detecting faces")
    assert seen[-1][0] == pytest.approx(0.9 * (0.5 * analysis.SPEECH_SHARE + 0.4))
    assert seen[-1][1] == "transcribing + detecting faces"
    merged.part("speech")(2.0, None)  # clipped to 1
    assert seen[-1][0] == pytest.approx(0.9)


def test_the_first_failure_stops_the_other_pass() -> None:
    merged = _Progress(lambda fraction, phase: None)
    face_hook = merged.part("face")
    stopped = threading.Event()

    def speech() -> Any:
        time.sleep(0.05)
        raise ValueError("the speech pass broke")

    def face() -> Any:
        try:
            for _ in range(1000):
                face_hook(0.1, None)  # raises once the other side failed
                time.sleep(0.01)
        except Exception:
            stopped.set()
            raise
        return "never"

    with pytest.raises(ValueError, match="the speech pass broke"):
        _both(speech, face, merged.stop)
    assert stopped.is_set()


def test_both_results_when_both_succeed() -> None:
    merged = _Progress(lambda fraction, phase: None)
    first: Any = lambda: "speech"  # noqa: E731 - fakes standing in for the passes
    second: Any = lambda: "face"  # noqa: E731
    result: Any = _both(first, second, merged.stop)
    assert result == ("speech", "face")
