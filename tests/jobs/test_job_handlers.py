"""The handler registry: marking, module discovery, plugins and event naming."""

from __future__ import annotations

import types
from typing import Any

import pytest

from tests.jobs import handlers_for_tests
from vidlens.config import JobSettings, Settings
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import HandlerRegistry, job_handler, load_registry
from vidlens.storage.tables import Job


@job_handler("registry.one", retryable=False, event_prefix="translation")
def _one(ctx: JobContext) -> dict[str, Any]:
    return {}


def test_the_decorator_only_marks_the_function() -> None:
    registry = HandlerRegistry()
    assert "registry.one" not in registry
    registry.include(_one)
    spec = registry.get("registry.one")
    assert spec is not None
    assert spec.func is _one
    assert spec.retryable is False


def test_include_rejects_unmarked_functions_and_taken_kinds() -> None:
    registry = HandlerRegistry()
    registry.include(_one)
    registry.include(_one)  # the same handler again is harmless

    def unmarked(ctx: JobContext) -> dict[str, Any]:
        return {}

    with pytest.raises(ValueError, match="not decorated"):
        registry.include(unmarked)

    @job_handler("registry.one")
    def impostor(ctx: JobContext) -> dict[str, Any]:
        return {}

    with pytest.raises(ValueError, match="already registered"):
        registry.include(impostor)


def test_include_module_collects_top_level_marked_functions() -> None:
    module = types.ModuleType("fake_plugin")
    module.one = _one  # type: ignore[attr-defined]  # building a module by hand
    module.helper = len  # type: ignore[attr-defined]  # unmarked values are ignored
    registry = HandlerRegistry()
    assert registry.include_module(module) == 1
    assert registry.kinds() == ["registry.one"]


def test_load_registry_has_builtins_and_configured_plugins() -> None:
    plain = load_registry(Settings())
    assert "media.verify" in plain
    assert "test.echo" not in plain
    with_plugin = load_registry(Settings(jobs=JobSettings(plugins=[handlers_for_tests.MODULE])))
    assert {"media.verify", "test.echo", "test.crash"} <= set(with_plugin.kinds())


def test_an_unknown_plugin_module_is_an_import_error() -> None:
    with pytest.raises(ImportError):
        load_registry(Settings(jobs=JobSettings(plugins=["no_such_vidlens_plugin"])))


def test_event_names_follow_the_kind_prefix() -> None:
    registry = HandlerRegistry()
    registry.include(_one)
    job = Job(id="j", kind="registry.one", status="completed", priority=0, progress=100.0)
    event = registry.format_event(job, "completed")
    assert event is not None
    assert event.type == "translation.completed"
    assert event.data["priority"] == "high"
    other = registry.format_event(Job(id="k", kind="unknown", priority=1), "failed")
    assert other is not None
    assert other.type == "job.failed"


def test_only_public_kinds_may_be_submitted_directly() -> None:
    registry = load_registry(Settings(jobs=JobSettings(plugins=[handlers_for_tests.MODULE])))
    public = registry.public_kinds()
    assert {"media.verify", "test.steps"} <= set(public)
    assert "test.echo" not in public
    assert public == sorted(public)
    spec = registry.get("test.echo")
    assert spec is not None
    assert spec.public is False
