"""Text to audio with pyttsx3 on espeak-ng, cached, for playback we control and for rendering.

pyttsx3's own `say()` shells out to `aplay` and gives no way to stop speech quickly, so we only
use it to synthesise to a WAV file and play the samples ourselves. espeak-ng itself is one global
instance, so the process keeps one pyttsx3 engine, all synthesis goes through one lock, and each
call sets its own voice and rate.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from voice_rehab.core.phrases import Phrases
    from voice_rehab.core.routine import Routine

_ENGINE_LOCK = threading.Lock()
_engine: Any = None  # pyttsx3's espeak engine: made once, made ready, kept for the process
ESPEAK_HINT = "install espeak-ng: sudo apt-get install espeak-ng libespeak-ng1"


class SpeechUnavailable(RuntimeError):
    """Speech cannot be synthesised on this machine; the message says why and how to fix it."""


def _silence_driver_prints() -> None:
    # The espeak driver prints "Audio saved to …" after every save_to_file; that would scribble
    # over the terminal view. Shadow `print` in that one module (thread-safe, unlike
    # redirecting sys.stdout while other threads draw).
    try:
        from pyttsx3.drivers import espeak as espeak_driver
    except Exception:  # noqa: BLE001 - no driver module means nothing to silence
        return
    espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]


def resolve_voice(voices: list[object], wanted: str) -> str | None:
    """The engine voice id matching `wanted` (an espeak name like 'en-us', an id, or a name)."""
    wanted_l = wanted.lower()
    for voice in voices:
        vid = str(getattr(voice, "id", "")).lower()
        name = str(getattr(voice, "name", "")).lower()
        if wanted_l in (vid, name) or vid.endswith("/" + wanted_l):
            return str(getattr(voice, "id", ""))
    return None


def speaking_voice(routine: Routine, phrases: Phrases) -> tuple[str, int]:
    """(voice, words per minute): the routine's own, else its language's defaults."""
    return routine.voice or phrases.tts_voice, routine.rate or phrases.words_per_minute


def _espeak_engine() -> Any:
    """pyttsx3's espeak engine; call under `_ENGINE_LOCK`.

    A new engine's command queue starts out busy, so its first runAndWait ran the queued end of
    the loop before the synthesis it started, and returned while espeak-ng was still
    synthesising on its own thread: the first cue was read before it was written ("produced no
    audio"), and that cue's late end then cut the next one short (an empty cue). An empty
    runAndWait, with nothing queued, settles a new engine; keeping that one engine for the
    process means no engine starts unsettled again."""
    global _engine
    if _engine is None:
        import pyttsx3

        engine = pyttsx3.init("espeak")
        _silence_driver_prints()
        _wait_for_espeak()
        engine.runAndWait()
        _engine = engine
    return _engine


def _wait_for_espeak(timeout: float = 2.0) -> None:
    """Until espeak-ng is idle (settling a new engine's voice, or winding down from the last
    cue). pyttsx3's runAndWait first stops whatever espeak-ng is still doing, and a stop that
    found it busy stayed pending and cancelled the next cue, which came out empty (1 in 40 new
    processes under load); a voice set while it was busy crashed it."""
    try:
        from pyttsx3.drivers._espeak import IsPlaying
    except ImportError:  # another pyttsx3 without it: synthesise as that version does
        return
    deadline = time.monotonic() + timeout
    while IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.002)


MAX_PIECE = 1000  # characters handed to espeak-ng at once
DEFAULT_RATE = 22050  # espeak-ng's


def pieces_of(text: str, limit: int = MAX_PIECE) -> list[str]:
    """`text` cut between words (a word longer than `limit`, anywhere) into pieces of at most
    `limit` characters, no word lost."""
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for part in text.split():
        while len(part) > limit:  # one word longer than a piece
            pieces += [current] if current else []
            current = ""
            pieces.append(part[:limit])
            part = part[limit:]
        if current and len(current) + 1 + len(part) > limit:
            pieces.append(current)
            current = part
        else:
            current = f"{current} {part}" if current else part
    return pieces + ([current] if current else [])


class Synthesizer:
    """Synthesises text to mono int16 samples; repeated texts (counts) come from a cache."""

    def __init__(self, voice: str | None = None, rate: int | None = None):
        try:
            with _ENGINE_LOCK:
                self._engine = _espeak_engine()
        except Exception as exc:  # noqa: BLE001 - pyttsx3 raises RuntimeError/OSError/ImportError
            raise SpeechUnavailable(f"text-to-speech unavailable ({exc}); {ESPEAK_HINT}") from None
        self.voice_warning = ""
        self._voice_id: str | None = None
        if voice:
            self._voice_id = resolve_voice(self._engine.getProperty("voices"), voice)
            if self._voice_id is None:
                self.voice_warning = f"voice '{voice}' not found; using the default voice"
        self._rate = rate
        self._dir = Path(tempfile.mkdtemp(prefix="voice-rehab-tts-"))
        self._cache: dict[str, tuple[np.ndarray, int]] = {}

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """(samples, sample_rate) for `text`. Long text is said in pieces of at most `MAX_PIECE`
        characters: espeak-ng crashed (a segfault) on about 12,000 words at once."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        pieces = [self._synthesize_piece(piece) for piece in pieces_of(text)]
        rate = pieces[0][1] if pieces else DEFAULT_RATE
        samples = np.concatenate([p for p, _ in pieces]) if pieces else np.zeros(0, np.int16)
        self._cache[text] = (samples, rate)
        return samples, rate

    def _synthesize_piece(self, text: str) -> tuple[np.ndarray, int]:
        path = self._dir / "cue.wav"
        # The rate goes into the text as an espeak-ng embedded command ("\x01<wpm>S"):
        # pyttsx3's rate property reaches espeak's asynchronous synthesis thread late and was
        # measured applying to the wrong utterance; the embedded command is exact every time.
        spoken = f"\x01{self._rate}S{text}" if self._rate else text
        # read back under the lock too: the file is this synthesizer's one file, which a call
        # from another thread would overwrite or delete before this one has read it
        with _ENGINE_LOCK:
            _wait_for_espeak()  # setting a voice while espeak-ng synthesises crashed it (a segfault)
            if self._voice_id:
                self._engine.setProperty("voice", self._voice_id)
                _wait_for_espeak()
            self._engine.save_to_file(spoken, str(path))
            self._engine.runAndWait()
            try:
                with wave.open(str(path), "rb") as wav:
                    rate = wav.getframerate()
                    samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).copy()
            except (OSError, EOFError, wave.Error) as exc:
                raise SpeechUnavailable(f"text-to-speech produced no audio ({exc}); {ESPEAK_HINT}") from None
            finally:
                path.unlink(missing_ok=True)
        return samples, rate

    def close(self) -> None:
        try:
            os.rmdir(self._dir)
        except OSError:
            pass
