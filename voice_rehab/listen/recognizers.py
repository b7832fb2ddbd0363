"""Recognisers behind one small interface: pocketsphinx (English, shipped in its wheel) and vosk.

Each decodes one utterance at a time against a closed grammar of the phrases expected now.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from voice_rehab.listen.audio import RATE, to_int16


class RecognizerUnavailable(RuntimeError):
    """The engine or its model cannot be used here; the message says why."""


class Recognizer(Protocol):
    name: str
    # Can a phrase be decided from a partial result? pocketsphinx's partial hypothesis of a closed
    # grammar is its final one in the making; vosk's partials were measured to change after a
    # pause (deciding on them cost 7 points of recall on the Korean tuning voices).
    stable_partials: bool

    def set_phrases(self, phrases: list[str], before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> None:
        """Restrict recognition to these phrases, with optional filler words before and after."""

    def begin(self, signal: str = "") -> None:
        """Start a new utterance; `signal` names which cleaned signal it will hear (engines that
        adapt to their input keep that adaptation per signal)."""

    def accept(self, samples: np.ndarray) -> None:
        """Feed 16 kHz float samples."""

    def partial(self) -> str:
        """The hypothesis so far (asked only where it can decide: vosk's lattice search for it
        was 5 % of its CPU on speech)."""

    def end(self) -> tuple[str, float | None]:
        """Finish the utterance: (text, confidence where the engine gives one)."""

    def unknown_words(self, words: list[str]) -> list[str]:
        """The words the model cannot recognise."""

    def second_opinion(self) -> Recognizer | None:
        """A recogniser to hear the same audio with the phrases repeatable, where that helps."""


# Where pocketsphinx's cepstral mean starts, per signal the recogniser hears: that of speech at a
# natural level (-26 dBFS) through the front end, averaged over the tuning voices, in quiet for the
# plain signal and at 20 and 10 dB SNR for the suppressed one (`scripts/cmn_prior.py` measures
# them again). pocketsphinx's own start (40,3,-1,0,...) is far from any speech and its mean adapts
# only as it hears speech, so the first command of a session was heard against the wrong mean
# (docs/BENCHMARKS.md, "The first command of a session").
SPEECH_CMN = {
    "plain": "45.99,-9.45,2.84,12.69,-5.11,-0.46,-3.05,-6.61,-2.66,-2.60,0.65,-2.11,-1.57",
    "suppressed": "47.09,-5.34,2.23,11.17,-4.77,0.85,-2.75,-5.35,-2.51,-2.33,0.01,-1.46,-1.93",
}


class PocketSphinxRecognizer:
    """pocketsphinx with its bundled US English model and a JSGF grammar.

    A closed grammar of single phrases explains any speech as one phrase. With `repeatable`, the
    grammar is any run of phrases: talk is then explained as several different phrases, which the
    listener rejects (its second opinion; measured in BENCHMARKS.md).
    """

    name = "pocketsphinx"
    stable_partials = True

    def __init__(
        self,
        repeatable: bool = False,
        adapted_like: PocketSphinxRecognizer | None = None,
        cmn_start: dict[str, str] | None = SPEECH_CMN,
    ) -> None:
        """`cmn_start`: the cepstral mean to start from, per signal (None: pocketsphinx's own)."""
        self.repeatable = repeatable
        # a second opinion hears now and then, so it takes the first recogniser's adaptation to
        # the room (its cepstral mean) rather than starting cold each time
        self._adapted_like = adapted_like
        try:
            from pocketsphinx import Config, Decoder, get_model_path
        except ImportError as exc:
            raise RecognizerUnavailable(f"pocketsphinx is not installed ({exc}): pip install pocketsphinx") from None
        model = Path(get_model_path()) / "en-us"
        # bestpath off: the lattice's best path (pocketsphinx's default) may end inside a phrase
        # ("that" of "that hurts" for espeak-ng's "next"), which decides nothing; the grammar
        # search's own result always ends on a whole phrase (measured: BENCHMARKS.md, "What changed")
        config = Config(
            hmm=str(model / "en-us"), dict=str(model / "cmudict-en-us.dict"), lm=None, bestpath=False, loglevel="FATAL"
        )
        self._decoder = Decoder(config)
        self._in_utterance = False
        self._signal = ""
        self._cmn: dict[str, str] = dict(cmn_start or {})  # signal -> its cepstral mean, adapted
        self._cmn_initial = self._decoder.get_cmn()
        self._searches: dict[str, str] = {}  # JSGF text -> search name: each grammar is compiled once

    def unknown_words(self, words: list[str]) -> list[str]:
        return [w for w in words if self._decoder.lookup_word(w) is None]

    def cepstral_mean(self) -> str:
        """Where its adaptation to the input stands now (comma-separated, as pocketsphinx writes it)."""
        return self._decoder.get_cmn()

    def second_opinion(self) -> Recognizer | None:
        return None if self.repeatable else PocketSphinxRecognizer(repeatable=True, adapted_like=self)

    def set_phrases(self, phrases: list[str], before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> None:
        known = [p for p in phrases if not self.unknown_words(p.split())]
        if not known:
            raise RecognizerUnavailable("none of the phrases are in the pocketsphinx dictionary")
        rule = f"( {' | '.join(known)} )" + ("+" if self.repeatable else "")
        first = [f for f in before if not self.unknown_words(f.split())]
        last = [f for f in after if not self.unknown_words(f.split())]
        if first:
            rule = f"[ {' | '.join(first)} ] {rule}"
        if last:
            rule = f"{rule} [ {' | '.join(last)} ]"
        jsgf = f"#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = {rule} ;\n"
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False
        search = self._searches.get(jsgf)
        if search is None:
            search = self._searches[jsgf] = f"phrases{len(self._searches)}"
            self._decoder.add_jsgf_string(search, jsgf)
        self._decoder.activate_search(search)

    def begin(self, signal: str = "") -> None:
        if self._in_utterance:
            self._decoder.end_utt()
        if self._adapted_like is not None:
            self._decoder.set_cmn(self._adapted_like.cepstral_mean())
        elif signal != self._signal:
            # the cepstral mean adapts to the input: keep one per signal, so switching between the
            # suppressed and the plain signal does not throw the next utterance off
            self._cmn[self._signal] = self._decoder.get_cmn()
            self._decoder.set_cmn(self._cmn.get(signal, self._cmn_initial))
            self._signal = signal
        self._decoder.start_utt()
        self._in_utterance = True

    def accept(self, samples: np.ndarray) -> None:
        self._decoder.process_raw(to_int16(samples).tobytes(), False, False)

    def partial(self) -> str:
        hyp = self._decoder.hyp()
        return hyp.hypstr if hyp else ""

    def end(self) -> tuple[str, float | None]:
        if self._in_utterance:
            self._decoder.end_utt()
            self._in_utterance = False
        hyp = self._decoder.hyp()
        return (hyp.hypstr if hyp else ""), None


class VoskRecognizer:
    """vosk (Kaldi) with a model folder, restricted to the phrases plus [unk] where it has one."""

    name = "vosk"
    stable_partials = False

    def __init__(self, model_path: Path):
        try:
            import vosk
        except ImportError as exc:
            raise RecognizerUnavailable(f"vosk is not installed ({exc}): pip install vosk") from None
        if not (model_path / "am").is_dir() and not (model_path / "conf").is_dir():
            raise RecognizerUnavailable(f"{model_path}: not a vosk model folder (no am/ or conf/)")
        vosk.SetLogLevel(-1)
        # Model(path) only: Model(lang=...) would download from the internet.
        try:
            self._model = vosk.Model(str(model_path))
        except Exception as exc:  # noqa: BLE001 - vosk raises a bare Exception on a bad model
            raise RecognizerUnavailable(f"{model_path}: vosk could not load the model ({exc})") from None
        self._vosk = vosk
        self.has_unk = self._model.vosk_model_find_word("[unk]") >= 0
        self._recognizer: Any = None  # the vosk KaldiRecognizer of the grammar now
        self._recognizers: dict[str, Any] = {}  # grammar -> recognizer: each compiled once
        self._final = ""

    def unknown_words(self, words: list[str]) -> list[str]:
        return [w for w in words if self._model.vosk_model_find_word(w) < 0]

    def second_opinion(self) -> Recognizer | None:
        return None  # not measured with vosk (its Korean model is the only one here)

    def set_phrases(self, phrases: list[str], before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> None:
        known = [p for p in phrases if not self.unknown_words(p.split())]
        known += [f"{b} {p}" for b in before for p in list(known) if not self.unknown_words(b.split())]
        known += [f"{p} {a}" for a in after for p in list(known) if not self.unknown_words(a.split())]
        if self.has_unk:
            known.append("[unk]")
        grammar = json.dumps(known, ensure_ascii=False)
        if grammar not in self._recognizers:
            recognizer = self._vosk.KaldiRecognizer(self._model, RATE, grammar)
            recognizer.SetWords(True)
            self._recognizers[grammar] = recognizer
        self._recognizer = self._recognizers[grammar]

    def begin(self, signal: str = "") -> None:
        assert self._recognizer is not None, "set_phrases first"
        self._recognizer.Reset()
        self._final = ""

    def accept(self, samples: np.ndarray) -> None:
        assert self._recognizer is not None
        if self._recognizer.AcceptWaveform(to_int16(samples).tobytes()):
            # vosk found an end of utterance inside the segment: keep its text.
            self._final = (self._final + " " + json.loads(self._recognizer.Result()).get("text", "")).strip()

    def partial(self) -> str:
        assert self._recognizer is not None
        partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        return (self._final + " " + partial).strip()

    def end(self) -> tuple[str, float | None]:
        assert self._recognizer is not None
        result = json.loads(self._recognizer.FinalResult())
        text = (self._final + " " + result.get("text", "")).strip()
        words = result.get("result") or []
        confidence = float(np.mean([w.get("conf", 0.0) for w in words])) if words else None
        return text, confidence
