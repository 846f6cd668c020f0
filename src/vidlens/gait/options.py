"""The analysis request: the contract's parameters, validated."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from vidlens.errors import BadRequest
from vidlens.gait.i18n import LANGUAGES

AnalysisType = Literal["side_view", "back_view"]
_PACE = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*$")


class InvalidParameter(BadRequest):
    """A request parameter outside the contract (rendered as 400 ``invalid_parameter``)."""

    code = "invalid_parameter"


@dataclass(frozen=True)
class GaitOptions:
    """Parameters of one analysis (contract defaults).

    Attributes:
        analysis_type: ``side_view`` or ``back_view``.
        height_cm: runner's height (100-250 cm), the image's scale.
        weight_kg: runner's weight (20-250 kg), echoed in the results.
        pace: ``MM:SS`` per kilometre; required on a treadmill, else optional.
        language: result language.
        treadmill: the runner is on a treadmill (speed from the pace).
        full_body: back view only; False gives pronation only.
    """

    analysis_type: AnalysisType = "side_view"
    height_cm: float = 170.0
    weight_kg: float = 70.0
    pace: str | None = None
    language: str = "en"
    treadmill: bool = False
    full_body: bool = True

    def __post_init__(self) -> None:
        if self.analysis_type not in ("side_view", "back_view"):
            raise InvalidParameter(
                "analysis_type must be side_view or back_view.", field="analysis_type"
            )
        if not (math.isfinite(self.height_cm) and 100 <= self.height_cm <= 250):
            raise InvalidParameter("height must be between 100 and 250 cm.", field="height")
        if not (math.isfinite(self.weight_kg) and 20 <= self.weight_kg <= 250):
            raise InvalidParameter("weight must be between 20 and 250 kg.", field="weight")
        if self.language not in LANGUAGES:
            raise InvalidParameter(
                f"language must be one of {', '.join(LANGUAGES)}.", field="language"
            )
        if self.pace is not None:
            pace_seconds(self.pace)
        elif self.treadmill:
            raise InvalidParameter("pace (MM:SS) is required when treadmill=true.", field="pace")

    @property
    def pace_seconds_per_km(self) -> float | None:
        return None if self.pace is None else pace_seconds(self.pace)


def pace_seconds(pace: str) -> float:
    """Seconds per kilometre of a ``MM:SS`` pace (1:30 to 30:00).

    Raises:
        InvalidParameter: not MM:SS or out of range.
    """
    match = _PACE.match(pace)
    if match is None:
        raise InvalidParameter("pace must be MM:SS (minutes per kilometre).", field="pace")
    seconds = int(match.group(1)) * 60 + int(match.group(2))
    if not 90 <= seconds <= 1800:
        raise InvalidParameter("pace must be between 1:30 and 30:00 per km.", field="pace")
    return float(seconds)


def parse_bool(value: str | None, default: bool, field: str) -> bool:
    """A form boolean (true/false/1/0/yes/no)."""
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise InvalidParameter(f"{field} must be true or false.", field=field)


def parse_number(value: str | None, default: float, field: str) -> float:
    """A form number (``default`` when absent or empty).

    Raises:
        InvalidParameter: not a finite number.
    """
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise InvalidParameter(f"{field} must be a number.", field=field) from None
    if not math.isfinite(number):
        raise InvalidParameter(f"{field} must be a finite number.", field=field)
    return number


def height_in_cm(value: float) -> float:
    """The contract's height is in centimetres; a value of 0.5-2.5 is taken as metres (the
    convention of some client libraries) and converted."""
    return value * 100.0 if 0.5 <= value <= 2.5 else value


def from_form(fields: dict[str, str]) -> GaitOptions:
    """Options from multipart form fields (strings), with the contract's defaults.

    Raises:
        InvalidParameter: a field is malformed or out of range.
    """
    name = (fields.get("analysis_type") or "side_view").strip()
    kind: AnalysisType
    if name == "side_view":
        kind = "side_view"
    elif name == "back_view":
        kind = "back_view"
    else:
        raise InvalidParameter(
            "analysis_type must be side_view or back_view.", field="analysis_type"
        )
    return GaitOptions(
        analysis_type=kind,
        height_cm=height_in_cm(parse_number(fields.get("height"), 170.0, "height")),
        weight_kg=parse_number(fields.get("weight"), 70.0, "weight"),
        pace=(fields.get("pace") or "").strip() or None,
        language=(fields.get("language") or "en").strip().lower(),
        treadmill=parse_bool(fields.get("treadmill"), False, "treadmill"),
        full_body=parse_bool(fields.get("full_body"), True, "full_body"),
    )
