"""ModelManager: load once, reference counts, idle expiry on a fake clock."""

from __future__ import annotations

import threading
import time

import pytest

from vidlens.engines.models import ModelManager


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Loader:
    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.unloaded: list[str] = []

    def load(self, model_id: str) -> str:
        self.loaded.append(model_id)
        return f"model:{model_id}"

    def unload(self, model: str) -> None:
        self.unloaded.append(model)


def make(ttl: float | None = 60.0) -> tuple[ModelManager[str], Loader, FakeClock]:
    loader, clock = Loader(), FakeClock()
    manager = ModelManager(loader.load, ttl_seconds=ttl, clock=clock, unloader=loader.unload)
    return manager, loader, clock


def test_loads_on_first_use_and_reuses() -> None:
    manager, loader, _ = make()
    assert loader.loaded == []
    with manager.acquire("a") as first, manager.acquire("a") as second:
        assert first == second == "model:a"
        assert manager.holders() == {"a": 2}
    assert loader.loaded == ["a"]
    assert manager.holders() == {"a": 0}


def test_idle_model_unloaded_after_ttl_only() -> None:
    manager, loader, clock = make(ttl=60)
    with manager.acquire("a"):
        clock.now += 1000  # held: never expires while in use
        assert manager.collect() == []
    clock.now += 59.9
    assert manager.collect() == []
    clock.now += 0.1
    assert manager.collect() == ["a"]
    assert loader.unloaded == ["model:a"]
    with manager.acquire("a"):
        pass
    assert loader.loaded == ["a", "a"]


def test_acquire_collects_other_idle_models() -> None:
    manager, loader, clock = make(ttl=10)
    with manager.acquire("a"):
        pass
    clock.now += 11
    with manager.acquire("b"):
        assert set(manager.holders()) == {"b"}
    assert loader.unloaded == ["model:a"]


def test_ttl_zero_unloads_on_release_and_none_keeps() -> None:
    manager, loader, _ = make(ttl=0)
    with manager.acquire("a"):
        pass
    assert loader.unloaded == ["model:a"]
    keeper, keeper_loader, clock = make(ttl=None)
    with keeper.acquire("a"):
        pass
    clock.now += 1e9
    assert keeper.collect() == []
    keeper.close()
    assert keeper_loader.unloaded == ["model:a"]


def test_failed_load_is_not_cached() -> None:
    calls: list[str] = []

    def flaky(model_id: str) -> str:
        calls.append(model_id)
        if len(calls) == 1:
            raise RuntimeError("disk hiccup")
        return "ok"

    manager: ModelManager[str] = ModelManager(flaky, clock=FakeClock())
    with pytest.raises(RuntimeError, match="disk hiccup"), manager.acquire("a"):
        pass
    assert manager.holders() == {"a": 0}
    with manager.acquire("a") as model:
        assert model == "ok"


def test_concurrent_acquire_loads_once() -> None:
    loads: list[str] = []

    def slow(model_id: str) -> str:
        loads.append(model_id)
        time.sleep(0.05)
        return model_id

    manager: ModelManager[str] = ModelManager(slow)
    seen: list[str] = []

    def worker() -> None:
        with manager.acquire("a") as model:
            seen.append(model)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == ["a"]
    assert seen == ["a"] * 8


def test_negative_ttl_refused() -> None:
    with pytest.raises(ValueError, match="ttl_seconds"):
        ModelManager(str, ttl_seconds=-1)


def test_managers_share_no_state() -> None:
    first, _, _ = make()
    second, _, _ = make()
    with first.acquire("a"):
        assert second.holders() == {}
