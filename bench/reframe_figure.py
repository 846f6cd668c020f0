"""Draws docs/images/reframe_before_after.png: one source frame of a side-by-side
construction (two talking faces, only the right one heard) with the faces, their speaking
scores and the crop; the rendered 9:16 frame; and the speaking scores and the camera's
position over the whole clip.

Usage: .venv/bin/python bench/reframe_figure.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import av
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from vidlens.engines.active_speaker.engine import ActiveSpeakerDetector
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.reframe.aspect import parse_aspect
from vidlens.engines.reframe.camera import plan_camera
from vidlens.engines.reframe.render import render
from vidlens.engines.reframe.settings import ReframeSettings
from vidlens.engines.scenes.engine import SceneDetector

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "talking"
TARGET = ROOT / "docs" / "images" / "reframe_before_after.png"
FRAME = 40


def frame_at(path: Path, index: int) -> object:
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == index:
                return frame.to_ndarray(format="rgb24")
    raise SystemExit(f"{path} has fewer than {index + 1} frames")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="vidlens-figure-"))
    source = folder / "sbs.mp4"
    graph = (
        "[0:v]scale=540:540,setsar=1,fps=25[a];[1:v]scale=540:540,setsar=1,fps=25[b];"
        "[a][b]hstack=inputs=2,format=yuv420p[v]"
    )
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(MEDIA / "videoretalking_face3.mp4"),
            "-i",
            str(MEDIA / "videoretalking_face2.mp4"),
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-map",
            "1:a",
            "-c:v",
            "libx264",
            "-c:a",
            "aac",
            "-shortest",
            str(source),
        ],
        check=True,
    )
    scenes = SceneDetector().detect(source)
    faces = FaceTracker().track(source, scenes)
    speakers = ActiveSpeakerDetector().detect(source, faces)
    plan = plan_camera(
        scenes=scenes,
        faces=faces,
        speakers=speakers,
        aspect=parse_aspect("9:16"),
        settings=ReframeSettings(),
    )
    output = folder / "out.mp4"
    render(source, plan, output)
    before, after = frame_at(source, FRAME), frame_at(output, FRAME)

    figure = plt.figure(figsize=(12, 7.2), dpi=100)
    grid = figure.add_gridspec(2, 2, width_ratios=[3.55, 1], height_ratios=[2.2, 1])
    left = figure.add_subplot(grid[0, 0])
    left.imshow(before)
    left.set_title("before: 1080x540, two talking faces, only the right one heard")
    for track in faces.tracks:
        point = min(track.points, key=lambda p: abs(p.frame - FRAME))
        score = speakers.score_at(track.face_id, point.frame)
        box = point.box
        left.add_patch(
            Rectangle(
                (box.x * 1080, box.y * 540),
                box.width * 1080,
                box.height * 540,
                fill=False,
                color="yellow",
                lw=2,
            )
        )
        label = (
            f"face {track.face_id}: speaking {score.score:.2f}"
            if score
            else f"face {track.face_id}"
        )
        left.text(box.x * 1080, box.y * 540 - 8, label, color="yellow", fontsize=10)
    window = plan.window_at(FRAME)
    if window is not None:
        left.add_patch(Rectangle(window[:2], window[2], window[3], fill=False, color="red", lw=3))
        left.text(window[0] + 4, 530, "crop 9:16", color="red", fontsize=11)
    left.axis("off")
    right = figure.add_subplot(grid[0, 1])
    right.imshow(after)
    right.set_title("after: 304x540")
    right.axis("off")
    timeline = figure.add_subplot(grid[1, :])
    for person in speakers.tracks:
        timeline.plot(
            [s.timestamp for s in person.scores],
            [s.score for s in person.scores],
            label=f"face {person.face_id} speaking score",
        )
    camera = [
        (f / plan.fps, (plan.window_at(f) or (0,))[0] / (1080 - plan.crop_width))
        for f in range(plan.frame_count)
    ]
    timeline.plot(
        [c[0] for c in camera],
        [c[1] for c in camera],
        "r--",
        label="crop position (0 left, 1 right)",
    )
    timeline.axvline(FRAME / plan.fps, color="grey", lw=0.8)
    timeline.set_xlabel("seconds")
    timeline.set_ylim(-0.05, 1.05)
    timeline.legend(loc="center right", fontsize=8)
    figure.tight_layout()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(TARGET, dpi=80, pil_kwargs={"optimize": True})
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
