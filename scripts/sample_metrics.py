"""Write tests/data/sample_metrics.json: the measured scores of every sample (golden metrics).

    python scripts/sample_metrics.py [--no-write]

Replays each sample's recorded landmarks (tests/data/landmarks) through the
session loop, scores the report against the label and stores the result.
The test suite fails when a change makes any clip score worse than this file
says; after a real improvement, rerun this and commit the file with it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # this checkout's posecheck, not an installed copy

import conftest  # noqa: E402,F401  (makes posecheck.exercises importable from a checkout)

from posecheck.evaluate import EvalResult, format_table  # noqa: E402
from posecheck.samples import labelled_clips, samples_dir  # noqa: E402
from posecheck.scoring import score  # noqa: E402
from replay import replay  # noqa: E402

OUT = ROOT / "tests" / "data" / "sample_metrics.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help=f"print the scores, leave {OUT.name} as it is")
    args = parser.parse_args()  # an unknown flag stops here, before the golden file is touched
    result = EvalResult()
    for clip in labelled_clips(samples_dir()):
        label = json.loads(clip.with_suffix(".json").read_text())
        s = score(replay(clip, label["exercise"]).report.build(), label, clip.name)
        result.scores.append(s)
        result.totals.add(s)
    print(format_table(result))
    if not args.no_write:
        OUT.write_text(json.dumps({s.clip: s.to_json() for s in result.scores}, indent=1) + "\n")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
