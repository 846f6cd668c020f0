"""The engine contract shared by every capability.

An engine is a small object with a ``name``, an :meth:`Engine.availability` check that says
why it cannot run (and what to install) instead of failing later, and an optional
:meth:`Engine.close`. Each capability adds one typed method on top (for speech,
:class:`vidlens.engines.speech.types.SpeechToTextEngine`). Progress is reported through a
:data:`ProgressHook` callback, never a global.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

ProgressHook = Callable[[float, str | None], None]
"""``progress(fraction, message)``: ``fraction`` in [0, 1] of the work done, ``message`` an
optional phase name (e.g. ``"loading model"``)."""


def no_progress(fraction: float, message: str | None) -> None:
    """The default :data:`ProgressHook`: ignores every report."""
    del fraction, message


@dataclass(frozen=True, slots=True)
class Availability:
    """Whether an engine can run here, and if not, why and what would fix it."""

    available: bool
    reason: str | None = None
    """Why the engine cannot run (``None`` when it can)."""
    hint: str | None = None
    """What to install or configure to make it available."""

    @classmethod
    def ok(cls) -> Availability:
        return cls(available=True)

    @classmethod
    def missing(cls, reason: str, hint: str | None = None) -> Availability:
        return cls(available=False, reason=reason, hint=hint)


class Engine(ABC):
    """Base of every engine implementation.

    Subclasses set ``name`` (the registry key, e.g. ``"faster-whisper"``) and ``kind`` (the
    capability, e.g. ``"speech-to-text"``) as class constants and keep all other state on the
    instance: engines hold no mutable class-level state.
    """

    name: ClassVar[str]
    kind: ClassVar[str]

    @abstractmethod
    def availability(self) -> Availability:
        """Check, cheaply and without loading weights, whether this engine can run.

        Returns:
            :meth:`Availability.ok` or an :class:`Availability` naming the reason and a hint.
        """

    def close(self) -> None:  # noqa: B027 - optional hook with a safe default
        """Release loaded models and other resources (default: nothing to release)."""
