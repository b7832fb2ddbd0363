"""The history's records: one typed class per kind, shared by the writer and every reader.

Every line of the history is one record: what all records carry (`Record`: format version,
session id, sequence number, wall-clock time, session time, routine, kind) and the fields of its
kind. Reading checks each line against its kind here, once; a line that fails (a torn write, a
hand edit, a wrong type, a number that is not finite) is set aside by the reader, never fatal.
Older files still read: every field a version-1 line may lack has a default. A kind this version
does not know is kept as a plain `Record` (its fields are kept as they are).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, field_validator

from voice_rehab.core.text import printable

FORMAT_VERSION = 2
Count = Annotated[StrictInt, Field(ge=0, le=10**9)]
Seconds = Annotated[float, Field(ge=0, le=10**8, allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=10_000)]


class Record(BaseModel):
    """What every line carries."""

    model_config = ConfigDict(extra="allow", frozen=True)

    v: StrictInt = 1
    session: Annotated[str, Field(min_length=1, max_length=200)]
    seq: Count | None = None
    at: datetime | None = None  # when it was written, in UTC (a time without a zone is read as UTC)
    t: Seconds = 0.0  # seconds since the session started
    routine: Text = ""
    kind: Annotated[str, Field(min_length=1, max_length=100)]

    @field_validator("at", mode="after")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    @field_validator("*", mode="before")
    @classmethod
    def _whole_text(cls, value: Any) -> Any:
        """A lone surrogate (half a character, from a torn or forged line) cannot be printed or
        written again: the line is refused. Control characters (an escape sequence in a routine's
        name) are dropped from what is read: they would reach the terminal raw."""
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                text.encode("utf-8")
        if isinstance(value, list):
            return [printable(v) if isinstance(v, str) else v for v in value]
        return printable(value) if isinstance(value, str) else value


class Where(Record):
    """Records about a place in the routine: the exercise (index and name), set and side."""

    exercise: Annotated[StrictInt, Field(ge=-1, le=10**6)] | None = None  # -1: before the first exercise
    name: Text = ""
    set: Count | None = None
    side: Text | None = None


class SessionStart(Record):
    title: Text = ""
    planned: Count = 0
    exercises: list[Text] = Field(default_factory=list)
    estimated_seconds: Seconds | None = None
    routine_file: Text = ""
    dose: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] = 1.0


class SessionResume(Where):
    routine_file: Text = ""
    dose: Annotated[float, Field(gt=0, le=10, allow_inf_nan=False)] = 1.0


class CommandHeard(Record):
    command: Text = ""
    heard: Text = ""
    source: Text = ""
    state: Text = ""


class SetDone(Where):
    reps: Count | None = None
    seconds: Seconds | None = None
    partial: StrictBool = False  # left part way (skipped): what was done of it


class PainAnswer(Record):
    question: Text = ""
    heard: Text = ""
    value: Text | None = None
    source: Text = ""


class PainReport(Where):
    severity: Annotated[StrictInt, Field(ge=0, le=10)] | None = None
    pain_type: Text | None = None
    red_flags: StrictBool | None = None
    choice: Text | None = None
    outcome: Text = ""


class PausedAnswer(Record):
    """An answer to a question asked while paused ("Does something hurt?", "Shall I end the
    session?"), or none (`answer` None)."""

    answer: Text | None = None
    heard: Text = ""
    source: Text = ""


class PausedQuestionAsked(Record):
    why: Text = ""


class Hearing(Record):
    ok: StrictBool = True
    reason: Text = ""


class Released(Record):
    heard: Text = ""


class Halted(Where):
    heard: Text = ""


class SessionEnd(Record):
    reason: Text = "ended"
    completed: Count = 0
    planned: Count = 0
    skipped: Count = 0
    pain_reports: Count = 0


KINDS: dict[str, type[Record]] = {
    "session_start": SessionStart,
    "session_resume": SessionResume,
    "command": CommandHeard,
    "set_done": SetDone,
    "exercise_done": Where,
    "exercise_skipped": Where,
    "pause": Where,
    "repeat": Where,
    "resume": Record,
    "halt": Halted,
    "release": Released,
    "pain_start": Where,
    "pain_answer": PainAnswer,
    "pain_report": PainReport,
    "hurt_check": PausedAnswer,
    "hurt_check_asked": PausedQuestionAsked,
    "end_check": PausedAnswer,
    "end_check_asked": PausedQuestionAsked,
    "hearing": Hearing,
    "session_end": SessionEnd,
}


class BadRecord(ValueError):
    """A line that is no record of its kind; the message says which field is wrong."""


def parse_record(fields: dict[str, Any]) -> Record:
    """The typed record of one line's fields; BadRecord if they do not make one."""
    kind = fields.get("kind")
    model = KINDS.get(kind, Record) if isinstance(kind, str) else Record
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        raise BadRecord(f"{where}: {first['msg']}") from None
    except (UnicodeEncodeError, RecursionError) as exc:
        raise BadRecord(str(exc)) from None
