"""Domain errors raised by engines (no HTTP here; the API layer maps them)."""

from __future__ import annotations

from vidlens.errors import EngineUnavailable, MediaRejected


class AudioUnreadable(MediaRejected):
    """The media has no audio stream at the requested index, or it does not decode."""

    code = "AUDIO_UNREADABLE"


class ModelIntegrityError(EngineUnavailable):
    """A weights file on disk does not match its recorded sha256: it is never loaded."""

    code = "MODEL_INTEGRITY"


class ModelMissing(EngineUnavailable):
    """The weights an engine needs are not installed (the message names what to install)."""

    code = "MODEL_MISSING"
