"""The analysis parameters of the contract, from multipart form fields."""

from __future__ import annotations

import pytest

from vidlens.gait.options import GaitOptions, InvalidParameter, from_form, pace_seconds


def test_defaults_are_the_contracts() -> None:
    options = from_form({})
    assert options == GaitOptions()
    assert (options.analysis_type, options.height_cm, options.weight_kg) == ("side_view", 170, 70)
    assert (options.language, options.treadmill, options.full_body) == ("en", False, True)
    assert options.pace is None


def test_every_field_is_read() -> None:
    options = from_form(
        {
            "analysis_type": "back_view",
            "height": "181.5",
            "weight": "64",
            "pace": "04:45",
            "language": "JA",
            "treadmill": "true",
            "full_body": "0",
        }
    )
    assert options.analysis_type == "back_view"
    assert options.height_cm == 181.5
    assert options.weight_kg == 64
    assert options.pace_seconds_per_km == 285
    assert options.language == "ja"
    assert options.treadmill is True
    assert options.full_body is False


def test_height_in_metres_is_converted() -> None:
    assert from_form({"height": "1.75"}).height_cm == pytest.approx(175.0)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"analysis_type": "top_view"}, "analysis_type"),
        ({"height": "tall"}, "height"),
        ({"height": "300"}, "height"),
        ({"height": "nan"}, "height"),
        ({"weight": "5"}, "weight"),
        ({"language": "nl"}, "language"),
        ({"treadmill": "maybe"}, "treadmill"),
        ({"treadmill": "true"}, "pace"),
        ({"pace": "5:3"}, "pace"),
        ({"pace": "99:00"}, "pace"),
        ({"full_body": "2"}, "full_body"),
    ],
)
def test_bad_fields_name_the_field(fields: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        from_form(fields)
    assert caught.value.fields["field"] == field
    assert caught.value.status == 400


def test_pace_bounds() -> None:
    assert pace_seconds("01:30") == 90
    assert pace_seconds("30:00") == 1800
    with pytest.raises(InvalidParameter):
        pace_seconds("01:29")
