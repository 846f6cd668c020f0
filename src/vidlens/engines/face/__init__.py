"""Face analysis: MediaPipe face landmarks and blendshapes, and coaching face metrics.

Modules, one concern each: :mod:`.settings` (pydantic settings), :mod:`.frames` (sampled
decoding with ffmpeg), :mod:`.model` (locating and verifying ``face_landmarker.task``),
:mod:`.landmarker` (MediaPipe in VIDEO mode → :class:`~.types.FaceSample`), :mod:`.pose`
(head pose, box, mouth openness from one face), :mod:`.samples` (the client-supplied
``mediapipeSamples`` schema), :mod:`.gaze`, :mod:`.blinks`, :mod:`.expression`,
:mod:`.framing` (per-sample rules), :mod:`.metrics` (``face_metrics``: ratios, windows,
moments), :mod:`.engine` (``analyze_faces``: video → :class:`~.types.FaceReport`).

Importing this package imports neither MediaPipe nor numpy; they load on first use.
"""
