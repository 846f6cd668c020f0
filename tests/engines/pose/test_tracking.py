"""People across frames: duplicates, broken tracks, the subject, the pieces of a clip."""

from __future__ import annotations

import numpy as np

from vidlens.engines.pose.landmarker import pieces
from vidlens.engines.pose.tracking import (
    PersonTrack,
    Pose,
    associate,
    chain_tracks,
    choose_subject,
    drop_duplicates,
)
from vidlens.engines.pose.types import INDEX


def _person(x: float, y: float = 0.5, stride: float = 0.0, size: float = 0.3) -> Pose:
    """A standing figure centred at (x, y) of height ``size``; ``stride`` spreads the ankles."""
    image = np.zeros((33, 3))
    image[:, 0], image[:, 1] = x, y
    for side, sign in (("left", -1), ("right", 1)):
        image[INDEX[f"{side}_shoulder"], 1] = y - size * 0.3
        image[INDEX[f"{side}_hip"], 1] = y
        image[INDEX[f"{side}_ankle"]] = (x + sign * stride / 2, y + size * 0.5, 0)
    return image, np.zeros((33, 3)), np.ones(33)


def test_a_second_copy_of_one_person_is_dropped() -> None:
    kept = drop_duplicates([_person(0.5), _person(0.505), _person(0.8)])
    assert len(kept) == 2


def test_tracks_follow_people_and_a_small_misplaced_skeleton_is_not_a_continuation() -> None:
    tracks: list[PersonTrack] = []
    for frame in range(10):
        associate(tracks, frame, [_person(0.2 + 0.01 * frame), _person(0.7)])
    associate(tracks, 10, [_person(0.3, size=0.08)])  # a tiny false pose where the walker is
    associate(tracks, 11, [_person(0.31)])
    walker = next(t for t in tracks if t.frames[0] == 0 and t.centre()[0] < 0.5)
    assert walker.frames == [*range(10), 11]


def test_broken_tracks_are_chained_end_to_start() -> None:
    first, second = PersonTrack(), PersonTrack()
    for frame in range(10):
        first.append(frame, _person(0.2 + 0.01 * frame))
    for frame in range(14, 24):
        second.append(frame, _person(0.2 + 0.01 * frame))
    chains = chain_tracks([second, first])
    assert len(chains) == 1
    assert chains[0].frames == [*range(10), *range(14, 24)]


def test_the_subject_is_the_one_crossing_the_legs() -> None:
    walker, stander = PersonTrack(), PersonTrack()
    for frame in range(60):
        stride = 0.12 * np.sin(2 * np.pi * frame / 18)  # legs cross twice a stride
        walker.append(frame, _person(0.3, stride=float(stride)))
        apart = 0.12 if (frame // 20) % 2 else 0.02  # stands, feet apart or together
        stander.append(frame, _person(0.7, stride=apart))
    assert choose_subject([stander, walker], aspect=16 / 9, fps=30.0) is walker
    assert choose_subject([], aspect=1.0, fps=30.0) is None


def test_pieces_cover_the_clip_without_gaps() -> None:
    assert pieces(300, 2) == [(0, 150), (150, 300)]
    assert pieces(100, 2) == [(0, 100)]  # under 2 x 60 frames: one piece
    assert pieces(0, 2) == [(0, 0)]
