"""Request and response models of the reframe surface (``/api/v2``), with examples."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_VIDEO_ID = "0b6f5c1e-2d4a-4e8b-9c3f-7a1d2e3f4a5b"
_PARAMETERS_EXAMPLE: dict[str, Any] = {
    "face_tracking_model": "face_tracking_yolov8",
    "aspect_ratio": "9:16",
}
_MULTIPART = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary", "description": "The video."},
                "parameters": {"type": "string", "description": "JSON object (reframe only)."},
            },
        },
        "example": {"file": "(binary) talk.mp4"},
    }
}


def request_body(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": model.model_json_schema(), "example": example},
                **_MULTIPART,
            },
        }
    }


class IngestCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"url": "https://example.com/video.mp4"}]}
    )

    url: str = Field(min_length=1, max_length=8192, description="http(s) URL of the video.")


class ReframeCreate(IngestCreate):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"url": "https://example.com/video.mp4", "parameters": {"aspect_ratio": "9:16"}}
            ]
        },
    )

    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="The reframe transform's parameters (aspect_ratio, output_height, mode).",
    )


class AnalyzeCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "video_id": _VIDEO_ID,
                    "model_type": "active_speaker",
                    "parameters": {"face_tracking_model": "face_tracking_yolov8"},
                }
            ]
        },
    )

    video_id: str
    model_type: Literal[
        "scene_detection", "face_tracking_yolov8", "active_speaker", "transcription", "diarization"
    ]
    parameters: dict[str, Any] = Field(default_factory=dict)


class TransformCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "video_id": _VIDEO_ID,
                    "transform_type": "reframe",
                    "parameters": _PARAMETERS_EXAMPLE,
                }
            ]
        },
    )

    video_id: str
    transform_type: Literal["reframe", "reframe_llm"]
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="face_tracking_model, aspect_ratio (default 9:16), output_height, mode "
        "(auto, center, blur_pad); reframe_llm also needs instruction.",
    )


class StepAccepted(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "video_id": _VIDEO_ID,
                    "step": "scene_detection",
                    "status": "pending",
                    "job_id": "5d1c…",
                    "status_url": f"/api/v2/status/{_VIDEO_ID}",
                }
            ]
        }
    )

    video_id: str
    step: str
    status: str
    job_id: str | None
    status_url: str


class StatusPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "video_id": _VIDEO_ID,
                    "step": "face_tracking_yolov8",
                    "status": "processing",
                    "progress": 42.0,
                    "phase": "tracking faces",
                    "error": None,
                    "result": None,
                    "steps": [
                        {
                            "step": "ingest",
                            "status": "completed",
                            "progress": 100.0,
                            "error": None,
                            "job_id": "…",
                            "completed_at": "2026-12-01T18:00:00+00:00",
                        }
                    ],
                    "downloads": {},
                }
            ]
        }
    )

    video_id: str
    step: str = Field(description="The most recent step.")
    status: str = Field(description="pending, processing, completed, failed or cancelled.")
    progress: float = Field(description="0-100.")
    phase: str | None
    error: dict[str, Any] | None
    result: dict[str, Any] | None = Field(description="The step's result once completed.")
    steps: list[dict[str, Any]]
    downloads: dict[str, str]
