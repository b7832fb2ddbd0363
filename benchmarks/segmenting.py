"""Where the listener's front end and segmenter find utterances in a stream, without a recogniser:
what `scripts/bench_segmenter.py` counts room by room and the tests check on built rooms."""

from __future__ import annotations

import numpy as np

from voice_rehab.listen.audio import RATE
from voice_rehab.listen.frontend import FrontEnd
from voice_rehab.listen.segmenter import Edge, Segmenter
from voice_rehab.listen.speech_detector import SpeechDetector
from voice_rehab.listen.stream import chunks


def utterances_of(
    segmenter: Segmenter, detector: SpeechDetector | None, front: FrontEnd, heard: np.ndarray
) -> list[list[float]]:
    """(start, end) in seconds of each utterance the segmenter finds in `heard`, as the listener
    feeds it: the front end's suppressed signal, and the detector hearing the echo-cancelled one."""
    found: list[list[float]] = []
    start = None
    for index, chunk in enumerate(chunks(heard)):
        cleaned = front.process(chunk, None)
        speech = detector.push(cleaned.recognise) if detector is not None else None
        edge = segmenter.push(cleaned.segment, speech)
        t = index * len(chunk) / RATE
        if edge is Edge.START:
            start = t
        elif edge is Edge.END and start is not None:
            found.append([round(start, 2), round(t, 2)])
            start = None
    if start is not None:
        found.append([round(start, 2), round(len(heard) / RATE, 2)])
    return found
