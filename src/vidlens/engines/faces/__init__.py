"""Face detection and tracking for the reframe pipeline and the gateway's ``faces``.

Modules: :mod:`.settings`, :mod:`.models` (model files located through importlib.metadata
and refused unless their sha256 matches), :mod:`.detector` (BlazeFace, on the whole frame
and on square tiles of wide or tall frames), :mod:`.landmarks` (dlib's 68-point shape
predictor: mouth openness and eye points per face), :mod:`.tracker` (tracks with stable ids
inside each scene), :mod:`.types`, :mod:`.engine` (``FaceTracker``: video → tracks, with
face embeddings from :mod:`vidlens.engines.face_id` to re-identify people across cuts).

Importing this package imports neither MediaPipe, dlib nor numpy.
"""
