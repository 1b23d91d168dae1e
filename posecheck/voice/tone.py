"""A short beep for each rep: a WAV made with numpy, played by whatever player is present."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

SAMPLE_RATE = 22050
PLAYERS = (("aplay", "-q"), ("paplay",), ("afplay",))  # ALSA, PulseAudio/PipeWire, macOS


def beep_samples(freq_hz: float = 880.0, seconds: float = 0.12, volume: float = 0.5) -> np.ndarray:
    """int16 mono samples of a sine beep with 10 ms fades (no clicks)."""
    n = max(1, round(seconds * SAMPLE_RATE))
    t = np.arange(n) / SAMPLE_RATE
    wave_ = np.sin(2 * np.pi * freq_hz * t)
    fade = min(n // 2, round(0.01 * SAMPLE_RATE))
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade)
        wave_[:fade] *= ramp
        wave_[-fade:] *= ramp[::-1]
    return (wave_ * volume * 32767).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())


class Beeper(Protocol):
    @property
    def available(self) -> bool: ...

    def play(self) -> None: ...

    def close(self) -> None: ...


class TonePlayer:
    """Plays the beep; does nothing (silently) when no player exists."""

    def __init__(self, which: Callable[[str], str | None] = shutil.which, platform: str | None = None) -> None:
        self._command: list[str] | None = None
        self._winsound = (platform or sys.platform) == "win32"
        if not self._winsound:
            for name, *args in PLAYERS:
                if path := which(name):
                    self._command = [path, *args]
                    break
        self._path: Path | None = None

    @property
    def available(self) -> bool:
        return self._winsound or self._command is not None

    def _file(self) -> Path:
        if self._path is None:
            handle, name = tempfile.mkstemp(prefix="posecheck-beep-", suffix=".wav")
            with open(handle, "wb"):
                pass
            self._path = Path(name)
            write_wav(self._path, beep_samples())
        return self._path

    def play(self) -> None:
        if not self.available:
            return
        try:
            if self._winsound:
                import winsound  # stdlib on Windows only

                winsound.PlaySound(str(self._file()), winsound.SND_FILENAME)
            elif self._command is not None:
                subprocess.run(
                    [*self._command, str(self._file())],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=5.0,
                    check=False,
                )
        except (OSError, subprocess.TimeoutExpired, RuntimeError):
            pass  # a beep is a nicety: never stop the session for it

    def close(self) -> None:
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None


__all__ = ["Beeper", "TonePlayer", "beep_samples", "write_wav"]
