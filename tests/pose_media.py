"""The pose engine run once per test session on each shared gait clip (engine and gait tests
share the results), or a skip that names what is missing."""

from __future__ import annotations

import functools

import pytest

from tests.conftest import media_file
from vidlens.engines.pose import MediaPipePoseEngine, PoseSequence, PoseSettings

DEMO = "gait/sports2d_demo.mp4"
"""Woman walking right to left across a lawn, a man exercising on a box (labelled)."""
WALK = "gait/sports2d_demo4_walking_side.mp4"
"""Older woman walking back and forth along a wall, 13.4 s (labelled)."""


@functools.cache
def pose_engine() -> MediaPipePoseEngine:
    """The default engine (or a skip naming what to install)."""
    engine = MediaPipePoseEngine(PoseSettings())
    availability = engine.availability()
    if not availability.available:
        pytest.skip(f"pose engine unavailable: {availability.reason} ({availability.hint})")
    return engine


@functools.cache
def pose_sequence(relative: str) -> PoseSequence:
    """The engine's result on ``../shared/media/<relative>``, computed once per session."""
    return pose_engine().estimate(media_file(relative))
