"""posecheck eval: score the rules, and the peer beside them, on every labelled clip in a folder.

A folder holds labels NAME.json, each with NAME.mp4 (or another video) and/or
NAME.landmarks.npz, a recording of MediaPipe's landmarks (posecheck/replay.py).
A recording made by the vendored model (its model_sha256; and its clip_sha256
when the video is there) is replayed: fast.  Otherwise MediaPipe runs over the
video once and its recording goes to the cache folder (CACHE/VIDEO_NAME.npz),
so the next run replays it.  Both the rules (the real Session) and the peer
(posecheck/peer.py) are scored on the same recording.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from . import peer
from .errors import InputError, PosecheckError, RunInterrupted
from .registry import get_exercise
from .replay import Recording, file_sha256, load, made_by_bundled_model, poses, record, replay, save
from .samples import VIDEO_SUFFIXES
from .scoring import ClipScore, Totals, score

Json = dict[str, object]
SPLITS = ("tune", "test", "all")
CACHE_SUFFIX = ".landmarks.npz"


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "posecheck" / "landmarks"


@dataclass
class Item:
    """One labelled clip: its label, and where its frames or landmarks are."""

    name: str
    label: Json
    video: Path | None = None
    landmarks: Path | None = None

    @property
    def bench(self) -> Json:
        bench = self.label.get("bench")
        return bench if isinstance(bench, dict) else {}


@dataclass
class ItemResult:
    item: Item
    score: ClipScore
    peer: ClipScore | None  # None: the peer does not do this exercise (holds)
    report: Json
    peer_report: Json
    replayed: bool  # True: from a recording; False: MediaPipe ran this time

    def to_json(self) -> Json:
        return {
            "clip": self.item.name,
            "bench": self.item.bench or None,
            "landmarks": "cached" if self.replayed else "recorded now",
            "posecheck": self.score.to_json(),
            "peer": self.peer.to_json() if self.peer else None,
        }


@dataclass
class EvalResult:
    items: list[ItemResult] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)
    peer_totals: Totals = field(default_factory=Totals)

    @property
    def scores(self) -> list[ClipScore]:
        return [r.score for r in self.items]

    def add(self, result: ItemResult) -> None:
        self.items.append(result)
        self.totals.add(result.score)
        if result.peer is not None:
            self.peer_totals.add(result.peer)

    def to_json(self, factors: Collection[str] | None = None) -> Json:
        from .breakdown import breakdown_json

        return {
            "clips": [r.to_json() for r in self.items],
            "failures": self.failures,
            "totals": {"posecheck": self.totals.to_json(), "peer": self.peer_totals.to_json()},
            "breakdown": breakdown_json(self.items, factors),
        }


def read_label(path: Path) -> Json:
    try:
        label = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"cannot read label {path}: {error}") from None
    if not isinstance(label, dict) or not isinstance(label.get("exercise"), str):
        raise InputError(f"label {path} has no 'exercise' field")
    return label


def load_label(clip: Path) -> Json:
    return read_label(clip.with_suffix(".json"))


def find_items(folder: Path, split: str = "all") -> list[Item]:
    """Labels in a folder that have a video or a landmark recording beside them (sorted by name)."""
    if not folder.is_dir():
        raise InputError(f"not a folder: {folder}")
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    items = []
    for path in sorted(folder.glob("*.json")):
        name = path.name[: -len(".json")]
        videos = [v for v in (path.with_suffix(s) for s in VIDEO_SUFFIXES) if v.is_file()]
        landmarks = folder / f"{name}{CACHE_SUFFIX}"
        if not videos and not landmarks.is_file():
            continue  # another JSON file (detection.json), not a label of a clip
        item = Item(name, read_label(path), videos[0] if videos else None, landmarks if landmarks.is_file() else None)
        if split == "all" or item.bench.get("split") == split:
            items.append(item)
    return items


def recording_of(item: Item, cache: Path | None) -> tuple[Recording, bool]:
    """The item's landmarks, and whether they came from a recording (True) or from MediaPipe just now."""
    digest = file_sha256(item.video) if item.video is not None else None
    candidates = [item.landmarks]
    if cache is not None and item.video is not None:
        candidates.append(cache / f"{item.video.name}.npz")
    for path in candidates:
        if path is not None and path.is_file():
            data = load(path)
            if made_by_bundled_model(data) and (digest is None or str(data["clip_sha256"]) == digest):
                return data, True
    if item.video is None:
        raise InputError(f"{item.landmarks} was not made by the vendored pose model, and there is no video")
    data = record(item.video)
    if cache is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"cannot create cache folder {cache}: {error.strerror}") from None
        save(cache / f"{item.video.name}.npz", data)
    return data, False


def peer_score(label: Json, exercise: str, report: Json, clip: str) -> ClipScore | None:
    """The peer scored on counts only: it judges no fault, and holds are not its job."""
    if not peer.applicable(exercise):
        return None
    s = score(report, label, clip, "reps")
    s.faults, s.not_judged = {}, []
    return s


def evaluate_recording(item: Item, data: Recording, exercise: str | None = None, replayed: bool = True) -> ItemResult:
    exercise = exercise or str(item.label["exercise"])
    kind = get_exercise(str(item.label["exercise"])).kind  # what the label expects, whatever --exercise runs
    result = replay(data, exercise, item.video.name if item.video else item.name)
    if result.interrupted is not None:  # a partial replay is not scored as the clip's
        raise RunInterrupted("interrupted: not scored")
    if result.error is not None and not result.report.frames_total:
        raise result.error
    report = result.report.build()  # "no person found" is scored too: nothing was counted (report["errors"])
    peer_report = peer.count(poses(data), exercise, float(data["fps"]))
    clip = item.video.name if item.video else item.name
    return ItemResult(
        item, score(report, item.label, clip, kind), peer_score(item.label, exercise, peer_report, clip),
        report, peer_report, replayed,
    )  # fmt: skip


def evaluate(folder: Path, exercise: str | None = None, split: str = "all", cache: Path | None = None) -> EvalResult:
    items = find_items(folder, split)
    if not items:
        raise InputError(f"no labelled clips (NAME.json + video or {CACHE_SUFFIX}) for split {split!r} in {folder}")
    out = EvalResult()
    for item in items:
        clip = item.video.name if item.video else item.name
        try:
            data, replayed = recording_of(item, cache)
            out.add(evaluate_recording(item, data, exercise, replayed))
        except KeyboardInterrupt:  # a stop signal while MediaPipe records the clip (interrupt.py)
            out.failures[clip] = "interrupted: not scored"
            break  # the clips after it are not started
        except PosecheckError as error:
            out.failures[clip] = str(error)
            if isinstance(error, RunInterrupted):
                break  # a stop signal: the clips after it are not started
    return out


def _fmt_faults(s: ClipScore) -> str:
    parts = []
    for name, t in s.faults.items():
        p = "-" if t.precision is None else f"{t.precision:.2f}"
        r = "-" if t.recall is None else f"{t.recall:.2f}"
        parts.append(f"{name} P{p} R{r}")
    parts += [f"{name} not judged" for name in s.not_judged]
    return "; ".join(parts) or "-"


def _reps(s: ClipScore | None) -> str:
    if s is None:
        return "n/a"
    return " ".join(f"{d[0].upper()}{s.reps_report.get(d, 0)}/{s.reps_label.get(d, 0)}" for d in s.sides) or "-"


def format_table(result: EvalResult) -> str:
    lines = [f"{'clip':44s} {'reps got/want':14s} {'peer':14s} {'hold err':8s} {'pose':5s} faults"]
    for r in result.items:
        s = r.score
        hold = " ".join(f"{v:.1f}" for v in s.hold_error_s.values()) or "-"
        reps = f"{_reps(s):14s} {_reps(r.peer):14s}"
        lines.append(f"{s.clip[:44]:44s} {reps} {hold:8s} {s.detection:5.0%} {_fmt_faults(s)}")
    for clip, error in result.failures.items():
        lines.append(f"{clip[:44]:44s} FAILED: {error}")
    lines += ["", format_totals(result.totals, result.peer_totals)]
    return "\n".join(lines)


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b}" if b else "-"


def format_totals(t: Totals, p: Totals) -> str:
    f = t.all_faults()
    rows = [
        f"{'':28s} {'posecheck':>12s} {'peer':>12s}",
        f"{'count sets exact':28s} {_ratio(t.sides_exact, t.sides):>12s} {_ratio(p.sides_exact, p.sides):>12s}",
        f"{'count sets within 1':28s} {_ratio(t.within_one, t.sides):>12s} {_ratio(p.within_one, p.sides):>12s}",
        f"{'holds found (|err| <= 1.5 s)':28s} {_ratio(t.holds_found, t.holds):>12s} {'n/a':>12s}",
        f"{'false holds':28s} {t.holds_false:>12d} {'n/a':>12s}",
        f"{'faults tp/fp/fn':28s} {f'{f.tp}/{f.fp}/{f.fn}':>12s} {'n/a':>12s}",
    ]
    for name, tally in sorted(t.faults.items()):
        prec = "-" if tally.precision is None else f"{tally.precision:.2f}"
        rec = "-" if tally.recall is None else f"{tally.recall:.2f}"
        rows.append(f"  {name:16s} precision {prec}  recall {rec}  (tp {tally.tp}, fp {tally.fp}, fn {tally.fn})")
    return "\n".join(rows)
