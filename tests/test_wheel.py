"""The wheel carries what a user runs, and nothing of the benchmarks, tests or scripts."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    [wheel] = out.glob("voice_rehab-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_the_package_data_a_player_needs(wheel_files: set[str]) -> None:
    needed = {
        "voice_rehab/py.typed",
        "voice_rehab/core/lang/en.yaml",
        "voice_rehab/core/lang/ko.yaml",
        "voice_rehab/core/library/exercises.yaml",
        "voice_rehab/listen/verifier-en.npz",
        "voice_rehab/listen/speech_embedding/melspectrogram.onnx",
        "voice_rehab/listen/speech_embedding/embedding_model.onnx",
        "voice_rehab/listen/speech_embedding/NOTICE.md",
        "voice_rehab/listen/speech_embedding/LICENSE-Apache-2.0",
        "voice_rehab/routine.schema.json",
        "voice_rehab/shipped_routines/gentle-mobility.yaml",
    }
    assert needed <= wheel_files
    assert any(name.endswith("licenses/LICENSE") for name in wheel_files)
    shipped = {p.name for p in (ROOT / "routines").glob("*.yaml")}
    assert shipped == {Path(n).name for n in wheel_files if n.startswith("voice_rehab/shipped_routines/")}


def test_the_wheel_carries_no_benchmarks_tests_or_scripts(wheel_files: set[str]) -> None:
    tops = {name.split("/")[0] for name in wheel_files}
    assert tops == {"voice_rehab", "voice_rehab-0.1.0.dist-info"}
    assert not [n for n in wheel_files if "/bench" in n or "/tests/" in n]
