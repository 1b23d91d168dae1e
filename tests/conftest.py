from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# every run the tests start keeps its history in a folder of its own, never in the user's data folder
os.environ["POSECHECK_HOME"] = tempfile.mkdtemp(prefix="posecheck-test-home-")

# tests import their builders as `from synthetic import ...`
sys.path.insert(0, str(Path(__file__).resolve().parent))

import posecheck.registry

posecheck.registry.available()  # makes posecheck.exercises importable from a checkout
