"""On-screen text in a video: OCR on sampled frames, repeated text merged into one track.

Each sampled frame is read by the OCR engine, unless it looks like the frame before it
(grey 64x36 thumbnails differing by less than :data:`STATIC_DIFF` on average, out of 255):
then the previous reading is reused, which makes slides and title cards cheap. A line joins
the track whose text it matches best when the two normalised strings (case-folded, spaces
collapsed) are at least ``merge_similarity`` alike (difflib ratio), so a letter misread on
one frame does not start a new track; otherwise it starts one. A track's text is its most
frequent reading (weighted by score), its time ranges come from
:func:`vidlens.engines.vision.timeline.instances`, and its confidence is the
duration-weighted mean of theirs.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vidlens.engines.face.frames import Frame
from vidlens.engines.ocr.types import OcrEngine, TextLine
from vidlens.engines.vision.timeline import Instance, instances, summary_confidence

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

STATIC_DIFF = 1.5
"""Mean absolute difference (0-255) of two grey thumbnails below which a frame is taken to
show the same picture as the previous one, and its OCR reading is reused."""
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The comparison key of a reading: case-folded, inner spaces collapsed."""
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True, slots=True)
class TextTrack:
    """One piece of on-screen text over the whole video."""

    text: str
    confidence: float
    instances: tuple[Instance, ...]


@dataclass
class _Track:
    key: str
    sightings: list[tuple[float, float]] = field(default_factory=list)
    spellings: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, timestamp: float, line: TextLine) -> None:
        self.sightings.append((timestamp, line.confidence))
        self.spellings[line.text] += line.confidence


class TextTracker:
    """Merges text lines read on successive frames into tracks."""

    def __init__(self, *, similarity: float = 0.8) -> None:
        self.similarity = similarity
        self._tracks: list[_Track] = []

    def add(self, timestamp: float, lines: list[TextLine]) -> None:
        """Record the lines read on the frame at ``timestamp`` seconds."""
        for line in lines:
            key = normalise(line.text)
            if not key:
                continue
            track = self._match(key)
            if track is None:
                track = _Track(key)
                self._tracks.append(track)
            track.add(timestamp, line)

    def _match(self, key: str) -> _Track | None:
        best, best_ratio = None, self.similarity
        for track in self._tracks:
            if track.key == key:
                return track
            matcher = difflib.SequenceMatcher(None, track.key, key, autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = track, ratio
        return best

    def tracks(self, *, interval: float, duration: float | None) -> list[TextTrack]:
        """The tracks found, in order of first appearance."""
        built = []
        for track in self._tracks:
            found = instances(track.sightings, interval=interval, duration=duration)
            text = max(track.spellings.items(), key=lambda item: (item[1], item[0]))[0]
            built.append(TextTrack(text, summary_confidence(found), tuple(found)))
        # Stable: tracks of one frame keep their reading order (top to bottom).
        return sorted(built, key=lambda t: t.instances[0].start)


class OcrFrameAnalyser:
    """A :class:`~vidlens.engines.vision.sampling.FrameAnalyser` that reads every sampled
    frame (reusing the reading of an unchanged frame) into a :class:`TextTracker`."""

    def __init__(self, engine: OcrEngine, *, similarity: float = 0.8) -> None:
        self.engine = engine
        self.tracker = TextTracker(similarity=similarity)
        self.frames_read = 0
        self._thumb: npt.NDArray[np.float32] | None = None
        self._lines: list[TextLine] = []

    def observe(self, frame: Frame) -> None:
        thumb = _thumbnail(frame.rgb)
        if self._thumb is None or float(abs(thumb - self._thumb).mean()) >= STATIC_DIFF:
            self._lines = self.engine.read(frame.rgb)
            self.frames_read += 1
        self._thumb = thumb
        self.tracker.add(frame.timestamp, self._lines)


def _thumbnail(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return np.asarray(cv2.resize(grey, (64, 36), interpolation=cv2.INTER_AREA), np.float32)
