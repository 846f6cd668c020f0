"""Job kinds and their handlers.

A handler is a plain function ``handler(ctx: JobContext) -> dict[str, Any]`` (the job's JSON
result), marked with :func:`job_handler`::

    from vidlens.jobs.handlers import job_handler

    @job_handler("media.verify", public=True)
    def verify(ctx: JobContext) -> dict[str, Any]: ...

The decorator only attaches a :class:`HandlerSpec` to the function; nothing global changes on
import. A :class:`HandlerRegistry` collects marked functions from whole modules
(:meth:`HandlerRegistry.include_module`). :func:`load_registry` builds the registry of a
process: the built-in modules (:data:`BUILTIN_MODULES`) and every module named in
``settings.jobs.plugins`` go through that same path, so a plugin is just an importable module
with ``@job_handler`` functions at its top level.

Handler failures: a :class:`~vidlens.errors.VidlensError` fails the job at once with its code
and message; any other exception is retried (up to the job's ``max_attempts``) when the
handler is ``retryable``, then fails the job with ``"<ExceptionType>: message"``. An attempt
that runs longer than its kind's ``timeout_seconds`` (else ``settings.jobs.timeout_seconds``)
fails with ``JOB_TIMEOUT``, without retry.

Only ``public`` kinds may be submitted through the generic ``POST /api/jobs`` route; the
others are submitted by the surfaces that own them (which may charge credits first).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from vidlens.config import Settings
from vidlens.jobs.context import JobContext
from vidlens.jobs.events import (
    STANDARD_EVENTS,
    EventFormatter,
    JobEvent,
    PrefixedEvents,
    WebhookEvent,
)
from vidlens.storage.tables import Job

Handler = Callable[[JobContext], dict[str, Any]]

BUILTIN_MODULES: tuple[str, ...] = (
    "vidlens.jobs.builtin",
    "vidlens.gateway.jobs",
    "vidlens.gateway.analysis_job",
    "vidlens.gateway.translation_job",
    "vidlens.coaching.jobs",
    "vidlens.gait.jobs",
    "vidlens.reframe.jobs",
)
_MARK = "__vidlens_job_handler__"


@dataclass(frozen=True)
class HandlerSpec:
    """A job kind: its handler, whether failures are retried, its webhook events, whether
    clients may submit it directly, and its time limit."""

    kind: str
    func: Handler
    retryable: bool = True
    events: EventFormatter = STANDARD_EVENTS
    public: bool = False
    """Submittable by any account through ``POST /api/jobs``."""
    timeout_seconds: float | None = None
    """Time limit of one attempt; None: ``settings.jobs.timeout_seconds``."""


def job_handler(
    kind: str,
    *,
    retryable: bool = True,
    event_prefix: str = "job",
    events: EventFormatter | None = None,
    public: bool = False,
    timeout_seconds: float | None = None,
) -> Callable[[Handler], Handler]:
    """Mark a function as the handler of job ``kind``.

    Arguments:
        retryable: retry unexpected exceptions (up to the job's attempts); False fails at once.
        event_prefix: webhook event names become ``<prefix>.progress|completed|failed|cancelled``.
        events: a custom :class:`~vidlens.jobs.events.EventFormatter` (overrides the prefix),
            for surfaces whose contract fixes the webhook body.
        public: accounts may submit this kind through ``POST /api/jobs``. Leave it False for
            kinds that a surface submits after its own checks (credits charged at creation).
        timeout_seconds: time limit of one attempt in seconds, overriding
            ``settings.jobs.timeout_seconds`` (for kinds known to be much shorter or longer).

    Raises:
        ValueError: empty kind, or a ``timeout_seconds`` that is not positive and finite.
    """
    if not kind:
        raise ValueError("job kind must not be empty")
    if timeout_seconds is not None and not (0 < timeout_seconds < math.inf):
        raise ValueError("timeout_seconds must be a positive number of seconds")
    formatter = events if events is not None else PrefixedEvents(event_prefix)

    def mark(func: Handler) -> Handler:
        spec = HandlerSpec(
            kind,
            func,
            retryable=retryable,
            events=formatter,
            public=public,
            timeout_seconds=timeout_seconds,
        )
        setattr(func, _MARK, spec)
        return func

    return mark


class HandlerRegistry:
    """Job kinds known to this process."""

    def __init__(self, specs: Iterable[HandlerSpec] = ()) -> None:
        self._specs: dict[str, HandlerSpec] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: HandlerSpec) -> None:
        """Register one kind (adding the very same spec twice is a no-op).

        Raises:
            ValueError: another handler already has this kind.
        """
        existing = self._specs.get(spec.kind)
        if existing is not None and existing != spec:
            raise ValueError(f"job kind {spec.kind!r} is already registered")
        self._specs[spec.kind] = spec

    def include(self, func: Handler) -> None:
        """Register one :func:`job_handler`-marked function.

        Raises:
            ValueError: the function is not marked, or its kind is taken.
        """
        spec = getattr(func, _MARK, None)
        if not isinstance(spec, HandlerSpec):
            raise ValueError(f"{func!r} is not decorated with @job_handler")
        self.add(spec)

    def include_module(self, module: ModuleType) -> int:
        """Register every marked function at the top level of ``module``.

        Returns:
            How many handlers the module holds.

        Raises:
            ValueError: a kind is already taken by another handler.
        """
        found = 0
        for value in vars(module).values():
            spec = getattr(value, _MARK, None)
            if isinstance(spec, HandlerSpec) and spec.func is value:
                self.add(spec)
                found += 1
        return found

    def get(self, kind: str) -> HandlerSpec | None:
        return self._specs.get(kind)

    def __contains__(self, kind: object) -> bool:
        return kind in self._specs

    def kinds(self) -> list[str]:
        return sorted(self._specs)

    def public_kinds(self) -> list[str]:
        """The kinds accounts may submit directly (``public=True``), sorted."""
        return sorted(kind for kind, spec in self._specs.items() if spec.public)

    def timeout_for(self, kind: str, default: float) -> float:
        """The time limit in seconds of one attempt of ``kind``: its handler's own, else
        ``default`` (``settings.jobs.timeout_seconds``)."""
        spec = self._specs.get(kind)
        if spec is None or spec.timeout_seconds is None:
            return default
        return spec.timeout_seconds

    @property
    def format_event(self) -> KindEvents:
        """The :class:`~vidlens.jobs.events.EventFormatter` over every kind: each job's
        webhooks as its kind's formatter shapes them."""
        return KindEvents(self._specs)


@dataclass(frozen=True)
class KindEvents:
    """Dispatches each job's events to its kind's formatter (the default for unknown kinds)."""

    specs: Mapping[str, HandlerSpec]

    def formatter(self, kind: str) -> EventFormatter:
        spec = self.specs.get(kind)
        return spec.events if spec is not None else STANDARD_EVENTS

    def __call__(self, job: Job, event: JobEvent) -> WebhookEvent | None:
        return self.formatter(job.kind)(job, event)

    def shows_phase_of(self, job: Job) -> bool:
        """Whether ``job``'s webhooks carry its phase."""
        return bool(getattr(self.formatter(job.kind), "shows_phase", True))


def load_registry(settings: Settings) -> HandlerRegistry:
    """The registry of built-in handlers plus those of ``settings.jobs.plugins``.

    Raises:
        ImportError: a plugin module cannot be imported.
        ValueError: two modules register the same kind.
    """
    registry = HandlerRegistry()
    for name in (*BUILTIN_MODULES, *settings.jobs.plugins):
        registry.include_module(importlib.import_module(name))
    return registry
