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
