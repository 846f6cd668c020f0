"""Fusing local speaker activity with window clustering, on hand-made activity (no model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.speech.diarization import SpeakerTurn
from vidlens.engines.speech.segmentation import (
    FRAME_STEP,
    LocalActivity,
    frame_time,
    verified_model,
)
from vidlens.engines.speech.segmented import (
    add_overlap,
    assign_local,
    frames_from_turns,
    reconstruct,
    turns_from_frames,
)

FRAMES = 589  # one 10 s chunk


def activity(*chunks: npt.NDArray[np.bool_], step: float = 10.0) -> LocalActivity:
    """Chunks of (FRAMES, 3) activity laid ``step`` seconds apart."""
    active = np.stack(chunks)
    duration = step * (len(chunks) - 1) + 10.0
    return LocalActivity(np.arange(len(chunks), dtype=np.float64) * step, active, duration)


def chunk(*spans: tuple[int, float, float]) -> npt.NDArray[np.bool_]:
    """Local speaker k active from a to b seconds (chunk-relative) for each (k, a, b)."""
    out = np.zeros((FRAMES, 3), dtype=bool)
    times = np.array([frame_time(f) for f in range(FRAMES)])
    for k, a, b in spans:
        out[(times >= a) & (times < b), k] = True
    return out


def test_speaker_count_averages_overlapping_chunks() -> None:
    # Two chunks 5 s apart: frames at 5-10 s are covered by both. At 7 s the first chunk
    # hears two people and the second one: the mean 1.5 rounds (half to even) to 2.
    first = chunk((0, 0.0, 10.0), (1, 6.0, 8.0))
    second = chunk((0, 0.0, 5.0))
    counted = activity(first, second, step=5.0).speaker_count()

    def at(seconds: float) -> int:
        return int(counted[round((seconds - frame_time(0)) / FRAME_STEP)])

    assert at(2.0) == 1
    assert at(7.0) == 2
    assert at(12.0) == 0


def test_local_speakers_in_one_chunk_never_share_a_cluster() -> None:
    # Two chunks, each with two local speakers whose embeddings both lean to cluster 0.
    e = np.full((2, 3, 4), np.nan, dtype=np.float32)
    a, b = np.array([1.0, 0.0, 0.0, 0.0]), np.array([0.6, 0.8, 0.0, 0.0])
    e[0, 0], e[0, 1], e[1, 0], e[1, 2] = a, b, a, b
    assignment = assign_local(e, [0, 1, 0, 1])
    assert assignment[0, 0] != assignment[0, 1]
    assert assignment[1, 0] != assignment[1, 2]
    assert assignment[0, 2] == assignment[1, 1] == -1
    assert assignment[0, 0] == assignment[1, 0]


def test_reconstruct_gives_overlap_where_two_speak() -> None:
    local = activity(chunk((0, 0.0, 6.0), (1, 4.0, 10.0)))
    frames = reconstruct(local, np.array([[0, 1, -1]]), clusters=2)
    turns = turns_from_frames(frames, local.duration)
    by_speaker = {t.speaker: (t.start, t.end) for t in turns}
    assert by_speaker["SPEAKER_00"] == pytest.approx((0.0, 6.0), abs=0.05)
    assert by_speaker["SPEAKER_01"] == pytest.approx((4.0, 10.0), abs=0.05)


def test_add_overlap_adds_the_second_speaker_and_clears_silence() -> None:
    # Base (window clustering): A 0-5 s, B 5-9.5 s, one speaker per instant. The model
    # hears local speaker 0 at 0-6 s and local speaker 1 at 4-9 s: overlap at 4-6 s, and
    # nobody after 9 s.
    local = activity(chunk((0, 0.0, 6.0), (1, 4.0, 9.0)))
    base_turns = [SpeakerTurn(0.0, 5.0, "A"), SpeakerTurn(5.0, 9.5, "B")]
    base = frames_from_turns(base_turns, ["A", "B"], local.total_frames)
    fused = turns_from_frames(add_overlap(base, local), local.duration)
    spans = sorted((t.speaker, round(t.start, 1), round(t.end, 1)) for t in fused)
    assert spans == [("SPEAKER_00", 0.0, 6.0), ("SPEAKER_01", 4.0, 9.0)]


def test_frames_and_turns_round_trip() -> None:
    turns = [SpeakerTurn(1.0, 2.5, "x"), SpeakerTurn(2.0, 4.0, "y")]
    frames = frames_from_turns(turns, ["x", "y"], 300)
    back = turns_from_frames(frames, 5.0)
    assert [t.speaker for t in back] == ["SPEAKER_00", "SPEAKER_01"]
    for turn, (start, end) in zip(back, [(1.0, 2.5), (2.0, 4.0)], strict=True):
        assert turn.start == pytest.approx(start, abs=FRAME_STEP)
        assert turn.end == pytest.approx(end, abs=FRAME_STEP)


def test_model_file_is_verified(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing):
        verified_model(tmp_path / "absent.onnx")
    fake = tmp_path / "segmentation-3.0.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(ModelIntegrityError, match="sha256"):
        verified_model(fake)
