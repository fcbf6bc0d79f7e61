#!/usr/bin/env python
"""Django's manage.py; `scape` (installed into .venv/bin) does the same and more."""

import sys

from scape.cli import main

if __name__ == "__main__":
    sys.exit(main())
