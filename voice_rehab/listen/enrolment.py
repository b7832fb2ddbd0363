"""Enrolment: a minute of the person's own voice, so the listener knows how *they* say each command.

The person says each command a few times and a few sentences of ordinary talk (`voice-rehab
enroll`); the recordings stay in the data folder (`enrolment/<language>/`, a manifest beside them)
and nothing leaves the machine. From them a `VoiceProfile` holds one template per take: the
utterance's speech-embedding summary, standardised as the verifier standardises it. An utterance
the judge could not place is then compared with the person's own takes: close to one command's
takes, and closer to them than to the person's talk, it is that command (openWakeWord's "custom
verifier" learns a person the same way, from a few clips and their own negatives).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_rehab.core.phrases import Phrases
from voice_rehab.io.files import write_atomically
from voice_rehab.io.paths import data_dir
from voice_rehab.listen.audio import CHUNK, RATE, read_wav, wav16_bytes
from voice_rehab.listen.segmenter import Edge, Segmenter

MANIFEST = "manifest.json"
VERSION = 1
TAKES = 3  # each command said this many times
TALK = "talk"  # the takes of ordinary talk: what the person says that is no command
MAX_TAKE_SECONDS = 4.0

Featurize = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Take:
    file: str  # the recording, relative to the enrolment folder
    said: str  # the phrase the person was asked to say
    command: str  # the command it means, or TALK


def enrolment_dir(language: str) -> Path:
    return data_dir() / "enrolment" / language


def prompts(phrases: Phrases, talk: Iterable[str]) -> list[tuple[str, str]]:
    """What the person is asked to say, in order: (phrase, command or TALK)."""
    asked = [(said[0], command) for command, said in phrases.commands.items() for _ in range(TAKES)]
    return asked + [(sentence, TALK) for sentence in talk]


def read_takes(folder: Path) -> list[Take]:
    """The takes recorded in `folder` (none if it holds no enrolment)."""
    path = folder / MANIFEST
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Take(t["file"], t["said"], t["command"]) for t in data.get("takes", [])]


def save_take(folder: Path, takes: list[Take], said: str, command: str, samples: np.ndarray) -> list[Take]:
    """Add one recording: its WAV, then the manifest that names it (each written whole)."""
    name = f"{command}-{len(takes) + 1:02d}.wav"
    write_atomically(folder / name, wav16_bytes(samples))
    updated = [*takes, Take(name, said, command)]
    manifest = {"version": VERSION, "takes": [t.__dict__ for t in updated]}
    write_atomically(folder / MANIFEST, (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode())
    return updated


def cut_utterance(chunks: Iterable[np.ndarray], max_seconds: float = MAX_TAKE_SECONDS) -> np.ndarray | None:
    """The first utterance in a stream of 20 ms chunks, with a little of the room before it
    (None if the stream ends before anyone speaks)."""
    segmenter = Segmenter()
    before: list[np.ndarray] = []
    said: list[np.ndarray] = []
    for chunk in chunks:
        edge = segmenter.push(chunk)
        if not said and edge is Edge.SILENCE:
            before = [*before[-14:], chunk]
            continue
        said.append(chunk)
        if edge is Edge.END or len(said) * CHUNK / RATE >= max_seconds:
            return np.concatenate([*before, *said]).astype(np.float32)
    return np.concatenate([*before, *said]).astype(np.float32) if said else None


@dataclass(frozen=True)
class Match:
    command: str | None  # the command the utterance is, in this person's voice (None: no match)
    similarity: float  # to the closest take of that command
    talk: float  # to the closest take of the person's talk


class VoiceProfile:
    """The person's takes as templates; an utterance is matched against them."""

    def __init__(self, templates: dict[str, np.ndarray], featurize: Featurize, similar: float, margin: float):
        self.templates = templates  # command (or TALK) -> unit vectors, one row a take
        self.featurize = featurize
        self.similar = similar
        self.margin = margin

    @classmethod
    def from_takes(
        cls, folder: Path, takes: list[Take], featurize: Featurize, similar: float = 0.8, margin: float = 0.05
    ) -> VoiceProfile:
        rows: dict[str, list[np.ndarray]] = {}
        for take in takes:
            rows.setdefault(take.command, []).append(_unit(featurize(read_wav(folder / take.file))))
        return cls({c: np.stack(v) for c, v in rows.items()}, featurize, similar, margin)

    @property
    def commands(self) -> list[str]:
        return sorted(c for c in self.templates if c != TALK)

    def match(self, samples: np.ndarray) -> Match:
        heard = _unit(self.featurize(samples))
        best = {c: float(np.max(t @ heard)) for c, t in self.templates.items()}
        talk = best.pop(TALK, -1.0)
        if not best:
            return Match(None, -1.0, talk)
        command = max(best, key=best.__getitem__)
        sure = best[command] >= self.similar and best[command] >= talk + self.margin
        return Match(command if sure else None, best[command], talk)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def load_profile(language: str, featurize: Featurize, folder: Path | None = None) -> VoiceProfile | None:
    """The person's profile for `language`, if they enrolled (None: no enrolment, or no command)."""
    where = folder or enrolment_dir(language)
    takes = read_takes(where)
    if not any(t.command != TALK for t in takes):
        return None
    return VoiceProfile.from_takes(where, takes, featurize)
