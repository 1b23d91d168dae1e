"""`python -m posecheck ...`: the same as the `posecheck` command."""

from .cli import main

raise SystemExit(main())
