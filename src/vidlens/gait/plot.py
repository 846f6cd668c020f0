"""A PNG of joint angles over time (hip, knee, ankle; left orange, right blue), with each
foot's stances shaded and its contacts marked, in the result language.

Labels use the result language when matplotlib has a font for it; the chart libraries here
ship no Chinese, Japanese or Korean font, so those languages fall back to English labels
unless such a font is installed (e.g. Debian ``fonts-noto-cjk``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from vidlens.engines.pose.types import PoseSequence
from vidlens.gait.angles import Series
from vidlens.gait.i18n import text
from vidlens.gait.steps import Stance

if TYPE_CHECKING:
    from matplotlib.axes import Axes

JOINTS = ("hip", "knee", "ankle")
COLOURS = {"left": "#ff8c00", "right": "#00aaff"}
_CJK = {"zh", "ko", "ja"}
_CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Source Han Sans")


def _label_language(language: str) -> tuple[str, str | None]:
    """The language to label in, and the font family to use (None: matplotlib's default)."""
    if language not in _CJK:
        return language, None
    from matplotlib import font_manager

    for family in _CJK_FONTS:
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        return language, family
    return "en", None


def plot_angles(
    seq: PoseSequence, series: Series, stances: list[Stance], path: Path, language: str = "en"
) -> Path:
    """Write the chart to ``path`` (PNG) and return it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    lang, family = _label_language(language)
    with matplotlib.rc_context({"font.family": family} if family else None):
        figure, axes = pyplot.subplots(len(JOINTS), 1, figsize=(10, 8), sharex=True)
        try:
            for axis, joint in zip(axes, JOINTS, strict=True):
                _joint(axis, seq, series, stances, joint, lang)
            axes[-1].set_xlabel("s")
            figure.tight_layout()
            figure.savefig(path, dpi=100)
        finally:
            pyplot.close(figure)
    return path


def _joint(
    axis: Axes, seq: PoseSequence, series: Series, stances: list[Stance], joint: str, lang: str
) -> None:
    times = seq.times
    for side in ("left", "right"):
        values = np.where(seq.detected, series[side][joint], np.nan)
        axis.plot(times, values, color=COLOURS[side], label=text(side, lang), linewidth=1.5)
    for stance in stances:
        axis.axvspan(
            times[stance.contact], times[stance.toe_off], color=COLOURS[stance.foot], alpha=0.08
        )
        axis.axvline(times[stance.contact], color=COLOURS[stance.foot], alpha=0.5, linewidth=0.8)
    axis.set_ylabel(f"{text(joint, lang)} (°)")
    axis.grid(alpha=0.3)
    axis.legend(loc="upper right", fontsize=8)
