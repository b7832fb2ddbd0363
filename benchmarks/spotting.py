"""The usual keyword-spotting pipeline as a streaming listener: pocketsphinx searches the audio
continuously for every command phrase at one threshold, with no voice activity detection.

The listener benchmark runs it over whole streams; the timing benchmark runs it on the
microphone thread, as the player runs its own listener, to time it in wall time too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.endpointed import sphinx_decoder
from benchmarks.framing import Frames
from voice_rehab.listen.audio import CHUNK, RATE
from voice_rehab.listen.listener import Decision


def keyword_decoder(phrases: list[str], threshold: float) -> Any:
    """pocketsphinx in keyword-spotting mode, every phrase at `threshold`."""
    with tempfile.NamedTemporaryFile("w", suffix=".kws", delete=False) as f:
        f.writelines(f"{phrase} /{threshold:g}/\n" for phrase in phrases)
    try:
        decoder = sphinx_decoder(lm=None)
        decoder.add_kws("k", f.name)
        decoder.activate_search("k")
    finally:
        os.unlink(f.name)
    return decoder


class KeywordSpotter:
    """Keyword spotting as a listener (the Listens protocol): every spotted phrase that is a
    command is decided at once, and the search starts afresh after it."""

    def __init__(self, decoder: Any, decide: Callable[[str], str | None]) -> None:
        self._decoder = decoder
        self._decide = decide
        self._frames = Frames(CHUNK * 2)  # 20 ms of 16-bit samples
        self._heard = 0  # samples given to the decoder so far
        self.hearing = False  # a spotter has no notion of an utterance: it never holds off the player's speech
        decoder.start_utt()

    def expect(self, what: str) -> None:
        """It listens for commands only."""

    def feed(
        self, samples: np.ndarray, t: float = 0.0, reference: np.ndarray | None = None, reference_text: str = ""
    ) -> list[Decision]:
        """Samples of any length, searched 20 ms at a time; a decision's time is the end of the
        chunk the phrase was spotted in."""
        decisions = []
        for data in self._frames.of(samples):
            self._heard += CHUNK
            self._decoder.process_raw(data)
            hyp = self._decoder.hyp()
            if hyp and hyp.hypstr.strip():
                text = hyp.hypstr.split("  ")[0].strip()  # the first phrase spotted
                command = self._decide(text)
                if command:
                    decisions.append(Decision("command", command, self._heard / RATE, text))
                self._decoder.end_utt()  # spotted: search afresh from here
                self._decoder.start_utt()
        return decisions

    def close(self) -> None:
        self._decoder.end_utt()
