"""Run every benchmark in bench/ (each a standalone script) and repeat their verdict lines at the end.

    make bench            # embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set

Each script prints figures and ends with lines `bench <name>: <figure> (goal <goal>) PASS|MISS`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    verdicts: list[str] = []
    failed = False
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        proc = subprocess.Popen(
            [sys.executable, str(script)], env=env, cwd=HERE.parent, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.startswith("bench "):
                verdicts.append(line.rstrip())
        if proc.wait() != 0:
            failed = True
            verdicts.append(f"bench {script.stem}: crashed (exit {proc.returncode}) MISS")
    print("\n=== summary ===")
    for line in verdicts or ["(no benchmarks found)"]:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
