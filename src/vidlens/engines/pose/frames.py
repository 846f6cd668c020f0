"""Decoded frames kept in memory (YUV 4:2:0) so that a later pass need not decode again.

The pose pass decodes every frame once (ffmpeg, upright, scaled); the annotated video and the
backward tracking need the same frames again. Decoding a 1080p H.264 clip a second time costs
about as much CPU as the x264 encoder, so the pose workers put each frame they read into a
:class:`FrameStore` and the later passes read it back. Frames are kept as I420 (1.5 bytes a
pixel, half of RGB: 960x540 is 0.78 MB a frame, 233 MB for 10 s at 30 fps) in one array
allocated up front (per-frame allocations of that size made the allocator hand out fresh pages,
whose faults cost more than the conversion); the conversion each way is a fraction of a
millisecond (OpenCV, BT.601 video range, as ffmpeg's). A store is only filled when the whole
clip fits in its byte budget (known from the probed frame count before decoding starts);
otherwise it stays disabled and the later passes decode the file again.
"""

from __future__ import annotations

import threading

import numpy as np

DEFAULT_BUDGET_BYTES = 320 * 1024 * 1024
"""Most bytes of frames one store keeps (10 s at 30 fps of 960x540 needs 233 MB; a clip whose
frames would not fit is decoded again instead)."""


class FrameStore:
    """Frames of one video by index, at one size, in I420; safe for threads writing distinct
    indices.

    Use: the pose engine calls :meth:`open` with the decoding size and the expected frame
    count (the store enables itself only when they fit in ``budget_bytes``), then
    :meth:`put` for every decoded frame; a later pass checks :meth:`holds` and reads frames
    back with :meth:`rgb`. :meth:`clear` frees the memory.
    """

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self.size: tuple[int, int] | None = None
        self._frames: np.ndarray | None = None
        self._filled: np.ndarray | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._frames is not None

    def open(self, size: tuple[int, int], expected_frames: int) -> bool:
        """Prepare for ``expected_frames`` frames of ``size`` (width, height, both even);
        False (disabled) when they would exceed the budget or the count is unknown."""
        width, height = size
        needed = expected_frames * width * height * 3 // 2
        usable = expected_frames > 0 and width % 2 == 0 and height % 2 == 0
        with self._lock:
            self.clear_locked()
            if usable and needed <= self.budget_bytes:
                # Pages are only touched (and counted in the RSS) as frames are written.
                self._frames = np.empty((expected_frames, height * 3 // 2, width), np.uint8)
                self._filled = np.zeros(expected_frames, dtype=bool)
                self.size = size
        return self.enabled

    def put(self, index: int, frame: np.ndarray) -> None:
        """Keep the RGB ``frame`` (height, width, 3) as frame ``index`` (ignored when the store
        is disabled, the index is beyond the expected count or the size differs)."""
        import cv2

        frames, filled = self._frames, self._filled
        if frames is None or filled is None or not 0 <= index < len(frames):
            return
        if frame.shape[1::-1] != self.size:
            return
        cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420, dst=frames[index])
        filled[index] = True

    def holds(self, start: int, stop: int, size: tuple[int, int] | None = None) -> bool:
        """Whether every frame in [start, stop) is here (and at ``size``, when given)."""
        filled = self._filled
        if filled is None or (size is not None and size != self.size):
            return False
        return 0 <= start <= stop <= len(filled) and bool(filled[start:stop].all())

    def rgb(self, index: int) -> np.ndarray:
        """Frame ``index`` as a new RGB array (height, width, 3).

        Raises:
            KeyError: the frame is not in the store.
        """
        import cv2

        frames, filled = self._frames, self._filled
        if frames is None or filled is None or not 0 <= index < len(frames) or not filled[index]:
            raise KeyError(index)
        return np.asarray(cv2.cvtColor(frames[index], cv2.COLOR_YUV2RGB_I420), dtype=np.uint8)

    def clear(self) -> None:
        """Drop every frame (and disable the store)."""
        with self._lock:
            self.clear_locked()

    def clear_locked(self) -> None:
        self._frames = self._filled = None
        self.size = None
