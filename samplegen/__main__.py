import sys

from samplegen.cli import main

sys.exit(main())
