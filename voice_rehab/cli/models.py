"""`models`: the speech models the listener can use, where they are, installing one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from voice_rehab.cli.common import fail as _fail

if TYPE_CHECKING:
    pass


@click.group()
def models() -> None:
    """Speech models: list what is found, install one, show the one a language uses."""


@models.command(name="list")
@click.option("--model", type=click.Path(path_type=Path), help="Also consider this folder.")
def models_list(model: Path | None) -> None:
    """Every vosk model found, in resolution order, and which one each language uses."""
    from voice_rehab.listen.models import CATALOG, POCKETSPHINX_FALLBACK, all_models, user_models_dir

    found = all_models(model)
    for m in found:
        click.echo(f"{m.language:<4} {m.origin:<18} {m.path}")
    if not found:
        click.echo("No vosk models found. " + POCKETSPHINX_FALLBACK + ".")
    click.echo(f"\nInstall into {user_models_dir()} with: voice-rehab models install NAME")
    for name, entry in CATALOG.items():
        click.echo(f"  {name}  ({entry['language']})")


@models.command(name="path")
@click.argument("language", default="en")
@click.option("--model", type=click.Path(path_type=Path))
def models_path(language: str, model: Path | None) -> None:
    """The model folder LANGUAGE would use; exit 1 if none."""
    from voice_rehab.listen.models import POCKETSPHINX_FALLBACK, ModelError, resolve

    try:
        found = resolve(language, model)
    except ModelError as exc:
        _fail(str(exc))
    if found is None:
        _fail(f"no vosk model for '{language}'" + (f"; {POCKETSPHINX_FALLBACK}" if language == "en" else ""))
    click.echo(str(found.path))


@models.command(name="install")
@click.argument("name")
@click.option("--sha256", help="Expected SHA-256 of the archive.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), help="Target folder.")
def models_install(name: str, sha256: str | None, into: Path | None) -> None:
    """Install NAME (from `models list`), a URL or a local .zip into your models folder."""
    from voice_rehab.listen.models import ModelError, install

    def progress(done: int, total: int | None) -> None:

        shown = f"{done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else "")
        click.echo(f"\r  downloading {shown}", nl=False, err=True)

    try:
        path = install(name, into, sha256, progress)
    except ModelError as exc:
        click.echo("", err=True)
        _fail(str(exc))
    click.echo(f"\nInstalled {path}")
