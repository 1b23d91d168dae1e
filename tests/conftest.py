from __future__ import annotations

import sys
from pathlib import Path

# tests import their builders as `from synthetic import ...`
sys.path.insert(0, str(Path(__file__).resolve().parent))

import posecheck.registry

posecheck.registry.available()  # makes posecheck.exercises importable from a checkout
