"""What every command of the command line shares."""

from __future__ import annotations

import sys
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """Say what went wrong in one line on stderr and exit 1."""
    click.echo(f"voice-rehab: {message}", err=True)
    sys.exit(1)
