"""PortAudio through sounddevice: imported and checked in one place for the microphone and the
speaker, so a machine without the library or without a device gets the same one-line reason."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

PORTAUDIO_HINT = "install PortAudio: sudo apt-get install libportaudio2"


def sounddevice_with(check: Callable[[ModuleType], object], device: str, unavailable: type[RuntimeError]) -> ModuleType:
    """The sounddevice module once `check(sd)` passes; otherwise `unavailable` saying why."""
    try:
        import sounddevice as sd
    except OSError as exc:  # the Python package is there, the PortAudio library is not
        raise unavailable(f"no PortAudio library ({exc}); {PORTAUDIO_HINT}") from None
    try:
        check(sd)
    except Exception as exc:  # noqa: BLE001 - PortAudioError or ValueError when there is none
        raise unavailable(f"no usable {device} ({exc})") from None
    return sd
