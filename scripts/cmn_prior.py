#!/usr/bin/env python3
"""Measure `SPEECH_CMN`: pocketsphinx's cepstral mean after hearing each tuning voice's commands
through the front end at the corpus's speech level: the plain signal in quiet, the suppressed one
at 20 and 10 dB SNR. The averages go into `voice_rehab/listen/recognizers.py`; held-out voices are
never used for them.

    .venv/bin/python scripts/cmn_prior.py

Prints a table (one row a voice and condition, the first four coefficients) and the averages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import LANGUAGES, add_noise, build_stream, command_utterances  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.frontend import WebRtcFrontEnd  # noqa: E402
from voice_rehab.listen.listener import CommandListener  # noqa: E402
from voice_rehab.listen.recognizers import SPEECH_CMN, PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402

CONDITIONS: dict[str, list[float | None]] = {"plain": [None], "suppressed": [20.0, 10.0]}  # signal -> its SNRs


def adapted_mean(voice: tuple[str, str], signal: str, snr: float | None) -> np.ndarray:
    english = phrases_for("en")
    recognizer = PocketSphinxRecognizer(cmn_start=None)
    stream, _ = build_stream("cmn", command_utterances(english, [voice], "tune"), "tune")
    front_end = WebRtcFrontEnd(suppression="never" if signal == "plain" else "always")
    decide_stream(CommandListener(recognizer, english, front_end), add_noise(stream, snr))
    return np.fromstring(recognizer.cepstral_mean(), sep=",")


def main() -> None:
    print("| signal | SNR | voice | c0 | c1 | c2 | c3 |\n| --- | --- | --- | --- | --- | --- | --- |")
    averages = {}
    for signal, snrs in CONDITIONS.items():
        means = []
        for snr in snrs:
            for engine, name in LANGUAGES["en"].tune:
                means.append(adapted_mean((engine, name), signal, snr))
                print(
                    f"| {signal} | {snr or 'clean'} | {engine}:{name} | "
                    + " | ".join(f"{x:.2f}" for x in means[-1][:4])
                    + " |"
                )
        averages[signal] = ",".join(f"{x:.2f}" for x in np.mean(means, axis=0))
    print("\nmeasured:", averages)
    print("in use:  ", SPEECH_CMN)


if __name__ == "__main__":
    main()
