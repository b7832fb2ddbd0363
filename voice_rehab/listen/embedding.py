"""Google's speech embedding (the `speech_embedding` model of TF Hub, as ONNX by openWakeWord):
96 numbers for every 80 ms of speech, learnt from a large body of real speech so that a small
model on top of them can tell words apart (openWakeWord trains its wake words this way).

The two model files ship with this package (`speech_embedding/`, Apache-2.0; where they come from
and why their licence allows it: `speech_embedding/NOTICE.md`), so nothing is downloaded and
openWakeWord, with the 200 MB of scientific packages it pulls in, is not installed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from voice_rehab.listen.audio import RATE, to_int16

MEL_FRAMES = 76  # mel frames (10 ms each) one embedding looks at: 0.775 s
MEL_STEP = 8  # an embedding every 8 mel frames: 80 ms
DIMENSIONS = 96
MIN_SAMPLES = (MEL_FRAMES + 3) * RATE // 100  # the mel model drops 3 frames at the edges


class EmbeddingUnavailable(RuntimeError):
    """The model files or onnxruntime are not installed; the message says how to get them."""


MODEL_DIR = Path(__file__).with_name("speech_embedding")
# the files as openWakeWord 0.4.0 ships them: a changed file would silently change every decision
CHECKSUMS = {
    "melspectrogram.onnx": "ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f",
    "embedding_model.onnx": "ba754db3cd768a524c655ea90655ee5e6055a43b8dfd29366a11e93716ae9e51",
}


def model_dir() -> Path:
    """Where the two model files are; EmbeddingUnavailable if one is missing or not as shipped."""
    for name, digest in CHECKSUMS.items():
        path = MODEL_DIR / name
        if not path.is_file():
            raise EmbeddingUnavailable(f"{path} is missing: reinstall voice-rehab")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise EmbeddingUnavailable(f"{path} is not the file this release ships: reinstall voice-rehab")
    return MODEL_DIR


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
