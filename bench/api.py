"""API benchmark: authenticated status polls while a job runs, and memory during a 1 GB upload.

Runs the real server (`vidlens serve`, SQLite, embedded workers) in a temporary data directory
and drives it from a second process over loopback:

* upload: a 1 GiB valid MP4 (built once with ffmpeg into bench/.cache) streamed with curl to
  `POST /api/media`; the server's RSS is sampled from /proc every 20 ms; reports peak growth
  over the idle baseline and throughput.
* polls: `GET /api/jobs/{id}` with an API key, from `wrk` (Debian package; installed if missing
  and root), while `media.verify` jobs hash that 1 GiB file back to back; reports requests/s and
  p50/p99 latency.

Usage: .venv/bin/python bench/api.py [--size-mb 1024] [--seconds 15] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
VIDLENS = [sys.executable, "-m", "vidlens"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_big_video(size_mb: int) -> Path:
    """A valid H.264 MP4 of at least ``size_mb`` MiB: a high-bitrate clip looped by stream copy."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"big_{size_mb}mb.mp4"
    if target.exists() and target.stat().st_size >= size_mb * 1024**2:
        return target
    clip = CACHE / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1280x720:rate=30",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-t",
            "10",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-b:v",
            "40M",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
            str(clip),
        ],
        check=True,
    )
    loops = max(1, int(size_mb * 1024**2 / clip.stat().st_size) + 1)
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-stream_loop",
            str(loops),
            "-i",
            str(clip),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(target),
        ],
        check=True,
    )
    return target


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.02)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=False, stdout=subprocess.DEVNULL
        )
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed for the poll benchmark: apt-get install wrk")
    return found


def parse_wrk(output: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]  # wrk always prints a unit
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    result = {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])}  # type: ignore[index]  # wrk prints this line
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+(?:us|ms|s))", output)
        if match:
            result[f"p{pct}_ms"] = ms(match[1])
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non_2xx"] = float(errors[1]) if errors else 0.0
    return result


def wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    video = make_big_video(args.size_mb)
    wrk = ensure_wrk()
    data_dir = Path(tempfile.mkdtemp(prefix="vidlens-bench-"))
    env = {
        **os.environ,
        "VIDLENS_DATA_DIR": str(data_dir),
        "VIDLENS_JOBS__WORKERS": "1",
        "VIDLENS_LOG_LEVEL": "WARNING",
    }
    key = json.loads(
        subprocess.run(
            [*VIDLENS, "keys", "create", "--account", "bench", "--name", "bench", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )["key"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*VIDLENS, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: dict[str, Any] = {}
    try:
        wait_ready(base)
        headers = {"X-API-Key": key}
        time.sleep(1)
        baseline = rss_kib(server.pid)
        sampler = RssSampler(server.pid)
        sampler.start()
        started = time.perf_counter()
        upload = subprocess.run(
            [
                "curl",
                "-s",
                "-H",
                f"X-API-Key: {key}",
                "-F",
                f"file=@{video};type=video/mp4",
                f"{base}/api/media",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        media = json.loads(upload.stdout)
        if "id" not in media:
            raise SystemExit(f"upload failed: {upload.stdout[:500]}")
        size = video.stat().st_size
        results["upload"] = {
            "bytes": size,
            "seconds": round(elapsed, 2),
            "mb_per_second": round(size / 1024**2 / elapsed, 1),
            "rss_baseline_mb": round(baseline / 1024, 1),
            "rss_peak_mb": round(sampler.peak / 1024, 1),
            "rss_growth_mb": round((sampler.peak - baseline) / 1024, 1),
        }
        print(json.dumps(results["upload"]), flush=True)

        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            jobs = [
                client.post(
                    "/api/jobs", json={"kind": "media.verify", "params": {"media_id": media["id"]}}
                ).json()
                for _ in range(40)
            ]
            target = jobs[0]["id"]
            deadline = time.monotonic() + 30
            while client.get(f"/api/jobs/{target}").json()["status"] == "pending":
                if time.monotonic() > deadline:
                    raise SystemExit("job never started")
                time.sleep(0.1)
            out = subprocess.run(
                [
                    wrk,
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--latency",
                    "-H",
                    f"X-API-Key: {key}",
                    f"{base}/api/jobs/{target}",
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            running = [
                j
                for j in (client.get(f"/api/jobs/{x['id']}").json() for x in jobs)
                if j["status"] == "processing"
            ]
            completed = sum(
                1
                for x in jobs
                if client.get(f"/api/jobs/{x['id']}").json()["status"] == "completed"
            )
            for job in jobs:
                client.post(f"/api/jobs/{job['id']}/cancel")
        results["polls"] = {
            **parse_wrk(out),
            "connections": args.connections,
            "seconds": args.seconds,
            "job_running_at_end": bool(running),
            "verify_jobs_completed_during_run": completed,
        }
        print(json.dumps(results["polls"]), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    results["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
