"""How likely the room's sound is speech, moment by moment: Silero VAD v6.

Silero's voice activity detector (MIT) was trained on real recordings of speech under many kinds
of noise and music, which is what this machine cannot record. Its ONNX file is a copy of the one
the faster-whisper package ships (`silero_vad/NOTICE.md`), so nothing is downloaded. It hears
32 ms at a time (512 samples, with the last 64 of the chunk before as context) and carries its
state from chunk to chunk; the listener's 20 ms frames are buffered into those chunks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHUNK = 512  # samples Silero hears at a time (16 kHz)
CONTEXT = 64  # samples of the chunk before that it hears with each chunk
STATE = (1, 1, 128)  # the shape of each of its two recurrent states
MODEL = Path(__file__).resolve().parent / "silero_vad" / "silero_vad_v6.onnx"


class NoSpeechDetector(RuntimeError):
    """The detector's model file is missing or unreadable."""


class SpeechDetector:
    """Streaming speech probabilities: push audio frames of any length, read the latest chunk's
    probability that it was speech."""

    def __init__(self, path: Path | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1
        options.log_severity_level = 4
        model = path or MODEL
        try:
            self._session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"], sess_options=options)
        except Exception as exc:  # onnxruntime raises its own exception types for a missing or bad file
            raise NoSpeechDetector(f"the speech detector's model {model} cannot be read: {exc}") from exc
        self.reset()

    def reset(self) -> None:
        """Forget what was heard: the next audio is a new stream."""
        self._h = np.zeros(STATE, np.float32)
        self._c = np.zeros(STATE, np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._pending = np.zeros(0, np.float32)
        self.probability = 0.0

    def push(self, frame: np.ndarray) -> float:
        """Hear `frame` (16 kHz, float in [-1, 1]); the probability of speech in the last whole
        chunk heard (0 until the first chunk is whole)."""
        self._pending = np.concatenate([self._pending, np.asarray(frame, np.float32)])
        while len(self._pending) >= CHUNK:
            chunk, self._pending = self._pending[:CHUNK], self._pending[CHUNK:]
            heard = np.concatenate([self._context, chunk])[np.newaxis, :]
            out, self._h, self._c = self._session.run(None, {"input": heard, "h": self._h, "c": self._c})
            self._context = chunk[-CONTEXT:]
            self.probability = float(np.asarray(out).reshape(-1)[-1])
        return self.probability
