"""PrepDesk entry point: with a command it runs headless (see --help), without one it opens the window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from app.cli import build_parser

    # Only global options (or none): open the window.
    parser = build_parser()
    wants_help = any(a in ("-h", "--help") for a in argv)
    known, rest = parser.parse_known_args(argv) if not wants_help else (None, argv)
    if known is not None and not getattr(known, "command", None) and not rest:
        from ui.app import run

        return run(db_url=known.db)
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
