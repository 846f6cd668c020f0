"""Job kinds of the reframe pipeline.

* ``reframe.ingest``: download a URL input (SSRF rules at every hop), probe it, store it;
* ``reframe.step``: run one analysis or transform on an ingested video;
* ``reframe.pipeline``: the one-call ``POST /api/v2/reframe``: ingest, then every step of
  :data:`~vidlens.reframe.steps.PIPELINE` in order, each result stored as it completes.

Domain errors (bad URL, not a video, no decodable frames...) fail the job at once with
their code and message; ``GET /api/v2/status`` shows them.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any

from vidlens.engines.base import ProgressHook
from vidlens.errors import VidlensError
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler
from vidlens.media import service as media_service
from vidlens.media.fetch import UrlPolicy, fetch_url
from vidlens.media.store import LocalMediaStore
from vidlens.reframe import service
from vidlens.reframe.steps import (
    INGEST,
    PIPELINE,
    TRANSFORMS,
    StepInput,
    run_scenes_and_faces,
    run_step,
)
from vidlens.storage.tables import Media, ReframeVideo

INGEST_SHARE = 5.0
"""Percent of the one-call pipeline's progress given to the download."""
WEIGHTS = {
    "scene_detection": 8.0,
    "face_tracking_yolov8": 25.0,
    "diarization": 10.0,
    "active_speaker": 4.0,
    "transcription": 20.0,
    "reframe": 28.0,
}
"""Relative share of each step in the one-call pipeline's progress (measured times)."""


def _video(ctx: JobContext) -> ReframeVideo:
    with ctx.db.read_session() as session:
        return service.get_video(
            session=session, account_id=ctx.account_id, video_id=str(ctx.params["video_id"])
        )


def _ingest(ctx: JobContext, video: ReframeVideo, url: str) -> Media:
    settings = ctx.settings
    store = LocalMediaStore(settings.media_dir)
    ctx.progress(0.0, f"{INGEST}: downloading")
    received = asyncio.run(
        fetch_url(
            url,
            policy=UrlPolicy.from_setting(settings.url_allowlist),
            store=store,
            account_id=ctx.account_id,
            max_bytes=settings.media.max_upload_bytes,
            timeout=settings.media.url_timeout_seconds,
            max_redirects=settings.media.url_max_redirects,
        )
    )
    ctx.progress(INGEST_SHARE / 2, f"{INGEST}: probing")
    media = media_service.ingest_file(
        db=ctx.db,
        store=store,
        account_id=ctx.account_id,
        received=received,
        limits=service.media_limits(settings),
        source_url=url,
        ffprobe=settings.media.ffprobe,
        probe_timeout=settings.media.probe_timeout_seconds,
    )
    with ctx.db.session() as session:
        row = session.get(ReframeVideo, video.id)
        if row is not None:
            row.media_id = media.id
    service.save_result(
        db=ctx.db,
        settings=settings,
        video_id=video.id,
        step=INGEST,
        job_id=ctx.job_id,
        result=service.ingest_result(media),
    )
    return media


@job_handler("reframe.ingest", event_prefix="reframe")
def ingest(ctx: JobContext) -> dict[str, Any]:
    """Download and store the video of ``params.url`` for ``params.video_id``."""
    video = _video(ctx)
    media = _ingest(ctx, video, str(ctx.params["url"]))
    return {"video_id": video.id, "step": INGEST, "media_id": media.id}


def _run(
    ctx: JobContext,
    video: ReframeVideo,
    step: str,
    parameters: dict[str, Any],
    report: ProgressHook,
) -> dict[str, Any]:
    """Run one step, its progress (fraction 0-1, phase) going to ``report``, and store its
    result."""
    media_path = ctx.media_path(video.media_id)
    results = service.load_results(db=ctx.db, video_id=video.id, step=step)
    key = service.output_key(video.id, step) if step in TRANSFORMS else None
    output = ctx.settings.media_dir / key if key else None
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
    report(0.0, None)
    outcome = run_step(
        step,
        StepInput(media_path, ctx.settings, results, parameters, output, report),
    )
    _save(ctx, video, step, outcome.result, key)
    return outcome.result


def _save(
    ctx: JobContext, video: ReframeVideo, step: str, result: dict[str, Any], key: str | None
) -> None:
    service.save_result(
        db=ctx.db,
        settings=ctx.settings,
        video_id=video.id,
        step=step,
        job_id=ctx.job_id,
        result=result,
        output=key,
    )


_JOINT = ("scene_detection", "face_tracking_yolov8")
"""Steps the one-call pipeline runs from one decoding pass."""


def _run_joint(
    ctx: JobContext, video: ReframeVideo, scenes: ProgressHook, faces: ProgressHook
) -> list[dict[str, Any]]:
    """Scene detection and face tracking in one pass; each result stored (scenes
    first, as if run one after the other)."""
    media_path = ctx.media_path(video.media_id)
    scenes(0.0, None)
    step_input = StepInput(media_path, ctx.settings, {}, {}, None, scenes)
    outcomes = run_scenes_and_faces(step_input, faces)
    for name, outcome in zip(_JOINT, outcomes, strict=True):
        _save(ctx, video, name, outcome.result, None)
    return [o.result for o in outcomes]


class _Stopped(Exception):
    """Another branch of the pipeline failed: this one stops at its next report."""


class _Progress:
    """The one-call pipeline's progress: steps running side by side report their fraction;
    the job's percent is the weighted sum, its phase names the running steps
    (``a+b: detail``, which ``GET /status`` reads)."""

    def __init__(self, ctx: JobContext, weights: dict[str, float], start: float) -> None:
        self._ctx, self._weights, self._start = ctx, weights, start
        self._total = sum(weights.values())
        self._done: dict[str, float] = {}
        self._running: list[str] = []
        self._lock = threading.Lock()
        self.stopped = False

    def hook(self, step: str) -> ProgressHook:
        def report(fraction: float, phase: str | None) -> None:
            with self._lock:
                if self.stopped:
                    raise _Stopped(step)
                if step not in self._running:
                    self._running.append(step)
                self._done[step] = max(0.0, min(1.0, fraction))
                share = sum(self._weights[s] * f for s, f in self._done.items()) / self._total
                names = "+".join(self._running)
                percent = self._start + (99.0 - self._start) * share
                self._ctx.progress(percent, f"{names}: {phase}" if phase else names)

        return report

    def finished(self, step: str) -> None:
        with self._lock:
            self._done[step] = 1.0
            if step in self._running:
                self._running.remove(step)


@job_handler("reframe.step", event_prefix="reframe", retryable=False)
def step(ctx: JobContext) -> dict[str, Any]:
    """Run ``params.step`` with ``params.parameters`` on ``params.video_id``."""
    video = _video(ctx)
    name = str(ctx.params["step"])
    parameters: dict[str, Any] = dict(ctx.params.get("parameters") or {})

    def report(fraction: float, phase: str | None) -> None:
        share = 99.0 * max(0.0, min(1.0, fraction))
        ctx.progress(share, f"{name}: {phase}" if phase else name)

    result = _run(ctx, video, name, parameters, report)
    return {"video_id": video.id, "step": name, "summary": _summary(result)}


@job_handler("reframe.pipeline", event_prefix="reframe", retryable=False)
def pipeline(ctx: JobContext) -> dict[str, Any]:
    """Ingest ``params.url`` (unless the video is already ingested), then run every step
    in two threads: the video branch (scene detection and face tracking from one decoding
    pass, then active speaker and the render) and the audio branch (diarization, then
    transcription). Active speaker waits for diarization (its turns sharpen the scores);
    the transcript is needed by no other step of the chain, so it runs beside active
    speaker and the render instead of before them. Each branch is mostly single-threaded:
    on two cores the branches side by side keep both busy."""
    video = _video(ctx)
    parameters: dict[str, Any] = dict(ctx.params.get("parameters") or {})
    if video.media_id is None:
        media = _ingest(ctx, video, str(ctx.params["url"]))
        video.media_id = media.id
    chain = [
        s for s in PIPELINE if s != "transcription" or ctx.settings.reframe.pipeline_transcribe
    ]
    progress = _Progress(ctx, {s: WEIGHTS[s] for s in chain}, INGEST_SHARE)
    summaries: dict[str, Any] = {}
    done = {name: threading.Event() for name in chain}

    def branch(steps: list[str]) -> None:
        position = 0
        while position < len(steps):
            name = steps[position]
            for needed in _WAITS_FOR.get(name, ()):
                while needed in done and not done[needed].wait(0.2):
                    if progress.stopped:
                        raise _Stopped(name)
            joint = tuple(steps[position : position + 2]) == _JOINT
            names = list(_JOINT) if joint else [name]
            step_parameters = parameters if name == "reframe" else {}
            try:
                if joint:
                    results = _run_joint(
                        ctx, video, progress.hook(_JOINT[0]), progress.hook(_JOINT[1])
                    )
                else:
                    results = [_run(ctx, video, name, step_parameters, progress.hook(name))]
            except VidlensError as exc:
                for failed in names:
                    service.save_error(
                        db=ctx.db,
                        video_id=video.id,
                        step=failed,
                        code=str(exc.fields.get("code", exc.code)),
                        message=exc.message,
                    )
                raise
            for finished, result in zip(names, results, strict=True):
                progress.finished(finished)
                summaries[finished] = _summary(result)
                done[finished].set()
            position += len(names)

    audio_branch: list[str] = [s for s in ("diarization", "transcription") if s in chain]
    video_branch = [s for s in chain if s not in audio_branch]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="reframe-branch") as pool:
        futures = [pool.submit(branch, video_branch), pool.submit(branch, audio_branch)]
        wait(futures, return_when=FIRST_EXCEPTION)
        failed = [f for f in futures if f.done() and f.exception() is not None]
        if failed:
            progress.stopped = True  # the other branch stops at its next progress report
            wait(futures)
            errors = [f.exception() for f in futures if f.exception() is not None]
            error = next((e for e in errors if not isinstance(e, _Stopped)), errors[0])
            assert error is not None
            raise error
    return {"video_id": video.id, "steps": summaries}


_WAITS_FOR: dict[str, tuple[str, ...]] = {"active_speaker": ("diarization",)}
"""Steps of the video branch that wait for a step of the audio branch."""


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    """A small view of a step's result for the job record (the full one is in the step)."""
    keys = (
        "scene_count",
        "track_count",
        "face_count",
        "mode",
        "note",
        "output",
        "notes",
        "speakers",
        "language",
        "no_speech_reason",
    )
    return {k: result[k] for k in keys if k in result}
