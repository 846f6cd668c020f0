"""Active speaker on side-by-side constructions (one of two talking faces heard), without
audio, with silent audio, and the scoring rules on synthetic signals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.engines.active_speaker.media import LISTENER, SPEAKER, side_by_side
from vidlens.engines.active_speaker.audio import AudioSignals
from vidlens.engines.active_speaker.engine import (
    NO_AUDIO_NOTE,
    NO_SPEECH_NOTE,
    ActiveSpeakerDetector,
)
from vidlens.engines.active_speaker.evidence import MouthSeries, mouth_series, synchrony
from vidlens.engines.active_speaker.settings import ActiveSpeakerSettings
from vidlens.engines.active_speaker.types import ActiveSpeakerResult
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.faces.types import FaceTrackingResult
from vidlens.engines.speech.diarization import SpeakerTurn


def _fractions(faces: FaceTrackingResult, result: ActiveSpeakerResult) -> dict[str, float]:
    """Speaking fraction by screen side of each face."""
    side = {}
    for track in faces.tracks:
        side[track.face_id] = "left" if track.points[0].box.centre[0] < 0.5 else "right"
    return {side[t.face_id]: t.speaking_fraction for t in result.tracks}


@pytest.fixture(scope="module")
def tracker() -> FaceTracker:
    return FaceTracker(FaceTrackingSettings(embeddings_per_track=0))


@pytest.fixture(scope="module", params=["speaker-left", "speaker-right"])
def construction(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tracker: FaceTracker
) -> tuple[str, FaceTrackingResult, ActiveSpeakerResult]:
    folder = tmp_path_factory.mktemp("sbs")
    left, right = (SPEAKER, LISTENER) if request.param == "speaker-left" else (LISTENER, SPEAKER)
    clip = side_by_side(folder / "sbs.mp4", left=left, right=right, audio_from=SPEAKER)
    faces = tracker.track(clip)
    return request.param.split("-")[1], faces, ActiveSpeakerDetector().detect(clip, faces)


@pytest.mark.media
def test_the_heard_face_speaks_and_the_moving_listener_does_not(
    construction: tuple[str, FaceTrackingResult, ActiveSpeakerResult],
) -> None:
    speaker_side, faces, result = construction
    listener_side = "right" if speaker_side == "left" else "left"
    assert len(faces.face_ids) == 2
    fractions = _fractions(faces, result)
    assert fractions[speaker_side] >= 0.4
    assert fractions[listener_side] <= 0.15
    assert result.mode == "audio-visual"
    assert result.note is None
    assert result.speech_seconds > 2.5  # the 5 s clip is mostly speech


@pytest.mark.media
def test_contract_shape(construction: tuple[str, FaceTrackingResult, ActiveSpeakerResult]) -> None:
    _, faces, result = construction
    document = result.to_dict()
    assert document["model"] == "active_speaker"
    assert document["video_fps"] == pytest.approx(25.0)
    assert document["track_count"] == 2
    for track in document["tracks"]:
        assert set(track) >= {"face_id", "first_seen", "last_seen", "speaking_fraction", "scores"}
        first = track["scores"][0]
        assert set(first) == {"timestamp", "frame_number", "score", "speaking"}
        assert first["timestamp"] == track["first_seen"]
        assert all(0.0 <= s["score"] <= 1.0 for s in track["scores"])
        assert all(s["speaking"] == (s["score"] >= 0.5) for s in track["scores"])
    assert document["total_frames"] == faces.total_frames


@pytest.fixture(scope="module")
def mute(
    tmp_path_factory: pytest.TempPathFactory, tracker: FaceTracker
) -> tuple[Path, FaceTrackingResult]:
    """The construction without any audio track, and its faces."""
    folder = tmp_path_factory.mktemp("mute")
    clip = side_by_side(folder / "mute.mp4", left=SPEAKER, right=LISTENER, audio_from=None)
    return clip, tracker.track(clip)


@pytest.mark.media
def test_no_audio_degrades_to_visual_only(mute: tuple[Path, FaceTrackingResult]) -> None:
    clip, faces = mute
    result = ActiveSpeakerDetector().detect(clip, faces)
    assert result.mode == "visual-only"
    assert result.note == NO_AUDIO_NOTE
    assert result.speech_seconds == 0.0
    # both mouths move: without audio both look like speakers
    assert all(t.speaking_fraction > 0.3 for t in result.tracks)


@pytest.mark.media
def test_silent_audio_means_nobody_speaks(
    tmp_path: Path, mute: tuple[Path, FaceTrackingResult]
) -> None:
    import subprocess

    clip, faces = mute  # the same frames: the tracks carry over
    silent = tmp_path / "silent.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-f", "lavfi", "-i",
         "anullsrc=r=16000:cl=mono", "-c:v", "copy", "-c:a", "aac", "-shortest", str(silent)],
        check=True, timeout=60,
    )  # fmt: skip
    result = ActiveSpeakerDetector().detect(silent, faces)
    assert result.mode == "audio-visual"
    assert result.note == NO_SPEECH_NOTE
    assert all(t.speaking_fraction == 0.0 for t in result.tracks)


def _points(times: np.ndarray, values: np.ndarray) -> list[tuple[float, int, float | None]]:
    return [(float(t), i, float(v)) for i, (t, v) in enumerate(zip(times, values, strict=True))]


def _signals(envelope: np.ndarray, regions: tuple[tuple[float, float], ...]) -> AudioSignals:
    return AudioSignals(envelope.astype(np.float64), regions, envelope.size / 100)


def test_synchrony_prefers_the_mouth_that_follows_the_voice() -> None:
    rng = np.random.default_rng(7)
    seconds, rate = 6.0, 10
    times = np.arange(0, seconds, 1 / rate)
    syllables = (np.sin(2 * np.pi * 3.0 * times) > 0).astype(float)  # 3 syllables a second
    pauses = ((times % 2.0) < 1.4).astype(float)  # 1.4 s of speech, 0.6 s pause
    speaking = 0.05 + 0.25 * syllables * pauses + rng.normal(0, 0.01, times.size)
    mouthing = 0.05 + 0.25 * (rng.random(times.size) > 0.5) + rng.normal(0, 0.01, times.size)
    fine_t = np.arange(0, seconds, 0.01)
    envelope = 0.001 + 0.2 * np.interp(fine_t, times, syllables * pauses)
    audio = _signals(envelope, ((0.0, seconds),))
    settings = ActiveSpeakerSettings()

    def series(values: np.ndarray) -> MouthSeries:
        return mouth_series(1, 1, _points(times, values), settings.activity_half_window)

    good = synchrony(series(speaking), audio, 0.0, seconds, settings)
    bad = synchrony(series(mouthing), audio, 0.0, seconds, settings)
    assert good is not None
    assert bad is not None
    assert good > 0.5 > 0.2 > bad


def test_diarized_turns_map_each_voice_to_its_face() -> None:
    from vidlens.engines.active_speaker.scoring import local_beliefs, map_speakers, speech_segments

    settings = ActiveSpeakerSettings()
    times = np.arange(0, 8, 0.1)
    rhythm = (np.sin(2 * np.pi * 3.0 * times) > 0).astype(float)
    first_turn = times < 4.0
    a_mouth = 0.05 + 0.25 * rhythm * first_turn  # talks in the first 4 s
    b_mouth = 0.05 + 0.25 * rhythm * ~first_turn  # then the other one
    envelope = 0.001 + 0.2 * np.interp(np.arange(0, 8, 0.01), times, rhythm)
    audio = _signals(envelope, ((0.0, 8.0),))
    series = [
        mouth_series(1, 1, _points(times, a_mouth), 0.25),
        mouth_series(2, 2, _points(times, b_mouth), 0.25),
    ]
    turns = [SpeakerTurn(0.0, 4.0, "SPEAKER_00"), SpeakerTurn(4.0, 8.0, "SPEAKER_01")]
    segments = speech_segments(audio, turns, settings)
    beliefs = local_beliefs(series, audio, segments, settings)
    assert map_speakers(series, segments, beliefs) == {"SPEAKER_00": 1, "SPEAKER_01": 2}
