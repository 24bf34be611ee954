"""Run the CLI as ``python -m coopkg``."""

import sys

from coopkg.cli import main

# Guarded: `coopkg serve` starts its query workers with multiprocessing's spawn method, which
# imports this module again in each worker under another name.
if __name__ == "__main__":
    sys.exit(main())
