from __future__ import annotations

from pathlib import Path

import pytest

from voice_rehab.authoring.catalog import shipped_routines_dir
from voice_rehab.core.phrases import Phrases, phrases_for

SHIPPED = sorted(shipped_routines_dir().glob("*.yaml"))


@pytest.fixture
def en() -> Phrases:
    return phrases_for("en")


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data folder; nothing touches the real one."""
    home = tmp_path / "data"
    monkeypatch.setenv("VOICE_REHAB_HOME", str(home))
    return home
