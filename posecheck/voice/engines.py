"""Text-to-speech engines: the OS or espeak-ng voice behind one small protocol.

Every engine speaks one utterance at a time and blocks until it is said; the
Voice worker calls it from its own thread.  Nothing is probed on import:
find_engine() looks for a voice when it is called.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

NO_ENGINE_MESSAGE = "no speech engine found: install espeak-ng, or use --mute"
WORDS_PER_MINUTE = 165  # a little slower than espeak-ng's 175: heard from the floor, across a room

Which = Callable[[str], "str | None"]


@runtime_checkable
class SpeechEngine(Protocol):
    """Says text aloud; say() returns when the utterance is finished."""

    name: str

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


def _clean(text: str) -> str:
    """One line of plain text that no engine reads as an option."""
    return " ".join(text.split()).lstrip("-")


class _ProcessEngine:
    """Runs one command per utterance; stop() ends the current one (used on close)."""

    name = "process"

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def _run(self, command: list[str], stdin: bytes | None = None) -> None:
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # espeak-ng prints ALSA noise when there is no sound card
        )
        try:
            self._process.communicate(stdin, timeout=30.0)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        finally:
            self._process = None

    def close(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()


class EspeakEngine(_ProcessEngine):
    """espeak-ng (or the older espeak) binary; text goes in on stdin."""

    name = "espeak-ng"

    def __init__(self, binary: str, voice: str = "en", words_per_minute: int = WORDS_PER_MINUTE) -> None:
        super().__init__()
        self.binary = binary
        self.voice = voice
        self.words_per_minute = words_per_minute

    def _command(self) -> list[str]:
        return [self.binary, "-v", self.voice, "-s", str(self.words_per_minute), "--stdin"]

    def say(self, text: str) -> None:
        self._run(self._command(), _clean(text).encode("utf-8"))

    def render(self, text: str, path: Path) -> None:
        """Write the utterance to a WAV file instead of the speakers."""
        subprocess.run(
            [*self._command(), "-w", str(path)],
            input=_clean(text).encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
            timeout=30.0,
        )


class MacSayEngine(_ProcessEngine):
    """macOS `say`."""

    name = "say"

    def __init__(self, binary: str = "say") -> None:
        super().__init__()
        self.binary = binary

    def say(self, text: str) -> None:
        self._run([self.binary, "-r", str(WORDS_PER_MINUTE + 15), "-f", "-"], _clean(text).encode("utf-8"))


_POWERSHELL_LOOP = (
    "Add-Type -AssemblyName System.Speech;"
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer;"
    "while (($line = [Console]::In.ReadLine()) -ne $null) {"
    " if ($line.Length -gt 0) { $s.Speak($line) };"
    " [Console]::Out.WriteLine('.'); [Console]::Out.Flush() }"
)


class WindowsSpeechEngine:
    """Windows System.Speech through one long-lived PowerShell (starting one per line is slow)."""

    name = "windows-speech"

    def __init__(self, binary: str = "powershell") -> None:
        self.binary = binary
        self._process: subprocess.Popen[str] | None = None

    def _ensure(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [self.binary, "-NoProfile", "-NonInteractive", "-Command", _POWERSHELL_LOOP],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        return self._process

    def say(self, text: str) -> None:
        process = self._ensure()
        if process.stdin is None or process.stdout is None:
            return
        try:
            process.stdin.write(_clean(text) + "\n")
            process.stdin.flush()
            process.stdout.readline()  # the loop answers once the line is spoken
        except OSError:
            self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=2.0)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()


class NullEngine:
    """Says nothing (muted, or no engine); `said` keeps what it was given."""

    name = "none"

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def close(self) -> None:
        pass


def find_engine(platform: str | None = None, which: Which = shutil.which) -> SpeechEngine | None:
    """The first speech engine present on this machine, or None (see NO_ENGINE_MESSAGE).

    macOS: `say`; Windows: PowerShell's System.Speech; everywhere: espeak-ng, then espeak.
    """
    platform = sys.platform if platform is None else platform
    if platform == "darwin" and (path := which("say")):
        return MacSayEngine(path)
    # Windows PowerShell 5 (pwsh 7 has no System.Speech)
    if platform == "win32" and (path := which("powershell")):
        return WindowsSpeechEngine(path)
    for name in ("espeak-ng", "espeak"):
        if path := which(name):
            return EspeakEngine(path)
    return None


__all__ = [
    "NO_ENGINE_MESSAGE",
    "EspeakEngine",
    "MacSayEngine",
    "NullEngine",
    "SpeechEngine",
    "WindowsSpeechEngine",
    "find_engine",
]
