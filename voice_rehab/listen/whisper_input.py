"""What Whisper's encoder and decoder take: log-mel features of the audio, and token ids.

Whisper's front end is fixed by its training: 80 mel bands (Slaney scale, Slaney-normalised) of
the power spectrum of 25 ms Hann windows every 10 ms, as log10, clipped to 8 (decades) below the
loudest value and scaled to about -1..1, padded to its 30 s window (3,000 frames). Written here
with numpy, so the judge needs CTranslate2 and the tokenizer but no audio-decoding library.
A test checks both against faster-whisper's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from voice_rehab.listen.audio import RATE

N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
MELS = 80
WINDOW_FRAMES = 3000  # the encoder's 30 s


# Slaney's mel scale: linear below 1 kHz (3 mels per 200 Hz, so 15 mels at the knee), then
# logarithmic, 27 mels for each factor of 6.4 in frequency.
_KNEE_HZ, _KNEE_MEL = 1000.0, 15.0
_LOG_STEP = np.log(6.4) / 27.0


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    log = _KNEE_MEL + np.log(np.maximum(hz, 1e-9) / _KNEE_HZ) / _LOG_STEP
    return np.where(hz < _KNEE_HZ, hz * 3.0 / 200.0, log)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    return np.where(mel < _KNEE_MEL, mel * 200.0 / 3.0, _KNEE_HZ * np.exp(_LOG_STEP * (mel - _KNEE_MEL)))


@cache
def mel_filters(bands: int = MELS) -> np.ndarray:
    """(bands, 201) triangular filters from 0 Hz to 8 kHz on Slaney's scale, each scaled to equal
    area (Whisper's 80; other models learnt other counts on the same scale)."""
    bins = np.fft.rfftfreq(N_FFT, 1.0 / RATE)
    edges = _mel_to_hz(np.linspace(0.0, float(_hz_to_mel(np.array(RATE / 2.0))), bands + 2))
    rising = (bins[None, :] - edges[:-2, None]) / np.diff(edges)[:-1, None]
    falling = (edges[2:, None] - bins[None, :]) / np.diff(edges)[1:, None]
    triangles = np.maximum(0.0, np.minimum(rising, falling))
    return (triangles * (2.0 / (edges[2:] - edges[:-2]))[:, None]).astype(np.float32)


def log_mel(samples: np.ndarray) -> np.ndarray:
    """(80, 3000) features of up to 30 s of 16 kHz audio, as the encoder takes them."""
    audio = np.asarray(samples, dtype=np.float32)[: WINDOW_FRAMES * HOP]
    audio = np.pad(audio, (0, HOP))  # Whisper's reference pads one hop before framing
    padded = np.pad(audio, N_FFT // 2, mode="reflect")  # windows centred on each hop
    frames = 1 + (len(padded) - N_FFT) // HOP
    windows = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:frames]
    hann = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
    power = np.abs(np.fft.rfft(windows * hann, axis=-1).astype(np.complex64)) ** 2
    mel = mel_filters() @ power[:-1].T  # the last frame is dropped, as in the reference
    log = np.log10(np.maximum(mel, 1e-10))
    log = (np.maximum(log, log.max() - 8.0) + 4.0) / 4.0
    out = np.zeros((MELS, WINDOW_FRAMES), np.float32)
    out[:, : min(log.shape[1], WINDOW_FRAMES)] = log[:, :WINDOW_FRAMES]
    return out


# Symbols Whisper learnt from captions, never spoken ("♪", "[MUSIC]", speaker tags): suppressed, so
# that what it writes is words. Hyphens and apostrophes are allowed inside words, not to start one.
_CAPTION_SYMBOLS = list('"#()*+/:;<=>@[\\]^_`{|}~「」『』') + (
    "<< >> <<< >>> -- --- -( -[ (' (\" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪".split()
)
_MUSIC_SIGNS = "♩♪♫♬♭♮♯"  # three-byte characters: their first token is suppressed either way


@dataclass(frozen=True)
class Tokens:
    """The token ids the judge needs, from the model's own tokenizer."""

    tokenizer: Any  # tokenizers.Tokenizer
    # a multilingual model is told the language and the task after its start token
    language: str | None = None

    def id(self, token: str) -> int:
        found = self.tokenizer.token_to_id(token)
        if found is None:
            raise ValueError(f"the tokenizer has no {token}")
        return int(found)

    @property
    def eot(self) -> int:
        return self.id("<|endoftext|>")

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def decode(self, ids: list[int]) -> str:
        return str(self.tokenizer.decode([i for i in ids if i < self.eot]))

    def start(self, prompt: str) -> list[int]:
        """The decoder's first tokens: the prompt as earlier text, then start without timestamps."""
        before = [self.id("<|startofprev|>"), *self.encode(" " + prompt.strip())] if prompt else []
        told = [self.id(f"<|{self.language}|>"), self.id("<|transcribe|>")] if self.language else []
        return [*before, self.id("<|startoftranscript|>"), *told, self.id("<|notimestamps|>")]

    def suppressed(self) -> list[int]:
        """Caption symbols and the control tokens that must never be written."""
        found = {self.encode(" -")[0], self.encode(" '")[0]}
        for symbol in [*_CAPTION_SYMBOLS, *_MUSIC_SIGNS]:
            for ids in (self.encode(symbol), self.encode(" " + symbol)):
                if len(ids) == 1 or symbol in _MUSIC_SIGNS:
                    found.add(ids[0])
        control = ("<|transcribe|>", "<|translate|>", "<|startoftranscript|>", "<|startofprev|>", "<|startoflm|>")
        found |= {self.id(token) for token in control}
        no_speech = self.tokenizer.token_to_id("<|nospeech|>") or self.tokenizer.token_to_id("<|nocaptions|>")
        if no_speech is not None:
            found.add(int(no_speech))
        return sorted(found)
