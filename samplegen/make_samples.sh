#!/bin/sh
# Regenerate every clip of samples/manifest.toml (two render processes in parallel),
# then measure MediaPipe detection on them and rewrite samples/README.md.
# Needs the [render] dependencies (see samplegen/README.md). About 30 min on 2 cores.
set -e
cd "$(dirname "$0")/.."
export PYOPENGL_PLATFORM="${PYOPENGL_PLATFORM:-osmesa}"
M=samples/manifest.toml
( python -m samplegen batch $M --only ball-squeeze && python -m samplegen batch $M --only seated-twist ) &
A=$!
( python -m samplegen batch $M --only figure-four && python -m samplegen batch $M --only leg-lift ) &
B=$!
wait $A
wait $B
python -m samplegen table samples
