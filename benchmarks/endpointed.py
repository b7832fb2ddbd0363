"""The usual pipeline as a streaming listener: pocketsphinx's own Endpointer (its VAD) cuts the
audio into utterances, a recogniser hears each, and whatever command its text holds is decided.

The listener benchmark runs it over whole streams; the timing benchmark runs it on the
microphone thread, as the player runs its own listener, to time it in wall time too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from benchmarks.framing import Frames
from voice_rehab.core.phrases import Phrases
from voice_rehab.listen.audio import RATE
from voice_rehab.listen.listener import Decision


class Utterance(Protocol):
    """A recogniser heard one utterance at a time."""

    def start(self) -> None: ...

    def feed(self, data: bytes) -> None: ...

    def text(self) -> str: ...


class EndpointedListener:
    def __init__(self, utterance: Utterance, decide: Callable[[str], str | None]) -> None:
        from pocketsphinx import Endpointer

        self._endpointer = Endpointer()
        self._utterance = utterance
        self._decide = decide
        self._frames = Frames(self._endpointer.frame_bytes)
        self._heard = 0  # bytes given to the endpointer so far
        self.hearing = False  # in an utterance

    def expect(self, what: str) -> None:
        """It listens for commands only."""

    def feed(
        self, samples: np.ndarray, t: float = 0.0, reference: np.ndarray | None = None, reference_text: str = ""
    ) -> list[Decision]:
        """Samples of any length; a decision's time is the end of the endpointer frame it was made on."""
        decisions = []
        for data in self._frames.of(samples):
            self._heard += len(data)
            speech = self._endpointer.process(data)
            if speech is None:
                continue
            if not self.hearing:
                self._utterance.start()
                self.hearing = True
            self._utterance.feed(speech)
            if not self._endpointer.in_speech:
                self.hearing = False
                text = self._utterance.text()
                command = self._decide(text)
                if command:
                    decisions.append(Decision("command", command, self._heard / 2 / RATE, text))
        return decisions


def sphinx_decoder(**config: Any) -> Any:
    """pocketsphinx with its bundled US English model, as the usual pipelines configure it."""
    from pocketsphinx import Config, Decoder, get_model_path

    model = Path(get_model_path()) / "en-us"
    return Decoder(Config(hmm=str(model / "en-us"), dict=str(model / "cmudict-en-us.dict"), loglevel="FATAL", **config))


class SphinxUtterance:
    """A pocketsphinx decoder as one utterance at a time: start, feed, text."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder

    def start(self) -> None:
        self.decoder.start_utt()

    def feed(self, data: bytes) -> None:
        self.decoder.process_raw(data)

    def text(self) -> str:
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return hyp.hypstr if hyp else ""


def grammar_utterance(phrases: list[str]) -> SphinxUtterance:
    """The usual closed JSGF grammar: any one of the phrases, with "okay" before or "please" after."""
    decoder = sphinx_decoder(lm=None)
    decoder.add_jsgf_string("g", f"#JSGF V1.0;\ngrammar g;\npublic <c> = [okay] ( {' | '.join(phrases)} ) [please];\n")
    decoder.activate_search("g")
    return SphinxUtterance(decoder)


def command_in(phrases: Phrases, text: str) -> str | None:
    """The command of a phrase in `text` (as a whole word; in Korean, inside a word too)."""
    phrase = phrases.command_in(text.lower())
    return phrases.command_of[phrase] if phrase else None
