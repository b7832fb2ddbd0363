"""Model resolution and installation: explicit choices, the resolution order, and every failure
as one clear line (offline, bad archive, an archive that would escape its folder)."""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_rehab.cli.main import main
from voice_rehab.listen import models
from voice_rehab.listen.models import ModelError, install, is_vosk_model, resolve


def fake_model(folder: Path) -> Path:
    """A folder shaped like a vosk model (resolution looks only at the shape)."""
    (folder / "am").mkdir(parents=True)
    (folder / "conf").mkdir()
    (folder / "conf" / "model.conf").write_text("--sample-frequency=16000\n")
    return folder


def test_the_korean_package_is_found_without_any_download() -> None:
    found = resolve("ko")
    assert found is not None and found.origin == "package" and is_vosk_model(found.path)


def test_resolution_order(tmp_path: Path, private_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project-models"
    monkeypatch.setattr(models, "PROJECT_MODELS", project)
    user = fake_model(private_data_dir / "models" / "vosk-model-small-en-us-0.15")
    assert resolve("en").path == user  # the user data dir
    in_project = fake_model(project / "vosk-model-en-us-0.22")
    assert resolve("en").path == in_project  # the project's models/ comes first
    env = fake_model(tmp_path / "env-model")
    monkeypatch.setenv("VOICE_REHAB_MODEL", str(env))
    assert resolve("en").path == env
    explicit = fake_model(tmp_path / "explicit")
    assert resolve("en", explicit).origin == "--model"


def test_an_explicit_model_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a vosk model folder"):
        resolve("en", tmp_path)
    result = CliRunner().invoke(main, ["recognize", str(tmp_path / "x.wav"), "--model", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket closes


def test_offline_install_fails_in_one_line_naming_the_fallback(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/vosk-model-small-en-us-0.15.zip"
    with pytest.raises(ModelError) as caught:
        install(url, tmp_path)
    message = str(caught.value)
    assert "\n" not in message and "pocketsphinx" in message
    result = CliRunner().invoke(main, ["models", "install", url, "--into", str(tmp_path)])
    assert result.exit_code == 1 and "pocketsphinx" in result.output and "Traceback" not in result.output


def test_a_damaged_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "model.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelError, match="not a zip archive"):
        install(str(archive), tmp_path / "models")


def test_an_archive_escaping_its_folder_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("vosk-model-x/am/final.mdl", "x")
        zf.writestr("../../outside.txt", "owned")
    target = tmp_path / "models"
    with pytest.raises(ModelError, match="outside"):
        install(str(archive), target)
    assert not (tmp_path / "outside.txt").exists() and not (target.parent.parent / "outside.txt").exists()


def test_a_checksum_mismatch_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "m.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("vosk-model-small-xx-0.1/am/final.mdl", "x")
        zf.writestr("vosk-model-small-xx-0.1/conf/model.conf", "x")
    with pytest.raises(ModelError, match="checksum"):
        install(str(archive), tmp_path / "models", sha256="0" * 64)


def test_a_good_archive_installs_into_the_user_folder(tmp_path: Path, private_data_dir: Path) -> None:
    archive = tmp_path / "m.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("vosk-model-small-xx-0.1/am/final.mdl", "x")
        zf.writestr("vosk-model-small-xx-0.1/conf/model.conf", "x")
    path = install(str(archive))
    assert path == private_data_dir / "models" / "vosk-model-small-xx-0.1" and is_vosk_model(path)
    assert resolve("xx").path == path


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ModelError, match="vosk-model-small-en-us"):
        install("vosk-model-nonexistent")


def test_models_cli_list_and_path() -> None:
    listed = CliRunner().invoke(main, ["models", "list"])
    assert listed.exit_code == 0 and "package" in listed.output and "ko" in listed.output
    assert CliRunner().invoke(main, ["models", "path", "ko"]).exit_code == 0
    missing = CliRunner().invoke(main, ["models", "path", "en"])
    assert missing.exit_code == 1 and "pocketsphinx" in missing.output


def test_a_korean_routine_without_its_model_says_the_exact_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from voice_rehab.core.phrases import phrases_for
    from voice_rehab.listen import engines

    monkeypatch.setattr(engines, "resolve", lambda language, model: None)  # as if the extra was not installed
    choice = engines.choose("auto", phrases_for("ko"))
    assert choice.listener is None
    assert "pip install 'voice-rehab[ko]'" in choice.reason


def _archive(tmp_path: Path, name: str, members: dict[str, bytes], **options: object) -> Path:
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data, **options)  # type: ignore[arg-type]
    return archive


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """A 300 MB bomb had been extracted until the disk filled."""
    bomb = _archive(tmp_path, "bomb.zip", {"vosk-model-x/am/final.mdl": b"\0" * (50 << 20)})
    assert bomb.stat().st_size < 1 << 20
    target = tmp_path / "models"
    with pytest.raises(ModelError, match="zip bomb"):
        install(str(bomb), target)
    assert list(target.iterdir()) == []


def test_a_file_and_a_folder_of_one_name_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    clash = _archive(tmp_path, "clash.zip", {"vosk-model-x/am": b"a file", "vosk-model-x/am/final.mdl": b"x"})
    result = CliRunner().invoke(main, ["models", "install", str(clash), "--into", str(tmp_path / "models")])
    assert result.exit_code == 1 and "cannot be unpacked" in result.output and "Traceback" not in result.output


def test_an_unknown_compression_method_is_refused(tmp_path: Path) -> None:
    archive = _archive(tmp_path, "odd.zip", {"vosk-model-x/am/final.mdl": b"x"})
    data = bytearray(archive.read_bytes())
    # compression method 99 (AES) in the local header and the central directory
    data[8:10] = (99).to_bytes(2, "little")
    central = data.rfind(b"PK\x01\x02")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="compression method"):
        install(str(archive), tmp_path / "models")


def test_an_unwritable_target_is_one_line(tmp_path: Path) -> None:
    good = _archive(tmp_path, "m.zip", {"vosk-model-small-xx-0.1/am/final.mdl": b"x"})
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(main, ["models", "install", str(good), "--into", str(blocker / "models")])
    assert result.exit_code == 1 and "cannot create the models folder" in result.output


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    archive = _archive(tmp_path, "locked.zip", {"vosk-model-x/am/final.mdl": b"x"})
    data = bytearray(archive.read_bytes())
    data[6] |= 0x1  # the "encrypted" flag, in the local header and the central directory
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1
    archive.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="encrypted"):
        install(str(archive), tmp_path / "models")
