"""The person's settings file: every key optional, so an empty file means the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_rehab.io.settings import ProblemsError, Settings, load_settings


@pytest.mark.parametrize("text", ["", "\n\n", "# my settings\n# progression: later\n"])
def test_an_empty_or_comment_only_settings_file_means_the_defaults(tmp_path: Path, text: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    assert load_settings(path) == Settings()


def test_a_wrong_setting_still_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("# mine\nprogression:\n  weekly_stepp: 0.1\n")
    with pytest.raises(ProblemsError, match=rf"{path}:3:3: .*unknown field 'weekly_stepp'"):
        load_settings(path)


def test_settings_live_in_the_config_folder_and_the_old_place_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voice_rehab.io.settings import settings_file, settings_note

    monkeypatch.delenv("VOICE_REHAB_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert settings_file() == tmp_path / "config" / "voice-rehab" / "settings.yaml"
    old = tmp_path / "data" / "voice-rehab" / "settings.yaml"
    old.parent.mkdir(parents=True)
    old.write_text("progression:\n  weekly_step: 0.05\n")
    assert load_settings().progression.weekly_step == 0.05  # an earlier version's place, still read
    assert "move the file there" in settings_note()
    settings_file().parent.mkdir(parents=True)
    settings_file().write_text("progression:\n  weekly_step: 0.08\n")
    assert load_settings().progression.weekly_step == 0.08 and settings_note() == ""


def test_an_installed_copy_has_no_project_models_folder(tmp_path: Path) -> None:
    """It had pointed into site-packages."""
    from voice_rehab.listen.models import project_models_dir

    installed = tmp_path / "site-packages" / "voice_rehab" / "listen" / "models.py"
    installed.parent.mkdir(parents=True)
    installed.touch()
    assert project_models_dir(installed) is None
    checkout = tmp_path / "checkout" / "voice_rehab" / "listen" / "models.py"
    checkout.parent.mkdir(parents=True)
    checkout.touch()
    (tmp_path / "checkout" / "pyproject.toml").touch()
    assert project_models_dir(checkout) == tmp_path / "checkout" / "models"
