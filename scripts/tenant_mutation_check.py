#!/usr/bin/env python
"""Tenant mutation check: does every tenant filter in the app have a test that fails without it?

Finds every call of `.for_organization(...)` in the app packages (by parsing the source, so comments and
docstrings do not count and nothing depends on file paths or line numbers), and for each one, one at a time,
rewrites that call to `.unscoped()` (every tenant's rows), runs the tenant tests, and puts the file back
(always: also on Ctrl-C or SIGTERM). A site is KILLED when the tests fail with it mutated, SURVIVED when they
still pass: then a page or API can forget that filter and nobody notices.

    export DATABASE_URL=... REDIS_URL=... CACHE_KEY_PREFIX=...   # your own database and Redis db
    .venv/bin/python scripts/tenant_mutation_check.py             # every site
    .venv/bin/python scripts/tenant_mutation_check.py --list      # only list the sites
    .venv/bin/python scripts/tenant_mutation_check.py -- tests/x  # other tests than TESTS below
    .venv/bin/python scripts/tenant_mutation_check.py --under orders -- tests/orders tests/approvals  # one area

Exits 0 when every site is killed, 1 when one survived, 2 when the tests fail before any mutation (or a run
errors out). A developer tool (docs/architecture.md, "Tenancy"); not part of `make test`.
"""

from __future__ import annotations

import argparse
import ast
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("contracts", "agencies", "suppliers", "orders", "marketplace")
TESTS = (
    "tests/core/test_isolation.py",
    "tests/core/test_tenant_reads.py",
)
PYTEST = ("-x", "-q", "-p", "no:cacheprovider", "--reuse-db", "-m", "not browser")
RUN_TIMEOUT = 600  # seconds for one pytest run


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    start: int  # byte offsets of ".for_organization(...)" in the file
    end: int
    text: str

    def label(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _offsets(source: bytes) -> list[int]:
    """Byte offset where each line starts (ast positions are 1-based lines and UTF-8 byte columns)."""
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def find_sites() -> list[Site]:
    sites = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            source = path.read_bytes()
            starts = _offsets(source)
            for node in ast.walk(ast.parse(source, filename=str(path))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "for_organization"
                ):
                    receiver = node.func.value
                    start = starts[receiver.end_lineno - 1] + receiver.end_col_offset
                    end = starts[node.end_lineno - 1] + node.end_col_offset
                    whole = source[starts[node.lineno - 1] + node.col_offset : end].decode()
                    sites.append(Site(path, node.lineno, start, end, " ".join(whole.split())))
    return sorted(sites, key=lambda s: (str(s.path), s.start))


def run_tests(tests: list[str]) -> tuple[int, float]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # no stale .pyc of a mutated file
    began = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *PYTEST, *tests],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=RUN_TIMEOUT,
        )
        code = done.returncode
    except subprocess.TimeoutExpired:
        code = -1
    return code, time.monotonic() - began


def _terminate(signum, frame):
    raise KeyboardInterrupt  # so the `finally` below restores the file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the sites and exit")
    parser.add_argument(
        "--under",
        action="append",
        default=[],
        metavar="PATH",
        help="only sites in files under this path (repeatable), e.g. --under orders --under agencies/setup",
    )
    parser.add_argument("tests", nargs="*", default=list(TESTS), help=f"pytest paths (default: {' '.join(TESTS)})")
    args = parser.parse_args()

    sites = [s for s in find_sites() if not args.under or str(s.path.relative_to(ROOT)).startswith(tuple(args.under))]
    if args.list:
        for site in sites:
            print(f"{site.label():45} {site.text}")
        print(f"{len(sites)} tenant read sites")
        return 0

    signal.signal(signal.SIGTERM, _terminate)
    print(f"{len(sites)} tenant read sites; tests: {' '.join(args.tests)}", flush=True)
    code, seconds = run_tests(args.tests)
    if code != 0:
        print(f"The tests fail without any mutation (pytest exit {code}); fix them first.")
        return 2
    print(f"baseline: tests pass ({seconds:.0f}s)", flush=True)

    results: dict[str, list[Site]] = {"KILLED": [], "SURVIVED": [], "ERROR": []}
    for site in sites:
        original = site.path.read_bytes()
        try:
            site.path.write_bytes(original[: site.start] + b".unscoped()" + original[site.end :])
            code, seconds = run_tests(args.tests)
        finally:
            site.path.write_bytes(original)
        verdict = {0: "SURVIVED", 1: "KILLED"}.get(code, "ERROR")
        results[verdict].append(site)
        note = "" if verdict != "ERROR" else f" (pytest exit {code})"
        print(f"{verdict:8} {site.label():45} {site.text}  [{seconds:.0f}s]{note}", flush=True)

    killed, survived, errors = (len(results[k]) for k in ("KILLED", "SURVIVED", "ERROR"))
    print(f"{killed} killed, {survived} survived, {errors} errors of {len(sites)} tenant read sites")
    if survived:
        return 1
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
