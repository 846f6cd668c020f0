"""Errors of the ``/analysis`` surface, with the contract's codes (reference/gait-analysis.txt:
``file_too_large`` 413, video too long 400, ``invalid_file_type`` 400, not completed 400,
``insufficient_credits`` 402, not found 404). No HTTP here: the API renders them."""

from __future__ import annotations

from vidlens.errors import BadRequest, MediaRejected, NotFound, PayloadTooLarge


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"


class VideoTooLong(BadRequest):
    code = "video_too_long"


class InvalidFileType(BadRequest):
    """An extension or container other than MP4, MOV or AVI."""

    code = "invalid_file_type"


class InvalidVideo(BadRequest):
    """Bytes that are not a readable video (empty, corrupt, truncated, no picture)."""

    code = "invalid_file"


class NotCompleted(BadRequest):
    """Calculated or raw data asked for before the analysis succeeded."""

    code = "analysis_not_completed"


class AnalysisNotFound(NotFound):
    code = "not_found"


class NoPersonDetected(MediaRejected):
    """Nobody was seen in the video (the analysis fails; its credits are refunded)."""

    code = "no_person_detected"
