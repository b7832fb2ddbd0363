"""The speech embedding's model files ship with the package, exactly as released."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from voice_rehab.listen import embedding
from voice_rehab.listen.embedding import CHECKSUMS, EmbeddingUnavailable, model_dir


def test_the_shipped_model_files_are_the_released_ones() -> None:
    folder = model_dir()
    assert {p.name for p in folder.glob("*.onnx")} == set(CHECKSUMS)
    assert (folder / "NOTICE.md").is_file() and (folder / "LICENSE-Apache-2.0").is_file()


def test_a_changed_model_file_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "speech_embedding"
    shutil.copytree(model_dir(), copy)
    with (copy / "embedding_model.onnx").open("ab") as changed:
        changed.write(b"\0")
    monkeypatch.setattr(embedding, "MODEL_DIR", copy)
    with pytest.raises(EmbeddingUnavailable, match="embedding_model.onnx is not the file"):
        model_dir()


def test_a_missing_model_file_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "MODEL_DIR", tmp_path)
    with pytest.raises(EmbeddingUnavailable, match="melspectrogram.onnx is missing"):
        model_dir()
