"""The `scape` console command.

`scape redact` and `scape anpr` run the vision engines without any database;
everything else is a Django management command (`scape migrate`, `scape demo`,
`scape audit verify`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "redact":
        from scape.vision.cli_redact import main as redact_main

        return redact_main(args[1:])
    if args and args[0] == "anpr":
        from scape.vision.cli_anpr import main as anpr_main

        return anpr_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scape.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["scape", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
