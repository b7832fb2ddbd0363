"""The sounds of the rooms people exercise in, beyond pink noise and babble: a fan, music, a
kitchen, a street through a window. Each is unit-RMS noise of a given length, drawn from a seed.

Music is real: the three pieces of Debian's `asc-music` package (Michael Kievernagel, GPL-2+;
17 minutes of orchestral and electronic music), at a random point. No recording of a fan, a
kitchen or a street can be installed here, so those are built from what makes each one hard to
hear through: a fan is steady dark noise with a motor's hum and the beat of its blades; a kitchen
is a running tap under the clatter of dishes (sharp, ringing, at random moments); a street is a
rumble that swells as each car passes, with tyre hiss and now and then a horn.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from voice_rehab.listen.audio import RATE, audio_blocks

MUSIC = Path("/usr/share/games/asc/music")  # apt-get install asc-music


def _rng(seed: int, sound: int) -> np.random.Generator:
    """Each sound's own random stream for a seed: not the one the room's noise floor draws from
    the same seed (the two would be the same white noise)."""
    return np.random.default_rng((seed, sound))


def _unit(noise: np.ndarray) -> np.ndarray:
    return (noise / max(float(np.sqrt(np.mean(noise**2))), 1e-12)).astype(np.float32)


def _shaped(rng: np.random.Generator, length: int, gain: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """White noise with the amplitude spectrum `gain(frequency in Hz)`, unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    return _unit(np.fft.irfft(spectrum * gain(np.fft.rfftfreq(length, 1.0 / RATE)), n=length))


def _slow(rng: np.random.Generator, length: int, hz: float) -> np.ndarray:
    """A random wobble around 0 (unit RMS) that changes about `hz` times a second."""
    return _shaped(rng, length, lambda f: (f < hz).astype(np.float64))


def fan(length: int, seed: int) -> np.ndarray:
    """A fan or air conditioner: air noise, darker than pink above a few hundred hertz, the motor's
    hum (harmonics of 45-60 Hz), and the blades beating it 8-20 times a second."""
    rng = _rng(seed, 1)
    t = np.arange(length) / RATE
    air = _shaped(rng, length, lambda f: np.where(f < 40, 0.0, 1.0 / np.maximum(f, 250.0)))
    mains = rng.uniform(45, 60)
    hum = sum(np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 2 * np.pi)) / k for k in range(2, 8))
    blades = 1.0 + 0.2 * np.sin(2 * np.pi * rng.uniform(8, 20) * t)
    return _unit(air * blades + 0.3 * _unit(np.asarray(hum)))


def _ring(rng: np.random.Generator, low: float, high: float) -> np.ndarray:
    """One knock of crockery or cutlery: a few damped partials between `low` and `high` Hz."""
    tau = rng.uniform(0.015, 0.12)
    t = np.arange(int(5 * tau * RATE)) / RATE
    partials = rng.uniform(low, high, int(rng.integers(3, 7)))
    tone = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * rng.uniform(0.3, 1.0) for f in partials)
    return np.asarray(tone) * np.exp(-t / tau)


def kitchen(length: int, seed: int) -> np.ndarray:
    """A kitchen sink: a running tap (hiss that wavers) and dishes clattering 1-3 times a second,
    most of them bright clinks, some dull knocks, each far louder than the tap for a moment."""
    rng = _rng(seed, 2)
    tap = _shaped(rng, length, lambda f: np.where(f < 300, 0.0, 1.0 / np.sqrt(np.maximum(f, 300.0))))
    tap *= 1.0 + 0.25 * _slow(rng, length, 2.0)
    clatter = np.zeros(length)
    at = int(rng.exponential(0.5) * RATE)
    while at < length:
        knock = _ring(rng, 1500, 8000) if rng.random() < 0.7 else _ring(rng, 200, 900)
        part = knock[: length - at] * rng.uniform(4.0, 16.0) / max(float(np.max(np.abs(knock))), 1e-9)
        clatter[at : at + len(part)] += part
        at += int(rng.exponential(1.0 / rng.uniform(1.0, 3.0)) * RATE)
    return _unit(tap + clatter)


def _horn(rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(rng.uniform(0.3, 0.8) * RATE)) / RATE
    pitch = rng.uniform(350, 500)
    tone = sum(np.sin(2 * np.pi * pitch * k * t) / k for k in range(1, 8))
    return np.asarray(tone) * np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.02)


def street(length: int, seed: int) -> np.ndarray:
    """Traffic through a window: a low rumble and tyre hiss that swell as each car passes (one
    every 1.5-6 s, each louder for 2-6 s), and now and then a horn."""
    rng = _rng(seed, 3)
    t = np.arange(length) / RATE
    rumble = _shaped(rng, length, lambda f: np.where(f < 30, 0.0, 1.0 / np.maximum(f, 80.0) ** 1.5) * (f < 2000))
    hiss = _shaped(rng, length, lambda f: ((f > 500) & (f < 5000)).astype(np.float64))
    swell = np.full(length, 0.3)
    passing = -rng.uniform(0, 6)
    while passing < t[-1] + 6:
        swell += rng.uniform(0.5, 1.5) * np.exp(-(((t - passing) / rng.uniform(1.0, 3.0)) ** 2))
        passing += rng.uniform(1.5, 6.0)
    traffic = (rumble + 0.4 * hiss) * swell
    horns = np.zeros(length)
    for _ in range(rng.poisson(length / RATE / 10)):
        horn = _horn(rng)
        at = int(rng.integers(max(length - len(horn), 1)))
        part = horn[: length - at]
        horns[at : at + len(part)] += part * 0.6
    return _unit(traffic + horns)


class MissingSound(RuntimeError):
    """A room's sound needs a package that is not installed."""


@cache
def _pieces(folder: Path) -> tuple[np.ndarray, ...]:
    files = (
        sorted(f for f in folder.glob("*") if f.suffix in (".mp3", ".ogg", ".flac", ".wav")) if folder.is_dir() else []
    )
    if not files:
        raise MissingSound(f"music needs Debian's asc-music in {folder}: apt-get install asc-music")
    return tuple(np.concatenate(list(audio_blocks(f))) for f in files)


def music(length: int, seed: int, folder: Path = MUSIC) -> np.ndarray:
    """Music playing in the room: a stretch of one of the pieces, from a random point, scaled by
    the whole piece's level (as a volume knob sets it: quiet passages stay quiet)."""
    rng = _rng(seed, 4)
    pieces = _pieces(folder)
    piece = pieces[int(rng.integers(len(pieces)))]
    start = int(rng.integers(max(len(piece) - length, 1)))
    stretch = np.resize(piece[start : start + length], length)  # a piece shorter than asked repeats
    return (stretch / max(float(np.sqrt(np.mean(piece.astype(np.float64) ** 2))), 1e-12)).astype(np.float32)


SOUNDS: dict[str, Callable[[int, int], np.ndarray]] = {
    "fan": fan,
    "music": music,
    "kitchen": kitchen,
    "street": street,
}
