"""Facial expression over time: a rule-based mapping of blendshapes to a few labels.

This is a heuristic, not a trained emotion model, and it says nothing about what a person
feels: it names which facial movements dominate (the muscles of a smile, of raised brows, of
a frown). Scores, each in [0, 1] (blendshape means over both sides):

- ``happy`` = mouthSmile
- ``surprised`` = 0.4 eyeWide + 0.3 jawOpen + 0.3 browOuterUp
- ``sad`` = (0.7 mouthFrown + 0.3 max(0, 2 (browInnerUp - 0.5))) (1 - mouthSmile)
- ``angry`` = (0.6 browDown + 0.4 mouthPress) (1 - mouthSmile)
- ``disgusted`` = (0.7 noseSneer + 0.3 mouthUpperUp) (1 - mouthSmile)

browInnerUp rests near 0.5 on many neutral faces in MediaPipe's model, hence the offset.
The label is the highest score when it reaches ``expression_threshold`` (confidence = that
score), else ``neutral`` (confidence = 1 - the highest score). Speech moves the jaw, so
``surprised`` can fire briefly while talking; the per-window dominant label smooths that.
"""

from __future__ import annotations

from collections.abc import Mapping

LABELS: tuple[str, ...] = ("neutral", "happy", "surprised", "sad", "angry", "disgusted")
METHOD = "blendshape-heuristic-v1"
"""Names the rules above in results (not a trained emotion classifier)."""


def _mean(blendshapes: Mapping[str, float], stem: str) -> float:
    return (blendshapes[stem + "Left"] + blendshapes[stem + "Right"]) / 2


def expression_scores(blendshapes: Mapping[str, float]) -> dict[str, float] | None:
    """The score of each non-neutral label, or None without the needed blendshapes."""
    try:
        smile = _mean(blendshapes, "mouthSmile")
        not_smiling = 1.0 - smile
        inner = max(0.0, 2.0 * (blendshapes["browInnerUp"] - 0.5))
        return {
            "happy": smile,
            "surprised": 0.4 * _mean(blendshapes, "eyeWide")
            + 0.3 * blendshapes["jawOpen"]
            + 0.3 * _mean(blendshapes, "browOuterUp"),
            "sad": (0.7 * _mean(blendshapes, "mouthFrown") + 0.3 * inner) * not_smiling,
            "angry": (0.6 * _mean(blendshapes, "browDown") + 0.4 * _mean(blendshapes, "mouthPress"))
            * not_smiling,
            "disgusted": (
                0.7 * _mean(blendshapes, "noseSneer") + 0.3 * _mean(blendshapes, "mouthUpperUp")
            )
            * not_smiling,
        }
    except KeyError:
        return None


def classify_expression(
    blendshapes: Mapping[str, float], threshold: float
) -> tuple[str, float] | None:
    """``(label, confidence)`` for one face, or None without blendshapes."""
    scores = expression_scores(blendshapes)
    if scores is None:
        return None
    label, best = max(scores.items(), key=lambda item: item[1])
    if best >= threshold:
        return label, min(1.0, best)
    return "neutral", 1.0 - best
