from __future__ import annotations

import os
import tempfile

# every run the tests start keeps its history in a folder of its own, never in the user's data folder
os.environ["POSECHECK_HOME"] = tempfile.mkdtemp(prefix="posecheck-test-home-")
