"""The voice: queue policy, the worker, engines and the event sink (fake engine, injected clock)."""

from __future__ import annotations

import shutil
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from posecheck.events import Cue, HoldEvent, HoldRecord, RepEvent, RepRecord, Say, SetEvent, SideEvent
from posecheck.rules import SAFETY_LINE, RuleState
from posecheck.voice import (
    NO_ENGINE_MESSAGE,
    EspeakEngine,
    MacSayEngine,
    NullEngine,
    Priority,
    SpeechQueue,
    Utterance,
    Voice,
    VoiceSink,
    WindowsSpeechEngine,
    find_engine,
    make_voice,
    number_word,
)
from posecheck.voice import engines as engines_module
from posecheck.voice.tone import SAMPLE_RATE, TonePlayer, beep_samples, write_wav

F, S, C, INFO = Priority.FORM, Priority.SETUP, Priority.COUNT, Priority.INFO


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeEngine:
    name = "fake"

    def __init__(self, fail: bool = False, gate: threading.Event | None = None) -> None:
        self.said: list[str] = []
        self.fail = fail
        self.gate = gate
        self.closed = False

    def say(self, text: str) -> None:
        if self.gate is not None:
            self.gate.wait(2.0)
        if self.fail:
            raise OSError("device busy")
        self.said.append(text)

    def close(self) -> None:
        self.closed = True


class FakeBeeper:
    available = True

    def __init__(self) -> None:
        self.beeps = 0

    def play(self) -> None:
        self.beeps += 1

    def close(self) -> None:
        pass


def pop_all(q: SpeechQueue, now: float) -> list[str]:
    out = []
    while (item := q.pop(now)) is not None:
        out.append(item.text)
        now += 0.01
    return out


# --- the queue policy --------------------------------------------------------
def test_priority_order_form_setup_count_info() -> None:
    q = SpeechQueue()
    for text, p in [("Stop if it hurts", INFO), ("three", C), ("Move back", S), ("Point your knee out", F)]:
        q.push(Utterance(text, p, 0.0))
    assert pop_all(q, 0.1) == ["Point your knee out", "Move back", "three", "Stop if it hurts"]


def test_same_priority_is_first_in_first_out() -> None:
    q = SpeechQueue()
    q.push(Utterance("Move back", S, 0.0))
    q.push(Utterance("Lie on your side", S, 0.1))
    assert pop_all(q, 0.2) == ["Move back", "Lie on your side"]


@pytest.mark.parametrize(
    ("count_age", "kept"),
    [(0.2, True), (1.5, False)],  # a fresh count waits behind the cue; a stale one is replaced
)
def test_newer_higher_priority_replaces_stale_lower(count_age: float, kept: bool) -> None:
    q = SpeechQueue()
    q.push(Utterance("three", C, 10.0))
    q.push(Utterance("Keep your hips stacked", F, 10.0 + count_age))
    said = pop_all(q, 10.0 + count_age)
    assert said == (["Keep your hips stacked", "three"] if kept else ["Keep your hips stacked"])
    if not kept:
        assert any(item.text == "three" and why.startswith("replaced") for item, why in q.dropped)


def test_newer_count_replaces_pending_count() -> None:
    q = SpeechQueue()
    q.push(Utterance("three", C, 0.0, group="count"))
    q.push(Utterance("Hold done", C, 0.4))
    q.push(Utterance("four", C, 0.5, group="count"))
    assert pop_all(q, 0.6) == ["Hold done", "four"]


@pytest.mark.parametrize(
    ("priority", "age", "said"), [(C, 3.4, True), (C, 3.6, False), (F, 3.5, False), (INFO, 5.0, True)]
)
def test_stale_items_are_dropped_not_said_late(priority: Priority, age: float, said: bool) -> None:
    q = SpeechQueue()
    q.push(Utterance("seven", priority, 0.0))
    assert pop_all(q, age) == (["seven"] if said else [])


def test_keep_items_are_never_stale_nor_replaced() -> None:
    q = SpeechQueue()
    q.push(Utterance("Lie on your back", S, 0.0, keep=True))
    q.push(Utterance("Point your knee out", F, 25.0))
    assert pop_all(q, 25.1) == ["Point your knee out", "Lie on your back"]


def test_same_text_not_repeated_within_three_seconds() -> None:
    q = SpeechQueue()
    said = []
    for t in (0.0, 1.0, 2.9, 3.1, 4.0):
        q.push(Utterance("Move back: feet not visible", S, t))
        said += [t] * len(pop_all(q, t))
    assert said == [0.0, 3.1]


def test_duplicate_pending_text_is_refused() -> None:
    q = SpeechQueue()
    assert q.push(Utterance("Lift lower", F, 0.0))
    assert not q.push(Utterance("lift  lower", F, 0.1))
    assert len(q) == 1


def test_at_most_one_form_cue_per_two_seconds() -> None:
    q = SpeechQueue()
    said = []
    for t, text in [(0.0, "Lift lower"), (1.0, "Keep your hips stacked"), (2.5, "Keep your top leg straight")]:
        q.push(Utterance(text, F, t))
        said += pop_all(q, t)
    assert said == ["Lift lower", "Keep your top leg straight"]


def test_full_queue_drops_least_urgent() -> None:
    q = SpeechQueue(max_pending=3)
    for i, p in enumerate([INFO, S, INFO, F]):
        q.push(Utterance(f"item {i}", p, 0.0))
    assert sorted(item.text for item in q.pending) == ["item 1", "item 2", "item 3"]


# --- the worker ------------------------------------------------------------------
def test_voice_step_speaks_in_priority_order_with_injected_clock() -> None:
    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock, start=False)
    voice.say("two", C)
    voice.say("Lift in line with your body", F)
    while voice.step() is not None:
        clock.now += 0.5
    assert engine.said == ["Lift in line with your body", "two"]
    assert list(voice.spoken) == engine.said


def test_voice_count_spoken_late_is_dropped() -> None:
    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock, start=False)
    voice.say("five", C)
    clock.now += 4.0  # e.g. a long instruction and a tip were being said
    assert voice.step() is None
    assert engine.said == []


def test_mute_refuses_and_clears() -> None:
    clock, engine = Clock(), FakeEngine()
    voice = Voice(engine, clock=clock, start=False)
    voice.say("Hold done", C)
    voice.mute = True
    assert not voice.say("three", C)
    assert voice.step() is None
    voice.mute = False
    assert voice.say("four", C)
    voice.step()
    assert engine.said == ["four"]


def test_engine_errors_do_not_crash_and_silence_after_three() -> None:
    clock = Clock()
    voice = Voice(FakeEngine(fail=True), clock=clock, start=False)
    for i in range(4):
        voice.say(f"line {i}", INFO)
        voice.step()
    assert not voice.enabled
    assert voice.failure is not None and "failed" in voice.failure
    assert not voice.say("more", INFO)


def test_tone_plays_beep_and_skips_silently_without_player() -> None:
    beeper, engine = FakeBeeper(), FakeEngine()
    voice = Voice(engine, clock=Clock(), tone_player=beeper, start=False)
    voice.say("three", C, tone=True)
    voice.step()
    assert (beeper.beeps, engine.said) == (1, [])
    silent = Voice(engine, clock=Clock(), start=False)
    silent.say("four", C, tone=True)
    silent.step()
    assert engine.said == []


def test_worker_thread_never_blocks_the_caller() -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    voice = Voice(engine)
    try:
        start = time.monotonic()
        voice.say("Keep your top leg straight", F)
        voice.say("one", C)
        assert time.monotonic() - start < 0.05
        assert engine.said == []
        gate.set()
        assert voice.wait_idle(timeout=1.0)
        assert engine.said == ["Keep your top leg straight", "one"]
    finally:
        voice.close()
    assert engine.closed


# --- engines ---------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_find_engine_with_nothing_available(platform: str) -> None:
    assert find_engine(platform, which=lambda name: None) is None


@pytest.mark.parametrize(
    ("platform", "present", "expected"),
    [
        ("linux", {"espeak-ng", "espeak"}, EspeakEngine),
        ("linux", {"espeak"}, EspeakEngine),
        ("darwin", {"say", "espeak-ng"}, MacSayEngine),
        ("win32", {"powershell"}, WindowsSpeechEngine),
        ("win32", {"espeak-ng"}, EspeakEngine),
    ],
)
def test_find_engine_picks_the_os_voice_first(platform: str, present: set[str], expected: type) -> None:
    engine = find_engine(platform, which=lambda name: f"/bin/{name}" if name in present else None)
    assert isinstance(engine, expected)


def test_make_voice_without_engine_warns_once_and_stays_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    import posecheck.voice as voice_pkg

    monkeypatch.setattr(voice_pkg, "find_engine", lambda: None)
    messages: list[str] = []
    voice = voice_pkg.make_voice(warn=messages.append)
    assert messages == [NO_ENGINE_MESSAGE]
    assert not voice.say("one", C)
    voice.close()


def test_make_voice_muted_probes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import posecheck.voice as voice_pkg

    monkeypatch.setattr(voice_pkg, "find_engine", lambda: pytest.fail("probed"))
    voice = make_voice(mute=True, warn=pytest.fail)
    assert voice.mute and isinstance(voice.engine, NullEngine)


def test_text_never_reaches_an_engine_as_an_option() -> None:
    assert engines_module._clean("--version  now\n") == "version now"


ESPEAK = shutil.which("espeak-ng")


def _wav_stats(path: Path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        return w.getnframes() / w.getframerate(), float(np.sqrt(np.mean(samples**2)))


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed (apt-get install espeak-ng)")
@pytest.mark.parametrize(("text", "low", "high"), [("Keep your top leg straight", 1.0, 4.0), ("three", 0.2, 1.5)])
def test_espeak_renders_real_audio(tmp_path: Path, text: str, low: float, high: float) -> None:
    assert ESPEAK is not None
    path = tmp_path / "cue.wav"
    EspeakEngine(ESPEAK).render(text, path)
    seconds, rms = _wav_stats(path)
    assert low <= seconds <= high
    assert rms > 500  # int16 full scale is 32767; silence is ~0


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed (apt-get install espeak-ng)")
def test_espeak_say_returns_without_a_sound_card() -> None:
    assert ESPEAK is not None
    start = time.monotonic()
    EspeakEngine(ESPEAK).say("one")
    assert time.monotonic() - start < 10.0


def test_beep_is_a_short_clean_tone(tmp_path: Path) -> None:
    samples = beep_samples(seconds=0.12)
    assert len(samples) == round(0.12 * SAMPLE_RATE)
    assert abs(int(samples[0])) < 200 and abs(int(samples[-1])) < 200  # faded: no click
    write_wav(tmp_path / "b.wav", samples)
    seconds, rms = _wav_stats(tmp_path / "b.wav")
    assert seconds == pytest.approx(0.12, abs=0.001) and rms > 5000


def test_tone_player_without_player_is_silent() -> None:
    player = TonePlayer(which=lambda name: None, platform="linux")
    assert not player.available
    player.play()
    player.close()


# --- the sink ----------------------------------------------------------------------
def rep(side: str = "left", count: int = 1) -> RepEvent:
    return RepEvent(1.0, RepRecord(side, 0.0, 0.5, 1.0, 40.0, 1.5), count)


def hold(side: str = "left", count: int = 1, complete: bool = True) -> HoldEvent:
    return HoldEvent(30.0, HoldRecord(side, 0.0, 30.0, 30.0, (), complete), count)


def pending(voice: Voice) -> list[tuple[str, Priority]]:
    return [(u.text, u.priority) for u in voice.queue.pending]


def make_sink(**kwargs: object) -> tuple[Voice, VoiceSink]:
    voice = Voice(FakeEngine(), clock=Clock(), start=False)
    return voice, VoiceSink(voice, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "word"), [(0, "zero"), (3, "three"), (15, "fifteen"), (20, "twenty"), (42, "forty-two"), (120, "120")]
)
def test_number_word(n: int, word: str) -> None:
    assert number_word(n) == word


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (rep(count=3), [("Three", C)]),
        (hold(), [("Hold done", C)]),
        (hold(complete=False), []),
        (Say(2.0, "Switch sides"), [("Switch sides", C)]),
        (Cue(1.0, "Point your knee out", "knee_in", "form"), [("Point your knee out", F)]),
        (Cue(1.0, "Move back: feet not visible", "not_visible", "setup"), [("Move back: feet not visible", S)]),
        (Cue(0.0, SAFETY_LINE, None, "info"), [(SAFETY_LINE, INFO)]),
        (SideEvent(0.0, "right"), [("Right side", INFO)]),
        (SetEvent(5.0, "both", 12), [("Set done: twelve", INFO)]),
    ],
)
def test_sink_translates_events(event: object, expected: list[tuple[str, Priority]]) -> None:
    voice, sink = make_sink()
    sink.on_events([event])  # type: ignore[list-item]
    assert pending(voice) == expected


def test_safety_line_is_kept() -> None:
    voice, sink = make_sink()
    sink.on_events([Cue(0.0, SAFETY_LINE, None, "info")])
    assert voice.queue.pending[0].keep


def state(kind: str = "reps", target: int = 10, per_side: dict[str, int] | None = None, **kw: object) -> RuleState:
    return RuleState("x", "X", kind, target=target, per_side=per_side or {}, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("per_side", "side", "expected"),
    [({"left": 9}, "left", "Switch sides"), ({"left": 10, "right": 9}, "right", "Well done")],
)
def test_sink_says_switch_sides_at_target(per_side: dict[str, int], side: str, expected: str) -> None:
    voice, sink = make_sink()
    sink.on_state(0.0, state(per_side=per_side))
    sink.on_events([rep(side, 10)])
    assert [text for text, _ in pending(voice)] == ["Ten", expected]


def test_sink_does_not_echo_a_rules_own_announcement() -> None:
    voice, sink = make_sink()
    sink.on_state(0.0, state("hold", 3, per_side={"left": 2}))
    sink.on_events([hold("left", 3), Say(30.0, "Switch sides")])
    assert [text for text, _ in pending(voice)] == ["Hold done", "Switch sides"]
    voice.queue.pending.clear()
    sink.on_events([hold("right", 3), Say(30.0, "All done, well done")])
    assert [text for text, _ in pending(voice)] == ["Hold done", "All done, well done"]


def test_sink_tone_beeps_but_says_the_target_count() -> None:
    voice, sink = make_sink(tone=True)
    sink.on_state(0.0, state(target=10))
    sink.on_events([rep(count=4)])
    assert [(u.text, u.tone) for u in voice.queue.pending] == [("four", True)]
    sink.on_events([rep(count=10)])
    assert ("Ten", False) in [(u.text, u.tone) for u in voice.queue.pending]


def test_sink_hold_countdown_once_per_hold() -> None:
    voice, sink = make_sink()
    said: list[str] = []
    for _ in range(2):  # two holds in a row
        for i in range(0, 301):
            sink.on_state(i / 10, state("hold", 3, hold_s=i / 10, hold_target_s=30.0))
            said += [u.text for u in voice.queue.pending]
            voice.queue.pending.clear()
        sink.on_state(31.0, state("hold", 3, hold_s=None, hold_target_s=30.0))
    assert said == ["Ten seconds left", "Five seconds left"] * 2


def test_sink_countdown_skips_marks_the_timer_jumped_past() -> None:
    voice, sink = make_sink()
    sink.on_state(0.0, state("hold", 3, hold_s=18.0, hold_target_s=30.0))
    sink.on_state(0.1, state("hold", 3, hold_s=25.5, hold_target_s=30.0))  # 4.5 s left: ten is past
    assert [u.text for u in voice.queue.pending] == ["Five seconds left"]


def test_speaking_wraps_a_frame_hook() -> None:
    from types import SimpleNamespace

    from posecheck.voice import speaking

    voice, sink = make_sink()
    seen: list[int] = []
    hook = speaking(lambda frame, item, events: seen.append(len(events)) is None, sink)
    item = SimpleNamespace(t=1.0, state=state(target=10))
    assert hook(None, item, [rep(count=2)])  # type: ignore[arg-type]
    assert seen == [1] and pending(voice) == [("Two", C)]


def fake_binary(folder: Path, body: str) -> str:
    path = folder / "fake-voice"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_windows_engine_protocol_with_a_stand_in_powershell(tmp_path: Path) -> None:
    log = tmp_path / "said.txt"
    binary = fake_binary(tmp_path, f'while read -r line; do echo "$line" >> "{log}"; echo .; done')
    engine = WindowsSpeechEngine(binary)
    engine.say("Hold done")
    engine.say("Switch\nsides")  # one line per utterance, whatever the text holds
    engine.close()
    assert log.read_text().splitlines() == ["Hold done", "Switch sides"]


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_mac_engine_passes_text_on_stdin(tmp_path: Path) -> None:
    log = tmp_path / "said.txt"
    engine = MacSayEngine(fake_binary(tmp_path, f'cat >> "{log}"; echo >> "{log}"; echo "$@" >> "{log}"'))
    engine.say("-v Keep your hips stacked")
    assert log.read_text().splitlines() == ["v Keep your hips stacked", "-r 180 -f -"]
