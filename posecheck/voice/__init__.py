"""Spoken cues and counts, offline: speech engines, a non-blocking Voice, and the event sink.

Nothing is probed or started on import; make_voice() does that when called.
"""

from __future__ import annotations

from collections.abc import Callable

from .engines import (
    NO_ENGINE_MESSAGE,
    EspeakEngine,
    MacSayEngine,
    NullEngine,
    SpeechEngine,
    WindowsSpeechEngine,
    find_engine,
)
from .schedule import Priority, SpeechQueue, Utterance
from .sink import VoiceSink, number_word, speaking
from .tone import TonePlayer
from .worker import Voice


def make_voice(mute: bool = False, tone: bool = False, warn: Callable[[str], None] = print) -> Voice:
    """The Voice for a live session.  No engine: warn once and stay silent (never an error)."""
    if mute:
        return Voice(NullEngine(), mute=True, start=False)
    engine = find_engine()
    if engine is None:
        warn(NO_ENGINE_MESSAGE)
        return Voice(NullEngine(), mute=True, start=False)
    return Voice(engine, tone_player=TonePlayer() if tone else None)


__all__ = [
    "NO_ENGINE_MESSAGE",
    "EspeakEngine",
    "MacSayEngine",
    "NullEngine",
    "Priority",
    "SpeechEngine",
    "SpeechQueue",
    "TonePlayer",
    "Utterance",
    "Voice",
    "VoiceSink",
    "WindowsSpeechEngine",
    "find_engine",
    "make_voice",
    "number_word",
    "speaking",
]
