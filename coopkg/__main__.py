"""Run the CLI as ``python -m coopkg``."""

import sys

from coopkg.cli import main

sys.exit(main())
