"""The decoded-frame store: I420 round trip, budget, coverage."""

from __future__ import annotations

import numpy as np
import pytest

from vidlens.engines.pose.frames import FrameStore


def _frame(seed: int, size: tuple[int, int] = (64, 48)) -> np.ndarray:
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    frame = np.stack([(x * 4 + seed) % 256, (y * 5) % 256, (x + y + 3 * seed) % 256], axis=-1)
    return frame.astype(np.uint8)


def test_frames_come_back_close_to_what_was_put() -> None:
    store = FrameStore()
    assert store.open((64, 48), 3)
    for index in range(3):
        store.put(index, _frame(index))
    assert store.holds(0, 3, (64, 48))
    back = store.rgb(1)
    assert back.shape == (48, 64, 3)
    # 4:2:0 halves the chroma resolution; smooth gradients survive within a few levels.
    error = np.abs(back.astype(int) - _frame(1).astype(int))
    assert np.median(error) <= 3
    assert error.mean() < 6


def test_missing_frames_and_other_sizes_are_not_held() -> None:
    store = FrameStore()
    store.open((64, 48), 4)
    store.put(0, _frame(0))
    store.put(2, _frame(2))
    store.put(9, _frame(9))  # beyond the expected count: ignored
    store.put(1, _frame(1, (32, 24)))  # another size: ignored
    assert store.holds(0, 1)
    assert not store.holds(0, 3)
    assert not store.holds(0, 1, (32, 24))
    with pytest.raises(KeyError):
        store.rgb(1)


def test_a_clip_over_the_budget_disables_the_store() -> None:
    store = FrameStore(budget_bytes=64 * 48 * 3 // 2 * 10)
    assert store.open((64, 48), 10)
    assert not store.open((64, 48), 11)
    store.put(0, _frame(0))
    assert not store.enabled
    assert not store.holds(0, 1)
    assert not FrameStore().open((64, 48), 0)  # unknown frame count
    store = FrameStore()
    store.open((64, 48), 2)
    store.put(0, _frame(0))
    store.clear()
    assert not store.holds(0, 1)
