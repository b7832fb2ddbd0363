"""Google's speech embedding (the `speech_embedding` model of TF Hub, as ONNX in openwakeword's
wheel): 96 numbers for every 80 ms of speech, learnt from a large body of real speech so that a
small model on top of them can tell words apart (openwakeword trains its wake words this way).

Only the two model files are used; openwakeword itself is not imported (its package start-up
loads models we do not need). Release 0.4.0 is the last to ship the files inside its wheel without
TensorFlow Lite; later releases download them at run time, which must never happen here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from voice_rehab.listen.audio import RATE, to_int16

MEL_FRAMES = 76  # mel frames (10 ms each) one embedding looks at: 0.775 s
MEL_STEP = 8  # an embedding every 8 mel frames: 80 ms
DIMENSIONS = 96
MIN_SAMPLES = (MEL_FRAMES + 3) * RATE // 100  # the mel model drops 3 frames at the edges


class EmbeddingUnavailable(RuntimeError):
    """The model files or onnxruntime are not installed; the message says how to get them."""


def model_dir() -> Path:
    """Where openwakeword's wheel keeps the feature models (without importing the package)."""
    spec = importlib.util.find_spec("openwakeword")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(
            "openwakeword 0.4.0 is not installed (it carries the speech embedding): pip install openwakeword==0.4.0"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "resources" / "models"
    if not (folder / "embedding_model.onnx").is_file() or not (folder / "melspectrogram.onnx").is_file():
        raise EmbeddingUnavailable(
            f"{folder}: no embedding_model.onnx or melspectrogram.onnx "
            "(openwakeword after 0.4.0 downloads them; install openwakeword==0.4.0)"
        )
    return folder


class SpeechEmbedding:
    """Audio (16 kHz float) -> one 96-number embedding per 80 ms, on one CPU thread."""

    def __init__(self, folder: Path | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise EmbeddingUnavailable(f"onnxruntime is not installed ({exc}): pip install onnxruntime") from None
        folder = folder or model_dir()
        options = ort.SessionOptions()
        # one thread: the listener shares the machine with the player, and batches are small
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        providers = ["CPUExecutionProvider"]
        self._mel = ort.InferenceSession(str(folder / "melspectrogram.onnx"), options, providers=providers)
        self._embed = ort.InferenceSession(str(folder / "embedding_model.onnx"), options, providers=providers)

    def mel(self, samples: np.ndarray) -> np.ndarray:
        """(frames, 32) log-mel frames, 10 ms apart, scaled as the embedding model was trained."""
        pcm = to_int16(samples).astype(np.float32)[None, :]
        spec = np.squeeze(self._mel.run(None, {"input": pcm})[0], axis=(1,))
        return spec.reshape(-1, 32) / 10.0 + 2.0  # the scaling openwakeword found to match TF Hub's

    def frames(self, samples: np.ndarray) -> np.ndarray:
        """(n, 96) embeddings of `samples` (at least `MIN_SAMPLES` long), one per 80 ms."""
        spec = self.mel(samples)
        starts = range(0, spec.shape[0] - MEL_FRAMES + 1, MEL_STEP)
        windows = np.stack([spec[s : s + MEL_FRAMES] for s in starts])[..., None].astype(np.float32)
        return self._embed.run(None, {"input_1": windows})[0].reshape(-1, DIMENSIONS)
