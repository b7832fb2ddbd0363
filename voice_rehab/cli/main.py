"""The command line: the `voice-rehab` group and its commands, one module per group of them.
Only what --help needs is imported here (it answers in a blink); each command imports the rest."""

from __future__ import annotations

import click

from voice_rehab.cli.authoring import exercises, new, schema
from voice_rehab.cli.check import check
from voice_rehab.cli.enroll import enroll
from voice_rehab.cli.history import history
from voice_rehab.cli.listen import recognize
from voice_rehab.cli.models import models
from voice_rehab.cli.play import play, progress, resume
from voice_rehab.cli.routines import list_cmd, validate
from voice_rehab.cli.simulate import render, simulate

EXIT_CODES = """\b
Exit codes: 0 done; 1 bad input (the message names the file, line and field) or a missing part
(`check`); 2 a wrong option or argument; 130 ended by Ctrl-C, 143 by `kill` (the session is recorded
and can be resumed)."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="voice-rehab")
def main() -> None:
    """Offline, voice-guided player for back-rehab routines. Not medical advice: see a clinician
    for severe pain, pain spreading below the knee, numbness or weakness."""


# ---- play ----


for _command in (play, resume, progress, validate, list_cmd, simulate, render, recognize, models, check, history,
                 schema, exercises, new, enroll):  # fmt: skip
    main.add_command(_command)
