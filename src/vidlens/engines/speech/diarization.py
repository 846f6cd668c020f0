"""Speaker diarization: who spoke when, from resemblyzer embeddings over VAD regions.

Pipeline (:class:`SpeakerDiarizer`): audio extracted with ffmpeg → Silero VAD (bundled in
faster-whisper) → sliding windows inside speech → 256-d resemblyzer embeddings → average-
linkage agglomerative clustering on cosine distance (automatic speaker count by threshold,
optionally bounded, or a given count) → consecutive windows merged into :class:`SpeakerTurn` s.
A stereo file whose two channels carry different signals is diarized by channel instead (one
speaker per channel).

:func:`diarization_error_rate` scores turns against a reference (RTTM), :func:`assign_speakers`
labels a :class:`~vidlens.engines.speech.types.Transcript`'s segments and words.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import subprocess
import tempfile
import time
import warnings
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlens.engines.base import Availability, Engine, ProgressHook, no_progress
from vidlens.engines.errors import AudioUnreadable, ModelIntegrityError, ModelMissing
from vidlens.engines.models import ModelManager
from vidlens.engines.speech._audio import SAMPLE_RATE, extract_audio
from vidlens.engines.speech.diarization_settings import DiarizationSettings
from vidlens.engines.speech.segmentation import (
    SEGMENTATION_ID,
    load_segmentation,
    segmentation_installed,
)
from vidlens.engines.speech.segmentation import segment as segment_speakers
from vidlens.engines.speech.segmented import (
    add_overlap,
    assign_local,
    frames_from_turns,
    local_embeddings,
    reconstruct,
    turns_from_frames,
)
from vidlens.engines.speech.types import Transcript, Word
from vidlens.errors import EngineUnavailable, InvalidInput

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

INSTALL_HINT = "pip install torch==2.13.0 resemblyzer==0.1.4 scipy==1.17.1"
RESEMBLYZER_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
"""sha256 of ``resemblyzer/pretrained.pt`` in resemblyzer 0.1.4; any other file is refused."""
ENCODER_ID = "resemblyzer:0.1.4"
_FRAME = 0.01  # resemblyzer's mel hop: 10 ms
_MIN_REGION = 0.4  # seconds: shorter speech is labelled by its neighbours, not embedded
_LABEL_STEP = 0.05  # seconds: speech is labelled in pieces this long (turn-boundary precision)


@dataclass(frozen=True, slots=True)
class SpeakerTurn:
    """One stretch of speech by one speaker, times in seconds from the start of the media."""

    start: float
    end: float
    speaker: str


@dataclass(frozen=True, slots=True)
class Diarization:
    """The result of one diarization run.

    Attributes:
        turns: speaker turns sorted by start time (turns of different speakers may overlap
            in channel mode).
        speakers: the distinct labels, in order of first appearance (``SPEAKER_00`` ...).
        mode: ``"embedding"`` or ``"channel"`` (stereo, one speaker per channel).
        duration: seconds of audio.
        metrics: ``processing_seconds``, ``real_time_factor``.
    """

    turns: tuple[SpeakerTurn, ...]
    speakers: tuple[str, ...]
    mode: str
    duration: float
    metrics: dict[str, float]


class SpeakerDiarizer(Engine):
    """Speaker diarization with resemblyzer embeddings and agglomerative clustering.

    Arguments:
        settings: windowing, clustering threshold, threads.
        models: a shared model manager for the speaker encoder (default: a private one).
    """

    name = "resemblyzer-agglomerative"
    kind = "speaker-diarization"

    def __init__(
        self, settings: DiarizationSettings | None = None, models: ModelManager[Any] | None = None
    ) -> None:
        self.settings = settings or DiarizationSettings()
        self.models: ModelManager[Any] = models or ModelManager(
            self._load_encoder, ttl_seconds=self.settings.idle_ttl_seconds
        )

    def availability(self) -> Availability:
        for module, what in (
            ("torch", "torch"),
            ("resemblyzer", "resemblyzer"),
            ("scipy", "scipy"),
        ):
            if importlib.util.find_spec(module) is None:
                return Availability.missing(f"{what} is not installed", hint=INSTALL_HINT)
        if importlib.util.find_spec("faster_whisper") is None:
            return Availability.missing(
                "faster-whisper (Silero VAD) is not installed",
                hint="pip install faster-whisper==1.2.1",
            )
        return Availability.ok()

    def _load_encoder(self, model_id: str) -> Any:
        if model_id == SEGMENTATION_ID:
            return load_segmentation(self.settings.cpu_threads)
        weights = _resemblyzer_weights()
        try:
            import torch

            with warnings.catch_warnings():
                # resemblyzer 0.1.4 imports scipy.ndimage.morphology (deprecated) and
                # webrtcvad imports pkg_resources (deprecated): harmless, silenced here.
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", UserWarning)
                from resemblyzer import VoiceEncoder  # type: ignore[import-untyped]  # no stubs
        except ImportError:
            raise ModelMissing("torch or resemblyzer is not installed", hint=INSTALL_HINT) from None
        major, minor = (int(part) for part in torch.__version__.split(".")[:2])
        if (major, minor) < (2, 6):
            # Older torch unpickles arbitrary objects by default in resemblyzer's torch.load.
            raise ModelMissing(
                f"torch {torch.__version__} is too old (weights_only loading needs >= 2.6)",
                hint=INSTALL_HINT,
            )
        torch.set_num_threads(self.settings.cpu_threads)
        # torch>=2.6 loads with weights_only=True by default: resemblyzer's own torch.load
        # call therefore unpickles tensors only (checked in the tests), and the file's sha256
        # was verified above.
        return VoiceEncoder(device="cpu", verbose=False, weights_fpath=weights)

    def diarize(
        self,
        media: Path,
        *,
        audio_track: int = 0,
        num_speakers: int | None = None,
        by_channel: bool | None = None,
        progress: ProgressHook | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> Diarization:
        """Find who spoke when in one audio track of a media file.

        Arguments:
            media: any media file ffmpeg reads.
            audio_track: audio stream index, counted from 0 among audio streams.
            num_speakers: the number of speakers when known; ``None`` finds it.
            by_channel: ``True`` forces one speaker per channel (stereo), ``False`` never,
                ``None`` detects two distinct channels.
            progress: called with ``(fraction, phase)``.
            min_speakers: lower bound on the automatic count (ignored with ``num_speakers``).
            max_speakers: upper bound on the automatic count (ignored with ``num_speakers``).

        Returns:
            The turns and the speakers found.

        Raises:
            vidlens.engines.errors.AudioUnreadable: no decodable audio at that track.
            vidlens.errors.InvalidInput: a speaker count or bound < 1, ``min_speakers`` >
                ``max_speakers``, or a negative track.
            vidlens.errors.EngineUnavailable: torch, resemblyzer or ffmpeg missing.
        """
        report = progress or no_progress
        for field, value in (
            ("num_speakers", num_speakers),
            ("min_speakers", min_speakers),
            ("max_speakers", max_speakers),
        ):
            if value is not None and value < 1:
                raise InvalidInput(f"{field} must be at least 1", field=field)
        if min_speakers is not None and max_speakers is not None and min_speakers > max_speakers:
            raise InvalidInput("min_speakers must not exceed max_speakers", field="min_speakers")
        if num_speakers is not None:
            min_speakers = max_speakers = num_speakers
        if audio_track < 0:
            raise InvalidInput("audio_track must be >= 0", field="audio_track")
        started = time.perf_counter()
        report(0.0, "extracting audio")
        if by_channel is not False:
            channels = _extract_channels(media, audio_track, self.settings)
            if channels is not None and (by_channel or _distinct_channels(channels)):
                turns = _channel_turns(channels)
                return self._result(
                    turns, "channel", channels.shape[1] / SAMPLE_RATE, started, report
                )
        samples = extract_audio(
            media,
            track=audio_track,
            ffmpeg=self.settings.ffmpeg,
            timeout_seconds=self.settings.extract_timeout_seconds,
        )
        report(0.05, "voice activity")
        settings = self.settings
        regions = speech_regions(
            samples,
            threshold=settings.vad_threshold,
            min_silence_ms=settings.vad_min_silence_ms,
            pad_ms=settings.vad_speech_pad_ms,
            min_speech_ms=settings.vad_min_speech_ms,
        )
        report(0.1, "loading model")
        mode = "embedding"
        with self.models.acquire(ENCODER_ID) as encoder:
            report(0.15, "embedding")
            turns = self._cluster_turns(encoder, samples, regions, min_speakers, max_speakers)
            if self.settings.segmentation and segmentation_installed():
                report(0.5, "overlap")
                turns, mode = self._segmented(encoder, samples, turns, min_speakers, max_speakers)
        return self._result(turns, mode, samples.size / SAMPLE_RATE, started, report)

    def _segmented(
        self,
        encoder: Any,
        samples: FloatArray,
        turns: list[SpeakerTurn],
        min_speakers: int | None,
        max_speakers: int | None,
    ) -> tuple[list[SpeakerTurn], str]:
        """Window-clustering ``turns`` fused with the segmentation model
        (:mod:`vidlens.engines.speech.segmented`): the local-speaker clustering when it
        finds more speakers (mode ``segmentation``), else ``turns`` with silence and overlap
        from the model (mode ``embedding``)."""
        import numpy as np

        with self.models.acquire(SEGMENTATION_ID) as session:
            activity = segment_speakers(
                session, samples, step_seconds=self.settings.segmentation_step_seconds
            )
        embeddings = local_embeddings(encoder, samples, activity)
        valid = ~np.isnan(embeddings[..., 0])
        speakers = sorted({turn.speaker for turn in turns})
        if valid.any():
            labels = cluster(
                embeddings[valid],
                threshold=self.settings.local_cluster_threshold,
                min_fraction=self.settings.min_cluster_fraction,
                min_speakers=min_speakers,
                max_speakers=max_speakers,
            )
            if max(labels) + 1 > len(speakers):
                frames = reconstruct(activity, assign_local(embeddings, labels), max(labels) + 1)
                return _relabel_in_time(
                    turns_from_frames(frames, activity.duration)
                ), "segmentation"
        base = frames_from_turns(turns, speakers, activity.total_frames)
        fused = turns_from_frames(add_overlap(base, activity), activity.duration)
        names = dict(zip((f"SPEAKER_{i:02d}" for i in range(len(speakers))), speakers, strict=True))
        return _relabel_in_time(
            [SpeakerTurn(t.start, t.end, names[t.speaker]) for t in fused]
        ), "embedding"

    def _result(
        self,
        turns: list[SpeakerTurn],
        mode: str,
        duration: float,
        started: float,
        report: ProgressHook,
    ) -> Diarization:
        turns.sort(key=lambda t: (t.start, t.speaker))
        speakers = tuple(dict.fromkeys(t.speaker for t in turns))
        elapsed = time.perf_counter() - started
        report(1.0, None)
        return Diarization(
            turns=tuple(turns),
            speakers=speakers,
            mode=mode,
            duration=duration,
            metrics={
                "processing_seconds": elapsed,
                "real_time_factor": elapsed / duration if duration else 0.0,
            },
        )

    def _cluster_turns(
        self,
        encoder: Any,
        samples: FloatArray,
        regions: list[tuple[float, float]],
        min_speakers: int | None,
        max_speakers: int | None,
    ) -> list[SpeakerTurn]:
        import numpy as np

        windows = self._windows(regions)
        if not windows:
            return []
        embeddings = _embed(encoder, samples, windows)
        labels = cluster(
            embeddings,
            threshold=self.settings.cluster_threshold,
            min_fraction=self.settings.min_cluster_fraction,
            min_speakers=min_speakers,
            max_speakers=max_speakers,
        )
        centres = np.array([(a + b) / 2 for a, b in windows])
        return _relabel(_label_regions(regions, centres, labels))

    def _windows(self, regions: list[tuple[float, float]]) -> list[tuple[float, float]]:
        size, step = self.settings.window_seconds, self.settings.step_seconds
        windows: list[tuple[float, float]] = []
        for start, end in regions:
            if end - start < _MIN_REGION:
                continue
            if end - start <= size:
                windows.append((start, end))
                continue
            t = start
            while t + size <= end + 1e-6:
                windows.append((t, t + size))
                t += step
            if windows[-1][1] < end - step / 2:
                windows.append((end - size, end))
        return windows

    def close(self) -> None:
        self.models.close()


def _resemblyzer_weights() -> Path:
    """The verified ``pretrained.pt`` of the installed resemblyzer (package code not run)."""
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("resemblyzer is not installed", hint=INSTALL_HINT)
    path = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    if not path.is_file():
        raise ModelMissing(f"resemblyzer weights not found at {path}", hint=INSTALL_HINT)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != RESEMBLYZER_SHA256:
        raise ModelIntegrityError(
            f"{path} has sha256 {digest}, expected {RESEMBLYZER_SHA256}: not loaded"
        )
    return path


def speech_regions(
    samples: FloatArray,
    *,
    threshold: float = 0.5,
    min_silence_ms: int = 250,
    pad_ms: int = 30,
    min_speech_ms: int = 150,
) -> list[tuple[float, float]]:
    """Speech regions in seconds, by the Silero VAD bundled with faster-whisper.

    The defaults suit close-talk audio (the stereo channel mode uses them); the embedding
    mode passes the recall-oriented values of :class:`DiarizationSettings`.
    """
    try:
        from faster_whisper.vad import (  # type: ignore[import-untyped]  # no stubs
            VadOptions,
            get_speech_timestamps,
        )
    except ImportError:
        raise EngineUnavailable(
            "faster-whisper is not installed", hint="pip install faster-whisper==1.2.1"
        ) from None
    options = VadOptions(
        threshold=threshold,
        min_silence_duration_ms=min_silence_ms,
        speech_pad_ms=pad_ms,
        min_speech_duration_ms=min_speech_ms,
    )
    stamps = get_speech_timestamps(samples, options)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def _embed(encoder: Any, samples: FloatArray, windows: list[tuple[float, float]]) -> FloatArray:
    """One L2-normalised 256-d embedding per window (batched by equal length)."""
    import numpy as np
    import torch
    from resemblyzer.audio import (  # type: ignore[import-untyped]  # no stubs
        normalize_volume,
        wav_to_mel_spectrogram,
    )

    wav = normalize_volume(samples, -30, increase_only=True).astype(np.float32)
    mel = wav_to_mel_spectrogram(wav)
    slices = [
        (round(a / _FRAME), max(round(b / _FRAME), round(a / _FRAME) + 1)) for a, b in windows
    ]
    out = np.zeros((len(windows), 256), dtype=np.float32)
    by_length: dict[int, list[int]] = {}
    for index, (a, b) in enumerate(slices):
        by_length.setdefault(b - a, []).append(index)
    with torch.no_grad():
        for indices in by_length.values():
            batch = np.stack([mel[slices[i][0] : slices[i][1]] for i in indices])
            out[indices] = encoder(torch.from_numpy(batch)).numpy()
    return out


def cluster(
    embeddings: FloatArray,
    *,
    num_speakers: int | None = None,
    threshold: float = 0.3,
    min_fraction: float = 0.05,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
) -> list[int]:
    """Average-linkage agglomerative clustering on cosine distance.

    The tree is cut at ``threshold``; clusters holding less than ``min_fraction`` of the
    rows are folded into the nearest remaining cluster (by centroid), so only "big"
    clusters count as speakers. When that count falls outside ``[min_speakers,
    max_speakers]`` (``num_speakers`` sets both), the cut moves to the threshold nearest
    ``threshold`` (0.01 steps) giving the nearest allowed count; when none does, the tree is
    cut into more and more clusters until that many are big, and the biggest are kept.

    Arguments:
        embeddings: one row per window.
        num_speakers: exactly this many clusters (when there are enough rows).
        threshold: cosine distance where merging stops.
        min_fraction: smallest share of the rows a cluster needs to stand alone.
        min_speakers: fewest clusters wanted (automatic count otherwise).
        max_speakers: most clusters wanted.

    Returns:
        A label per row, 0-based, numbered by first appearance.
    """
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]  # no stubs

    count = embeddings.shape[0]
    if num_speakers is not None:
        min_speakers = max_speakers = num_speakers
    low = min(min_speakers or 1, count)
    high = min(max_speakers or count, count)
    if count < 2 or high <= 1:
        return [0] * count
    normed = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    tree = linkage(normed, method="average", metric="cosine")
    floor = max(1.0, min_fraction * count)

    def keep(raw: Any, wanted: list[int]) -> Any:
        """Fold every cluster not in ``wanted`` into the nearest wanted centroid."""
        centroids = np.stack([normed[raw == c].mean(axis=0) for c in wanted])
        out = raw.copy()
        for i in range(count):
            if int(raw[i]) not in wanted:
                out[i] = wanted[int(np.argmax(centroids @ normed[i]))]
        return out

    def cut(distance: float) -> Any:
        raw = fcluster(tree, t=distance, criterion="distance")
        ids, sizes = np.unique(raw, return_counts=True)
        big = [int(c) for c, n in zip(ids, sizes, strict=True) if n >= floor]
        if not big:  # every cluster is small: the largest one stands for all
            big = [int(ids[int(np.argmax(sizes))])]
        return keep(raw, big) if len(big) < len(ids) else raw

    labels = cut(threshold)
    found = len(np.unique(labels))
    if not low <= found <= high:
        target = min(max(found, low), high)
        candidates = sorted(np.arange(0.01, 2.0, 0.01), key=lambda t: abs(t - threshold))
        for distance in candidates:
            tried = cut(float(distance))
            if len(np.unique(tried)) == target:
                labels = tried
                break
        else:
            labels = _biggest_clusters(tree, count, target, floor, keep)
    order: dict[int, int] = {}
    return [order.setdefault(int(c), len(order)) for c in labels]


def _biggest_clusters(tree: Any, count: int, wanted: int, floor: float, keep: Any) -> Any:
    """Cut ``tree`` into ever more clusters until ``wanted`` are big; keep the biggest."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster

    raw = fcluster(tree, t=wanted, criterion="maxclust")
    for k in range(wanted, count + 1):
        raw = fcluster(tree, t=k, criterion="maxclust")
        ids, sizes = np.unique(raw, return_counts=True)
        if int((sizes >= floor).sum()) >= wanted:
            break
    ids, sizes = np.unique(raw, return_counts=True)
    biggest = [int(c) for c in ids[np.argsort(-sizes, kind="stable")[:wanted]]]
    return keep(raw, biggest)


def _label_regions(
    regions: list[tuple[float, float]], centres: Any, labels: Sequence[int]
) -> list[SpeakerTurn]:
    """Turns covering ``regions``: each short piece takes the label of the nearest window.

    A change of speaker between two windows therefore falls halfway between their centres
    (to within ``_LABEL_STEP``), not on a grid of the window hop.
    """
    import numpy as np

    order = np.argsort(centres, kind="stable")
    sorted_centres = centres[order]
    sorted_labels = np.asarray(labels)[order]
    turns: list[SpeakerTurn] = []
    for start, end in regions:
        edges = np.append(np.arange(start, end - 1e-6, _LABEL_STEP), end)
        middles = (edges[:-1] + edges[1:]) / 2
        right = np.clip(np.searchsorted(sorted_centres, middles), 0, len(sorted_centres) - 1)
        left = np.clip(right - 1, 0, len(sorted_centres) - 1)
        closer_left = np.abs(sorted_centres[left] - middles) <= np.abs(
            sorted_centres[right] - middles
        )
        piece_labels = sorted_labels[np.where(closer_left, left, right)]
        run_start = 0
        for i in range(1, len(piece_labels) + 1):
            if i == len(piece_labels) or piece_labels[i] != piece_labels[run_start]:
                turns.append(
                    SpeakerTurn(
                        float(edges[run_start]),
                        float(edges[i]),
                        f"SPEAKER_{int(piece_labels[run_start]):02d}",
                    )
                )
                run_start = i
    return turns


def _relabel_in_time(turns: list[SpeakerTurn]) -> list[SpeakerTurn]:
    """Turns sorted by start, speakers renamed ``SPEAKER_00``... by first appearance."""
    return _relabel(sorted(turns, key=lambda t: (t.start, t.end)))


def _relabel(turns: list[SpeakerTurn]) -> list[SpeakerTurn]:
    names: dict[str, str] = {}
    return [
        SpeakerTurn(t.start, t.end, names.setdefault(t.speaker, f"SPEAKER_{len(names):02d}"))
        for t in turns
    ]


# --- stereo: one speaker per channel -------------------------------------------------------


def _extract_channels(media: Path, track: int, settings: DiarizationSettings) -> FloatArray | None:
    """The track as a (2, n) array when it has exactly two channels, else ``None``."""
    import numpy as np

    with tempfile.TemporaryDirectory(prefix="vidlens-diar-") as folder:
        wav = Path(folder) / "stereo.wav"
        command = [
            settings.ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(media),
            "-map", f"0:a:{track}", "-vn", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le",
            "-f", "wav", str(wav),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=settings.extract_timeout_seconds,
                check=False,
            )
        except FileNotFoundError:
            raise EngineUnavailable(
                f"ffmpeg not found ({settings.ffmpeg})", hint="apt-get install ffmpeg"
            ) from None
        except subprocess.TimeoutExpired:
            raise AudioUnreadable(f"extracting audio track {track} timed out") from None
        if done.returncode != 0 or not wav.is_file():
            return None  # extract_audio reports the precise error on the mono path
        with wave.open(str(wav), "rb") as reader:
            if reader.getnchannels() != 2:
                return None
            frames = reader.readframes(reader.getnframes())
    data = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    return np.ascontiguousarray(data.reshape(-1, 2).T)


def _distinct_channels(channels: FloatArray) -> bool:
    """Two channels that both carry sound but are not copies of one another."""
    import numpy as np

    left, right = channels[0].astype(np.float64), channels[1].astype(np.float64)
    energy = np.array([np.sqrt(np.mean(left**2)), np.sqrt(np.mean(right**2))])
    if energy.min() < 1e-3:  # about -60 dBFS: a silent channel is not a speaker
        return False
    correlation = float(np.dot(left, right) / (np.linalg.norm(left) * np.linalg.norm(right)))
    return abs(correlation) < 0.5


def _channel_turns(channels: FloatArray) -> list[SpeakerTurn]:
    turns: list[SpeakerTurn] = []
    for index in range(channels.shape[0]):
        speaker = f"SPEAKER_{index:02d}"
        turns.extend(SpeakerTurn(a, b, speaker) for a, b in speech_regions(channels[index]))
    return turns


# --- speakers on transcripts ---------------------------------------------------------------


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def speaker_at(start: float, end: float, turns: Sequence[SpeakerTurn]) -> str | None:
    """The speaker overlapping ``[start, end]`` the most; the nearest turn's when none does."""
    if not turns:
        return None
    totals: dict[str, float] = {}
    for turn in turns:
        shared = _overlap(start, end, turn.start, turn.end)
        if shared > 0:
            totals[turn.speaker] = totals.get(turn.speaker, 0.0) + shared
    if totals:
        return max(totals, key=lambda s: totals[s])
    middle = (start + end) / 2
    nearest = min(turns, key=lambda t: min(abs(t.start - middle), abs(t.end - middle)))
    return nearest.speaker


def assign_speakers(transcript: Transcript, turns: Sequence[SpeakerTurn]) -> Transcript:
    """A copy of ``transcript`` whose segments carry the speaker of maximal overlap.

    Words are labelled individually (``Word`` has no speaker field, so per-word speakers are
    returned by :func:`word_speakers`); a segment's speaker is the one covering most of its
    words' time, or of its own span when it has no words.
    """
    segments = []
    for segment in transcript.segments:
        if segment.words:
            totals: dict[str, float] = {}
            for word, speaker in zip(
                segment.words, word_speakers(segment.words, turns), strict=True
            ):
                if speaker is not None:
                    totals[speaker] = totals.get(speaker, 0.0) + max(word.end - word.start, 1e-3)
            label = max(totals, key=lambda s: totals[s]) if totals else None
        else:
            label = speaker_at(segment.start, segment.end, turns)
        segments.append(dataclasses.replace(segment, speaker=label))
    return dataclasses.replace(transcript, segments=tuple(segments))


def word_speakers(words: Iterable[Word], turns: Sequence[SpeakerTurn]) -> list[str | None]:
    """The speaker of each word, by maximal overlap with the turns."""
    return [speaker_at(word.start, word.end, turns) for word in words]


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DerResult:
    """Diarization error rate and its parts, in seconds of reference speech."""

    der: float
    missed: float
    false_alarm: float
    confusion: float
    total: float
    mapping: dict[str, str]
    """Hypothesis label → reference label (optimal one-to-one assignment)."""


def read_rttm(path: Path) -> list[SpeakerTurn]:
    """Turns of an RTTM file (``SPEAKER file 1 start duration <NA> <NA> label ...``)."""
    turns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER":
            start, duration = float(fields[3]), float(fields[4])
            turns.append(SpeakerTurn(start, start + duration, fields[7]))
    return turns


def diarization_error_rate(
    reference: Sequence[SpeakerTurn],
    hypothesis: Sequence[SpeakerTurn],
    *,
    uem: tuple[float, float] | None = None,
    collar: float = 0.0,
    resolution: float = 0.001,
) -> DerResult:
    """DER = (missed + false alarm + confusion) / reference speech, NIST-style.

    Time is sampled every ``resolution`` seconds. Overlapped speech counts once per speaker.
    Hypothesis speakers are mapped one-to-one to reference speakers by the Hungarian
    assignment maximising the time they share. ``collar`` seconds on each side of every
    reference boundary are not scored (0.25 is the usual value).

    Arguments:
        reference: ground-truth turns.
        hypothesis: system turns.
        uem: the scored region ``(start, end)``; default: from 0 to the last turn's end.
        collar: half-width of the unscored zone around reference boundaries, in seconds.
        resolution: time step of the evaluation, in seconds.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]  # no stubs

    if uem is None:
        uem = (0.0, max((t.end for t in [*reference, *hypothesis]), default=0.0))
    count = max(0, round((uem[1] - uem[0]) / resolution))
    times = uem[0] + (np.arange(count) + 0.5) * resolution

    def activity(turns: Sequence[SpeakerTurn]) -> tuple[list[str], Any]:
        labels = sorted({t.speaker for t in turns})
        matrix = np.zeros((len(labels), count), dtype=bool)
        for turn in turns:
            row = labels.index(turn.speaker)
            matrix[row] |= (times >= turn.start) & (times < turn.end)
        return labels, matrix

    ref_labels, ref = activity(reference)
    hyp_labels, hyp = activity(hypothesis)
    scored = np.ones(count, dtype=bool)
    if collar > 0:
        for turn in reference:
            for edge in (turn.start, turn.end):
                scored &= np.abs(times - edge) > collar
    ref, hyp = ref[:, scored], hyp[:, scored]
    shared = ref.astype(np.float64) @ hyp.T.astype(np.float64)  # (n_ref, n_hyp)
    mapping: dict[str, str] = {}
    correct = np.zeros(ref.shape[1])
    if shared.size:
        rows, cols = linear_sum_assignment(-shared)
        for r, c in zip(rows, cols, strict=True):
            mapping[hyp_labels[c]] = ref_labels[r]
            correct += ref[r] & hyp[c]
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    missed = float(np.maximum(n_ref - n_hyp, 0).sum()) * resolution
    false_alarm = float(np.maximum(n_hyp - n_ref, 0).sum()) * resolution
    confusion = float((np.minimum(n_ref, n_hyp) - correct).sum()) * resolution
    total = float(n_ref.sum()) * resolution
    errors = missed + false_alarm + confusion
    der = errors / total if total else (0.0 if errors == 0 else float("inf"))
    return DerResult(der, missed, false_alarm, confusion, total, mapping)
