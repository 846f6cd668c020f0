"""check_limits: each limit names itself and the actual value."""

from __future__ import annotations

import dataclasses

import pytest

from vidlens.config import MediaSettings
from vidlens.errors import MediaRejected, PayloadTooLarge
from vidlens.media.limits import MediaLimits, check_limits
from vidlens.media.probe import MediaInfo

VIDEO = MediaInfo(
    container="mov,mp4,m4a,3gp,3g2,mj2",
    container_short="mp4",
    mime_type="video/mp4",
    video_codec="h264",
    audio_codec="aac",
    duration_seconds=125.5,
    width=1280,
    height=720,
    fps=30.0,
    nominal_fps=30.0,
    has_video=True,
    has_audio=True,
    audio_tracks=1,
)
SPEECH = dataclasses.replace(
    VIDEO,
    container="wav",
    container_short="wav",
    mime_type="audio/wav",
    video_codec=None,
    audio_codec="pcm_s16le",
    width=None,
    height=None,
    fps=None,
    nominal_fps=None,
    has_video=False,
)


def test_within_every_limit() -> None:
    limits = MediaLimits(
        max_bytes=1000,
        max_duration_seconds=126,
        allowed_containers=frozenset({"mp4", "mov"}),
        require_video=True,
        require_audio=True,
    )
    check_limits(VIDEO, 1000, limits)


def test_no_limits() -> None:
    check_limits(SPEECH, 10**12, MediaLimits())


def test_too_large() -> None:
    with pytest.raises(PayloadTooLarge, match="1001 bytes; the limit is 1000 bytes") as caught:
        check_limits(VIDEO, 1001, MediaLimits(max_bytes=1000))
    assert caught.value.fields == {"limit": "max_bytes", "maximum": 1000, "actual": 1001}


def test_too_long() -> None:
    with pytest.raises(MediaRejected, match=r"lasts 125\.50 s; the limit is 120 s") as caught:
        check_limits(VIDEO, 1, MediaLimits(max_duration_seconds=120))
    assert caught.value.fields["actual"] == 125.5


def test_container_not_allowed() -> None:
    limits = MediaLimits(allowed_containers=frozenset({"webm", "mp4"}))
    with pytest.raises(
        MediaRejected, match="wav container is not accepted here; accepted: mp4, webm"
    ):
        check_limits(SPEECH, 1, limits)


def test_video_required() -> None:
    with pytest.raises(MediaRejected, match="no video stream"):
        check_limits(SPEECH, 1, MediaLimits(require_video=True))


def test_audio_required() -> None:
    silent = dataclasses.replace(VIDEO, audio_codec=None, has_audio=False, audio_tracks=0)
    with pytest.raises(MediaRejected, match="no audio stream"):
        check_limits(silent, 1, MediaLimits(require_audio=True))


def test_from_settings_only_narrows() -> None:
    media = MediaSettings(max_upload_bytes=5000, max_duration_seconds=600)
    assert MediaLimits.from_settings(media) == MediaLimits(max_bytes=5000, max_duration_seconds=600)
    narrowed = MediaLimits.from_settings(media, max_duration_seconds=60, require_video=True)
    assert (narrowed.max_duration_seconds, narrowed.require_video) == (60, True)
    assert MediaLimits.from_settings(media, max_duration_seconds=9999).max_duration_seconds == 600


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"max_bytes": 0}, id="zero-bytes"),
        pytest.param({"max_duration_seconds": -1.0}, id="negative-duration"),
        pytest.param({"allowed_containers": frozenset({"mp4", "exe"})}, id="unknown-container"),
    ],
)
def test_invalid_limits(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"max_bytes|max_duration|exe"):
        MediaLimits(**kwargs)  # type: ignore[arg-type]  # the dict holds the right types
