"""The ``coaching.full_analysis`` job: one uploaded talk analysed in a worker.

Params (written by :mod:`vidlens.coaching.service`): ``media_id`` (the stored video),
``session_id``, ``transcript``, ``context_phrase`` and ``samples_key`` (the stored
``mediapipeSamples`` document, validated at submit; deleted once the job ends). The result
is :meth:`CoachingResult.to_dict` plus ``sessionId``; the surface adds ``videoUrl`` when it
serves it. The engines (and the loaded Whisper model) are kept per worker process.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from vidlens.coaching.intake import read_face_samples
from vidlens.jobs.context import JobContext, LeaseLost
from vidlens.jobs.handlers import job_handler
from vidlens.media.store import LocalMediaStore

if TYPE_CHECKING:
    from vidlens.coaching.analysis import CoachingEngines

KIND = "coaching.full_analysis"
_lock = threading.Lock()
_engines: list[CoachingEngines] = []


def engines() -> CoachingEngines:
    """The engines of this process, built on first use. The analysis modules (numpy, scipy)
    load only then, so that every worker that merely registers this kind starts fast."""
    from vidlens.coaching.analysis import CoachingEngines

    with _lock:
        if not _engines:
            _engines.append(CoachingEngines())
        return _engines[0]


@job_handler(KIND, retryable=False, event_prefix="coaching")
def full_analysis(ctx: JobContext) -> dict[str, Any]:
    """Analyse the job's video (see the module docstring).

    Raises:
        VideoUnreadable, InvalidFaceSamples, EngineUnavailable: see
            :func:`~vidlens.coaching.analysis.analyze_talk`.
    """
    from vidlens.coaching.analysis import CoachingRequest, analyze_talk

    params = ctx.params
    store = LocalMediaStore(ctx.settings.media_dir)
    samples_key = params.get("samples_key")
    try:
        media = ctx.media()
        ctx.progress(0.0, "starting")
        samples = None
        if isinstance(samples_key, str):
            samples = read_face_samples(
                store.local_path(samples_key),
                ctx.settings.coaching.face,
                media.duration_seconds or 0.0,
            )
        request = CoachingRequest(
            context_phrase=params.get("context_phrase"),
            transcript=params.get("transcript"),
            face_samples=samples,
        )
        result = analyze_talk(
            ctx.media_path(),
            request,
            ctx.settings,
            engines(),
            lambda fraction, phase: ctx.progress(100.0 * fraction, phase),
        )
    except LeaseLost:
        raise  # another worker owns the job now and needs the samples file
    except BaseException:
        _forget(store, samples_key)
        raise
    _forget(store, samples_key)
    return {"sessionId": params.get("session_id"), **result.to_dict()}


def _forget(store: LocalMediaStore, key: object) -> None:
    if isinstance(key, str):
        with contextlib.suppress(Exception):
            store.delete(key)
