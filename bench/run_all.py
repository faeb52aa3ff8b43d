"""Run every benchmark module (bench/bench_*.py), each in its own process, and print their tables.

    .venv/bin/python -m bench.run_all [names...]   # e.g. foundation receiving
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules(only: list[str] | None = None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if only:
        names = [n for n in names if n in only or n.removeprefix("bench_") in only]
    return names


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    failed: list[str] = []
    for name in modules(argv):
        print(f"\n=== bench.{name} ===", flush=True)
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)
        if proc.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nmissed a target or failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
