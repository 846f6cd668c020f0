"""Domain errors of the face engine (no HTTP here; the API layer maps them)."""

from __future__ import annotations

from vidlens.errors import InvalidInput, MediaRejected


class VideoUnreadable(MediaRejected):
    """The media has no video stream, or its frames do not decode."""

    code = "VIDEO_UNREADABLE"


class InvalidFaceSamples(InvalidInput):
    """Client-supplied face samples (``mediapipeSamples``) break the documented schema.

    ``fields["field"]`` names the offending location, e.g. ``mediapipeSamples[3].timestampMs``.
    """

    code = "INVALID_MEDIAPIPE_SAMPLES"
