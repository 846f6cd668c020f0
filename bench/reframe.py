"""Reframe pipeline: active-speaker accuracy on side-by-side constructions, and the
end-to-end time of ``POST /api/v2/reframe`` on a 60 s 1080p talking video.

1. **Active speaker** (no labelled data ships, so the truth is built): every ordered pair
   (speaker, listener) of the four shared talking clips, in both screen positions
   (12 x 2 = 24 videos, 540 px high, 25 fps): the two clips side by side, with only the
   speaker's audio. The listener's mouth moves too (it is a talking clip with its sound
   removed), the hardest listener for a motion-only method. Measured per construction:
   whether the speaker gets the higher ``speaking_fraction`` (accuracy), the share of
   samples (speech, both faces visible) where the speaker's score is the higher one, and
   the share of frames whose crop holds the speaker's face (the camera follows it).
   Peer in the same run: the motion-only scores of the same engine (its visual-only mode:
   mouth movement without the audio), which cannot tell the two apart.
2. **End to end**: a 60 s 1920x1080 30 fps H.264/AAC video made from the shared talking
   clips (12 segments of 5 s with hard cuts: single speakers centred, and side-by-side
   pairs with one voice), served over HTTP on loopback; a real ``vidlens serve`` (one
   worker slot, job in a child process); wall time from ``POST /api/v2/reframe {url}`` to
   every step completed, each step's time, then the download. Target: <= 60 s.

3. **CPU per step** (``--steps``): the same 60 s video, every step of the one-call chain run
   in this process one after the other (``vidlens.reframe.steps.run_step``, as the job
   does), each with its CPU seconds (user + system of this process and its children, from
   ``getrusage``) and wall time; model loading is included, as in a fresh job process.
   Then the joint pass the job actually runs for scene detection + face tracking (one
   decode for both), checked to give the same results as the two steps.
   The idle 2-core wall estimate of the job follows the pipeline's parallel structure (see
   ``step_costs``): the longer of the two branches, each step on one core but the render
   on two, and never under the total CPU over two cores.

Usage: .venv/bin/python bench/reframe.py [--skip-accuracy] [--skip-e2e] [--steps]
Writes bench/results/reframe.json and prints markdown tables.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from vidlens.engines.active_speaker.engine import ActiveSpeakerDetector
from vidlens.engines.active_speaker.evidence import mouth_series
from vidlens.engines.active_speaker.scoring import visual_scores
from vidlens.engines.active_speaker.settings import ActiveSpeakerSettings
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.faces.settings import FaceTrackingSettings
from vidlens.engines.reframe.aspect import parse_aspect
from vidlens.engines.reframe.camera import plan_camera
from vidlens.engines.reframe.settings import ReframeSettings
from vidlens.engines.scenes.engine import SceneDetector

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "talking"
RESULTS = ROOT / "bench" / "results"
VIDLENS = [str(ROOT / ".venv" / "bin" / "vidlens")]
CLIPS = [
    "sadtalker_WDA_AlexandriaOcasioCortez_000.mp4",
    "videoretalking_face1.mp4",
    "videoretalking_face2.mp4",
    "videoretalking_face3.mp4",
]


def ffmpeg(*args: str) -> None:
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(command, check=True, timeout=600)


def pair(folder: Path, left: str, right: str, audio: int, height: int = 540) -> Path:
    """``left`` and ``right`` side by side with the audio of input ``audio`` (0 or 1)."""
    out = folder / f"{Path(left).stem}__{Path(right).stem}__{audio}_{height}.mp4"
    if not out.exists():
        graph = (
            f"[0:v]scale={height}:{height},setsar=1,fps=25[a];"
            f"[1:v]scale={height}:{height},setsar=1,fps=25[b];[a][b]hstack=inputs=2,format=yuv420p[v]"
        )
        ffmpeg(
            "-i",
            str(MEDIA / left),
            "-i",
            str(MEDIA / right),
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-map",
            f"{audio}:a",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-c:a",
            "aac",
            "-shortest",
            str(out),
        )
    return out


def accuracy(folder: Path) -> dict[str, Any]:
    tracker = FaceTracker(FaceTrackingSettings(embeddings_per_track=0))
    detector, rows = ActiveSpeakerDetector(), []
    settings = ActiveSpeakerSettings()
    for speaker, listener in itertools.permutations(CLIPS, 2):
        for speaker_left in (True, False):
            left, right = (speaker, listener) if speaker_left else (listener, speaker)
            video = pair(folder, left, right, 0 if speaker_left else 1)
            scenes = SceneDetector().detect(video)
            faces = tracker.track(video, scenes)
            result = detector.detect(video, faces)
            rows.append(
                _score(video, scenes, faces, result, speaker_left, settings, speaker, listener)
            )
    tracker.close()
    correct = [r["correct"] for r in rows]
    motion = [r["motion_only_correct"] for r in rows]
    return {
        "constructions": rows,
        "accuracy": sum(correct) / len(correct),
        "motion_only_accuracy": sum(motion) / len(motion),
        "mean_sample_accuracy": sum(r["sample_accuracy"] for r in rows) / len(rows),
        "mean_camera_on_speaker": sum(r["camera_on_speaker"] for r in rows) / len(rows),
    }


def _score(
    video: Path,
    scenes: Any,
    faces: Any,
    result: Any,
    speaker_left: bool,
    settings: ActiveSpeakerSettings,
    speaker: str,
    listener: str,
) -> dict[str, Any]:
    side = {t.face_id: (t.points[0].box.centre[0] < 0.5) for t in faces.tracks}
    speaker_ids = {f for f, is_left in side.items() if is_left == speaker_left}
    fraction = {"speaker": 0.0, "listener": 0.0}
    per_frame: dict[int, dict[bool, float]] = {}
    for track in result.tracks:
        role = "speaker" if track.face_id in speaker_ids else "listener"
        fraction[role] = max(fraction[role], track.speaking_fraction)
        for s in track.scores:
            per_frame.setdefault(s.frame_number, {})[track.face_id in speaker_ids] = s.score
    both = [v for v in per_frame.values() if len(v) == 2 and max(v.values()) > 0]
    motion: dict[bool, float] = {}
    for track in faces.tracks:
        series = mouth_series(
            track.track_id,
            track.face_id,
            [(p.time, p.frame, p.mouth_open) for p in track.points],
            settings.activity_half_window,
        )
        scores = visual_scores(series, settings)
        motion[track.face_id in speaker_ids] = sum(s >= 0.5 for s in scores) / max(1, len(scores))
    plan = plan_camera(
        scenes=scenes,
        faces=faces,
        speakers=result,
        aspect=parse_aspect("9:16"),
        settings=ReframeSettings(),
    )
    on = sum(s.end_frame - s.start_frame for s in plan.shots if s.face_id in speaker_ids)
    return {
        "video": video.name,
        "speaker": speaker,
        "listener": listener,
        "speaker_on_left": speaker_left,
        "speaker_fraction": round(fraction["speaker"], 3),
        "listener_fraction": round(fraction["listener"], 3),
        "correct": fraction["speaker"] > fraction["listener"],
        "sample_accuracy": sum(v[True] > v[False] for v in both) / len(both) if both else 0.0,
        "camera_on_speaker": on / plan.frame_count,
        "motion_only_correct": motion.get(True, 0.0) > motion.get(False, 0.0),
    }


def long_video(folder: Path) -> Path:
    """60 s, 1920x1080, 30 fps: 12 segments of 5 s, single speakers and pairs, hard cuts."""
    target = folder / "talk_60s_1080p.mp4"
    if target.exists():
        return target
    parts = []
    for i in range(12):
        part = folder / f"seg{i}.mp4"
        a, b = CLIPS[i % 4], CLIPS[(i + 1) % 4]
        if i % 2 == 0:
            graph = "[0:v]scale=-2:1080,pad=1920:1080:(ow-iw)/2:0,setsar=1,fps=30,format=yuv420p[v]"
            inputs = ["-i", str(MEDIA / a)]
        else:
            graph = (
                "[0:v]scale=960:960,setsar=1[a];[1:v]scale=960:960,setsar=1[b];"
                "[a][b]hstack=inputs=2,pad=1920:1080:0:60,fps=30,format=yuv420p[v]"
            )
            inputs = ["-i", str(MEDIA / a), "-i", str(MEDIA / b)]
        ffmpeg(
            *inputs,
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-map",
            "0:a",
            "-t",
            "5",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "23",
            "-c:a",
            "aac",
            "-ar",
            "44100",
            "-ac",
            "2",
            str(part),
        )
        parts.append(part)
    listing = folder / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts))
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(target))
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


def end_to_end(video: Path) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="vidlens-reframe-bench-"))
    env = {
        **os.environ,
        "VIDLENS_DATA_DIR": str(data),
        "VIDLENS_JOBS__WORKERS": "1",
        "VIDLENS_LOG_LEVEL": "WARNING",
        "VIDLENS_URL_ALLOWLIST": "127.0.0.1",
    }
    key = json.loads(
        subprocess.run(
            [*VIDLENS, "keys", "create", "--account", "bench", "--name", "b", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )["key"]
    subprocess.run(
        [*VIDLENS, "credits", "grant", "--account", "bench", "--amount", "100"],
        env=env,
        check=True,
        capture_output=True,
    )
    files = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(video.parent))
    )
    threading.Thread(target=files.serve_forever, daemon=True).start()
    port = free_port()
    base, headers = f"http://127.0.0.1:{port}", {"X-API-Key": key}
    server = subprocess.Popen(
        [*VIDLENS, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        url = f"http://127.0.0.1:{files.server_address[1]}/{video.name}"
        started = time.perf_counter()
        created = httpx.post(
            f"{base}/api/v2/reframe", json={"url": url}, headers=headers, timeout=30
        )
        video_id = created.json()["video_id"]
        status: dict[str, Any] = {}
        while time.perf_counter() - started < 900:
            status = httpx.get(
                f"{base}/api/v2/status/{video_id}", headers=headers, timeout=10
            ).json()
            if all(s["status"] in ("completed", "failed", "cancelled") for s in status["steps"]):
                break
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        download = httpx.get(
            f"{base}/api/v2/download/{video_id}?suffix=_reframe", headers=headers, timeout=60
        )
        steps = status["steps"]
        stamps = [datetime.fromisoformat(s["completed_at"]) for s in steps if s["completed_at"]]
        durations = {}
        previous = stamps[0] if stamps else None
        for s in sorted(steps, key=lambda s: s["completed_at"] or ""):
            if s["completed_at"] and previous is not None:
                done = datetime.fromisoformat(s["completed_at"])
                durations[s["step"]] = round((done - previous).total_seconds(), 2)
                previous = done
        return {
            "video_seconds": 60.0,
            "wall_seconds": round(elapsed, 2),
            "real_time_factor": round(elapsed / 60.0, 3),
            "status": status["status"],
            "failed": [s for s in steps if s["status"] != "completed"],
            "step_seconds_after_previous": durations,
            "download_status": download.status_code,
            "download_bytes": len(download.content),
            "result_output": status.get("result", {}).get("output")
            if status.get("result")
            else None,
        }
    finally:
        server.terminate()
        server.wait(30)
        files.shutdown()


def _usage() -> tuple[float, float]:
    """(user, system) CPU seconds of this process and its waited-for children."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + kids.ru_utime, own.ru_stime + kids.ru_stime


JOINT = "scene_detection+face_tracking_yolov8 (one pass)"


def _same_but_timing(joint: Any, separate: list[dict[str, Any]]) -> bool:
    """Whether the joint pass's results equal the separate steps' but for timings."""

    def strip(result: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in result.items() if k != "processing"}

    return [strip(o.result) for o in joint] == [strip(r) for r in separate]


def step_costs(video: Path) -> dict[str, Any]:
    """CPU and wall seconds of each pipeline step, run in sequence in this process."""
    from vidlens.config import load_settings
    from vidlens.engines.base import no_progress
    from vidlens.reframe.steps import (
        PIPELINE,
        PipelineEngines,
        StepInput,
        run_scenes_and_faces,
        run_step,
    )

    data = Path(tempfile.mkdtemp(prefix="vidlens-reframe-steps-"))
    settings = load_settings(data_dir=data)
    engines = PipelineEngines()
    results: dict[str, dict[str, Any]] = {}
    rows: dict[str, dict[str, Any]] = {}

    def measure(name: str, run: Any) -> Any:
        load = Path("/proc/loadavg").read_text().split()[0]
        user, system = _usage()
        started = time.perf_counter()
        outcome = run()
        wall = time.perf_counter() - started
        user2, system2 = _usage()
        rows[name] = {
            "cpu_seconds": round(user2 - user + system2 - system, 2),
            "user": round(user2 - user, 2),
            "system": round(system2 - system, 2),
            "wall_seconds": round(wall, 2),
            "loadavg_1min_at_start": float(load),
        }
        print(f"| {name} | {rows[name]['cpu_seconds']:.1f} | {wall:.1f} | {load} |", flush=True)
        return outcome

    def step_input(name: str) -> StepInput:
        output = data / f"{name}.mp4" if name == "reframe" else None
        return StepInput(video, settings, dict(results), {}, output, no_progress, engines)

    from vidlens.engines.faces.engine import FaceTracker

    # Face models loaded first (as a row of their own), so that the separate steps and the
    # joint pass below are compared without it.
    tracker = engines.get("faces", settings.reframe.faces, FaceTracker)
    measure("load face models", tracker._models)
    for name in PIPELINE:
        outcome = measure(name, functools.partial(run_step, name, step_input(name)))
        results[name] = outcome.result
    # What the one-call job runs instead of the first two steps: one decoding pass.
    joint = measure(
        JOINT,
        lambda: run_scenes_and_faces(step_input("scene_detection"), no_progress),
    )
    separate = [results["scene_detection"], results["face_tracking_yolov8"]]
    same = [o.result for o in joint] == separate or _same_but_timing(joint, separate)
    cpu = {k: v["cpu_seconds"] for k, v in rows.items()}
    separate_cpu = cpu["scene_detection"] + cpu["face_tracking_yolov8"]
    total = sum(cpu.values()) - separate_cpu  # the job runs the joint pass
    # The job's structure (vidlens.reframe.jobs.pipeline): video branch = scenes, faces,
    # (wait for diarization), active speaker, render; audio branch = diarization, then
    # transcription beside active speaker and the render. On two idle cores: each step on
    # one core except the render (decoder and x264 threads: two), and never less than the
    # total CPU over two cores.
    before_speaker = max(cpu[JOINT], cpu["diarization"])
    video_path = before_speaker + cpu["active_speaker"] + cpu["reframe"] / 2
    audio_path = cpu["diarization"] + cpu.get("transcription", 0.0)
    estimate = max(video_path, audio_path, total / 2)
    faces = results["face_tracking_yolov8"]
    return {
        "steps": rows,
        "cpu_seconds_total": round(total, 2),
        "cpu_seconds_total_with_separate_decodes": round(total - cpu[JOINT] + separate_cpu, 2),
        "joint_results_equal_separate": same,
        "idle_two_core_wall_estimate": round(estimate, 1),
        "tracks": len(faces.get("tracks", [])),
        "scenes": results["scene_detection"].get("scene_count"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--steps", action="store_true", help="CPU and wall per step")
    args = parser.parse_args()
    folder = ROOT / "bench" / ".cache" / "reframe"
    folder.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": Path("/proc/loadavg").read_text().split()[:3],
        },
    }
    if not args.skip_accuracy:
        report["active_speaker"] = accuracy(folder)
        a = report["active_speaker"]
        print(
            f"active speaker: {a['accuracy']:.3f} of 24 constructions (motion only "
            f"{a['motion_only_accuracy']:.3f}); samples {a['mean_sample_accuracy']:.3f}; "
            f"camera on speaker {a['mean_camera_on_speaker']:.3f}",
            flush=True,
        )
        for row in a["constructions"]:
            side = "L" if row["speaker_on_left"] else "R"
            print(
                f"| {row['speaker'][:24]} | {row['listener'][:24]} | {side} | "
                f"{row['speaker_fraction']:.2f} | {row['listener_fraction']:.2f} | "
                f"{row['correct']} | {row['camera_on_speaker']:.2f} |"
            )
    if not args.skip_e2e:
        report["machine"]["loadavg_e2e_start"] = Path("/proc/loadavg").read_text().split()[:3]
        report["end_to_end"] = end_to_end(long_video(folder))
        print(json.dumps(report["end_to_end"], indent=1), flush=True)
    if args.steps:
        print("| step | CPU s | wall s | loadavg |\n|---|---|---|---|", flush=True)
        report["step_costs"] = step_costs(long_video(folder))
        print(json.dumps({k: v for k, v in report["step_costs"].items() if k != "steps"}))
    report["machine"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "reframe.json"
    if target.exists():  # a skipped part keeps its previous figures (with their own date)
        previous = json.loads(target.read_text())
        for part in ("active_speaker", "end_to_end", "step_costs"):
            if part not in report and part in previous:
                report[part] = previous[part]
                report.setdefault("kept_from", {})[part] = previous.get("date")
    target.write_text(json.dumps(report, indent=2) + "\n")
    print("loadavg", report["machine"])


if __name__ == "__main__":
    sys.exit(main())
