"""Back view on a synthetic walker seen from behind, with known pelvic drop and eversion."""

from __future__ import annotations

import pytest

from tests.gait.synthetic import Walker, back_view_sequence
from vidlens.gait.analysis import analyze
from vidlens.gait.options import GaitOptions

RUNNER = Walker(period=10, stance=8, step_px=150, frames=80)


def test_stance_means_recover_the_built_in_angles() -> None:
    seq = back_view_sequence(RUNNER, pelvic_drop_deg=6.0, eversion_deg=10.0)
    result = analyze(seq, GaitOptions(analysis_type="back_view"))
    assert result.biomechanical_analysis["view_detected"] == "back_view"
    cycle = result.calculated_data["gait_cycle"]
    for side in ("left", "right"):
        leg = cycle["stance_means"][side]
        assert leg["stances"] >= 2
        assert leg["pelvic_drop"]["value"] == pytest.approx(6.0, abs=0.3)
        assert leg["pronation"]["value"] == pytest.approx(10.0, abs=1.5)
    assert result.calculated_data["metrics"]["step_frequency_steps_per_min"] == pytest.approx(180)
    assert set(result.calculated_data["score_components"]["components"]) == {
        "pronation",
        "knee_adduction",
        "pelvic_drop",
    }


def test_full_body_false_gives_pronation_only() -> None:
    seq = back_view_sequence(RUNNER, pelvic_drop_deg=6.0, eversion_deg=10.0)
    result = analyze(seq, GaitOptions(analysis_type="back_view", full_body=False, language="pt"))
    leg = result.calculated_data["gait_cycle"]["stance_means"]["left"]
    assert leg["pronation"]["value"] is not None
    assert leg["pelvic_drop"]["value"] is None
    assert leg["pelvic_drop"]["reason"] == "pronation_only"
    assert leg["pelvic_drop"]["reason_text"].startswith("Não medido")
    assert list(result.calculated_data["score_components"]["components"]) == ["pronation"]
    steps = result.calculated_data["gait_cycle"]["steps"]
    assert steps
    assert set(steps[0]) >= {"pronation", "foot", "contact_ms"}
    assert "pelvic_drop" not in steps[0]
