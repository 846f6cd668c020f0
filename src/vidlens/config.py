"""Settings: one pydantic-settings class with nested sections.

Every field maps to an environment variable: ``Settings.jobs.workers`` is
``VIDLENS_JOBS__WORKERS``. Nothing here is read at import time; call
:func:`load_settings` (the CLI does) or build ``Settings(...)`` directly (tests do).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from vidlens.coaching.settings import CoachingSettings
from vidlens.engines.moderation.settings import ModerationSettings
from vidlens.engines.ocr.settings import OcrSettings
from vidlens.engines.pose.settings import PoseSettings
from vidlens.engines.speech.diarization_settings import DiarizationSettings
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.translation.apertium import ApertiumSettings
from vidlens.engines.translation.libretranslate import LibreTranslateSettings
from vidlens.engines.vision.labels import LabelSettings
from vidlens.engines.vision.settings import VideoAnalysisSettings
from vidlens.gait.settings import GaitSettings
from vidlens.reframe.settings import ReframePipelineSettings

Environment = Literal["development", "production"]


class DatabaseSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    url: str | None = None
    """SQLAlchemy URL. Empty: a SQLite file ``vidlens.db`` in the data directory (WAL mode).
    PostgreSQL: ``postgresql+psycopg://user@host:5432/dbname``."""

    pool_size: int = Field(default=10, ge=1, le=200)
    """Connection pool size (PostgreSQL only)."""

    echo: bool = False
    """Log every SQL statement (debugging only)."""


class MediaSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    max_upload_bytes: int = Field(default=4 * 1024**3, ge=1)
    """Largest accepted upload or URL download, in bytes (default 4 GiB)."""

    max_duration_seconds: float = Field(default=4 * 3600.0, gt=0)
    """Longest accepted media, in seconds (default 4 h). Surfaces may set lower limits."""

    url_timeout_seconds: float = Field(default=120.0, gt=0, le=3600)
    """Total time allowed to download one URL input."""

    url_max_redirects: int = Field(default=5, ge=0, le=20)
    """Redirects followed for a URL input; each hop is re-checked against the SSRF rules."""

    signed_url_ttl_seconds: int = Field(default=3600, ge=1, le=7 * 24 * 3600)
    """Lifetime of signed download URLs (default 1 h)."""

    probe_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    """Time allowed to ffprobe one file."""

    ffprobe: str = "ffprobe"
    """ffprobe executable (a name on PATH or a path)."""

    ffmpeg: str = "ffmpeg"
    """ffmpeg executable (a name on PATH or a path)."""


class JobSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    workers: int = Field(default=2, ge=0, le=64)
    """Worker slots in the embedded pool (0: this process runs no jobs)."""

    use_processes: bool = True
    """Run job handlers in child processes (CPU-heavy work); False runs them in threads."""

    lease_seconds: float = Field(default=30.0, ge=0.5, le=3600)
    """A processing job whose worker has not renewed its lease for this long is presumed dead
    and re-queued (or failed once out of attempts)."""

    max_attempts: int = Field(default=3, ge=1, le=20)
    """Attempts per job before it is failed for good."""

    poll_interval_seconds: float = Field(default=0.2, gt=0, le=10)
    """How often idle workers look for new jobs."""

    plugins: list[str] = Field(default_factory=list)
    """Extra modules to import for job handlers (``package.module``); each registers its
    handlers with :func:`vidlens.jobs.handlers.job_handler`."""

    timeout_seconds: float = Field(default=6 * 3600.0, gt=0, allow_inf_nan=False)
    """Longest one attempt of a job may run (default 6 h); a job kind may set its own limit.
    A job over its limit is stopped and failed with ``JOB_TIMEOUT``, without retry. Process
    mode kills the job's child process; thread mode stops the handler at its next progress
    report."""

    stop_timeout_seconds: float = Field(default=30.0, ge=0, le=3600)
    """On shutdown, how long running jobs may take to finish before they are handed back to
    the queue (their child process killed) without consuming an attempt."""

    queue_backend: Literal["embedded", "celery"] = "embedded"
    """How jobs reach workers. ``embedded``: worker slots inside ``vidlens serve`` and
    ``vidlens worker`` poll the database. ``celery``: the server runs no jobs; it sends a
    wake-up per job through ``broker_url`` to Celery workers (``vidlens worker --celery``),
    which claim jobs from the database exactly as embedded slots do. Needs the ``celery``
    extra (``pip install 'vidlens[celery]'``)."""

    broker_url: str | None = None
    """Celery broker when ``queue_backend`` is ``celery``: Redis
    (``redis://127.0.0.1:6379/0``) or RabbitMQ (``amqp://guest:guest@127.0.0.1:5672//``).
    It only carries wake-ups: jobs live in the database, and a lost message loses no job."""


class WebhookSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    """Time allowed for one delivery attempt."""

    max_attempts: int = Field(default=8, ge=1, le=30)
    """Delivery attempts before a webhook is given up."""

    backoff_base_seconds: float = Field(default=2.0, gt=0, le=3600)
    """Delay before the second attempt; doubles each time (capped at one hour)."""

    poll_interval_seconds: float = Field(default=0.5, gt=0, le=60)
    """How often the deliverer looks for due webhooks when idle."""

    concurrency: int = Field(default=4, ge=1, le=64)
    """Webhook deliveries sent in parallel by each deliverer (server or worker)."""


class AuthSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    secret_key: SecretStr | None = None
    """Signs OAuth tokens, download URLs and hashes API keys. Empty in development: a random
    key is generated once and kept in ``<data_dir>/secret_key``. Required in production."""

    admin_token: SecretStr | None = None
    """Bearer token for ``/admin`` routes. Empty in development: generated once and kept in
    ``<data_dir>/admin_token``. Required (32+ characters) in production."""

    oauth_token_ttl_seconds: int = Field(default=3600, ge=60, le=24 * 3600)
    """Lifetime of access tokens issued by ``POST /oauth/token``."""


class EngineSettings(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    whisper: WhisperSettings = Field(default_factory=WhisperSettings)
    """Speech-to-text (faster-whisper)."""

    diarization: DiarizationSettings = Field(default_factory=DiarizationSettings)
    """Speaker diarization (Silero VAD, resemblyzer embeddings, clustering)."""

    ocr: OcrSettings = Field(default_factory=OcrSettings)
    """On-screen text (RapidOCR, PP-OCRv6 models inside the wheel)."""

    moderation: ModerationSettings = Field(default_factory=ModerationSettings)
    """Content moderation (NudeNet 320n.onnx, an optional AGPL-3.0 extra)."""

    labels: LabelSettings = Field(default_factory=LabelSettings)
    """Object labels from a COCO-style YOLO ONNX model (none ships offline)."""

    video_analysis: VideoAnalysisSettings = Field(default_factory=VideoAnalysisSettings)
    """Frame sampling and limits of ``/v1/video-analyses``."""

    apertium: ApertiumSettings = Field(default_factory=ApertiumSettings)
    """Translation with Apertium (Debian packages)."""

    libretranslate: LibreTranslateSettings = Field(default_factory=LibreTranslateSettings)
    """A LibreTranslate-compatible translation server (optional provider)."""

    pose: PoseSettings = Field(default_factory=PoseSettings)
    """Body pose (MediaPipe pose landmarker) for gait analysis."""


class Settings(BaseSettings):
    """All vidlens settings. Environment variables use the ``VIDLENS_`` prefix and ``__``
    between sections."""

    model_config = SettingsConfigDict(
        env_prefix="VIDLENS_",
        env_nested_delimiter="__",
        extra="ignore",
        use_attribute_docstrings=True,
    )

    environment: Environment = "development"
    """``production`` refuses to start with generated or weak secrets."""

    data_dir: Path = Path("./vidlens-data")
    """Where the database, media and generated secrets live."""

    host: str = "127.0.0.1"
    """Interface ``vidlens serve`` binds to."""

    port: int = Field(default=8000, ge=1, le=65535)
    """Port ``vidlens serve`` listens on."""

    public_url: str | None = None
    """Base URL clients reach the server at, used in signed download links. Empty: taken from
    each request."""

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """Log level of the JSON logs."""

    url_allowlist: str = ""
    """Comma-separated hosts and CIDRs that URL inputs and webhooks may reach even though they
    are private, loopback or link-local (e.g. ``minio.internal,10.0.0.0/8``)."""

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    engines: EngineSettings = Field(default_factory=EngineSettings)
    coaching: CoachingSettings = Field(default_factory=CoachingSettings)
    """Communication coaching (``/api/v1/analyze-video``, ``/api/v1/full-analysis``)."""

    gait: GaitSettings = Field(default_factory=GaitSettings)
    """Running-gait analysis (``/analysis``)."""

    reframe: ReframePipelineSettings = Field(default_factory=ReframePipelineSettings)
    """The reframe pipeline (``/api/v2``): its engines and the ``reframe_llm`` endpoint."""

    @field_validator("url_allowlist")
    @classmethod
    def _parse_allowlist(cls, value: str) -> str:
        from vidlens.media.urlpolicy import UrlPolicy

        UrlPolicy.from_setting(value)  # raises ValueError naming the bad entry
        return value

    @model_validator(mode="after")
    def _refuse_weak_production_secrets(self) -> Settings:
        if self.environment != "production":
            return self
        for name in ("secret_key", "admin_token"):
            value = getattr(self.auth, name)
            if value is None or len(value.get_secret_value()) < 32:
                raise ValueError(
                    f"VIDLENS_AUTH__{name.upper()} must be set to 32+ random characters "
                    "in production"
                )
        return self

    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{(self.data_dir / 'vidlens.db').resolve()}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def secret_key(self) -> str:
        """The signing secret (generated and persisted in development)."""
        return self._secret("secret_key")

    def admin_token(self) -> str:
        """The admin bearer token (generated and persisted in development)."""
        return self._secret("admin_token")

    def _secret(self, name: str) -> str:
        value: SecretStr | None = getattr(self.auth, name)
        if value is not None:
            return value.get_secret_value()
        path = self.data_dir / name
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(32)
        # O_EXCL: two processes starting at once agree on one secret.
        try:
            with path.open("x") as handle:
                handle.write(token)
            path.chmod(0o600)
        except FileExistsError:
            return path.read_text().strip()
        return token


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]  # pydantic validates the values
