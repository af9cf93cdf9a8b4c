"""Shared fixtures: a small world of organizations, members by role, clean Redis keys, a real Celery worker."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import redis
from django.conf import settings

from marketplace.core.roles import OrgKind
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CoopMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    SupplierFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_cache():
    """Each test starts with no cached rate-limit counters (only our cache prefix is touched, never the broker)."""
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    yield


# Celery workers this session started (see celery_worker_process); they outlive the test that needed them.
_STARTED_WORKERS: list[WorkerProcess] = []


@pytest.fixture(autouse=True)
def _category_tree(request):
    """The category tree comes from a data migration, but transactional tests (live server, worker) empty
    every table when they finish: put it back for every test that uses the database.

    After a transactional test, wait until a worker started earlier in the session is idle: the test's
    commits publish tasks (notification e-mails) that worker runs, and its queries must not meet the
    flush's TRUNCATE (a deadlock)."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool({"transactional_db", "live_server"} & names) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not transactional and "db" not in names and marker is None:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from contracts.catalog.categories import load_categories
    from contracts.models import Category

    if not Category.objects.exists():
        load_categories(Category)
    yield
    if transactional:
        for started in _STARTED_WORKERS:
            started.wait_until_idle()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_member(db):
    """make_member(org, "requester", "approver", email=...) -> a user holding those roles in org."""

    def _make(organization, *roles, email=None, **user_fields):
        user = UserFactory(**({"email": email} if email else {}), **user_fields)
        for role in roles or ("requester",):
            MembershipFactory(user=user, organization=organization, role=role)
        return user

    return _make


@pytest.fixture
def world(db, make_member):
    """Two of each organization kind, profiles, an active co-op membership per agency, and one user per role."""
    coop = OrganizationFactory(kind=OrgKind.COOPERATIVE, name="Alpha Co-op", slug="alpha-coop")
    other_coop = OrganizationFactory(kind=OrgKind.COOPERATIVE, name="Beta Co-op", slug="beta-coop")
    agency = AgencyFactory(organization__name="City of Alpha", organization__slug="city-of-alpha").organization
    other_agency = AgencyFactory(organization__name="Beta County", organization__slug="beta-county").organization
    supplier = SupplierFactory(organization__name="Alpha Cells", organization__slug="alpha-cells").organization
    other_supplier = SupplierFactory(organization__name="Beta Lamps", organization__slug="beta-lamps").organization
    CoopMembershipFactory(cooperative=coop, agency=agency)
    CoopMembershipFactory(cooperative=other_coop, agency=other_agency)

    class World:
        pass

    w = World()
    w.coop, w.other_coop, w.agency, w.other_agency = coop, other_coop, agency, other_agency
    w.supplier, w.other_supplier = supplier, other_supplier
    w.requester = make_member(agency, "requester", email="requester@alpha.test")
    w.agency_admin = make_member(agency, "agency_admin", email="admin@alpha.test")
    w.other_requester = make_member(other_agency, "requester", email="requester@beta.test")
    w.other_agency_admin = make_member(other_agency, "agency_admin", email="admin@beta.test")
    w.catalog_manager = make_member(supplier, "catalog_manager", email="catalog@alpha-cells.test")
    w.supplier_admin = make_member(supplier, "supplier_admin", email="admin@alpha-cells.test")
    w.other_supplier_admin = make_member(other_supplier, "supplier_admin", email="admin@beta-lamps.test")
    w.coop_staff = make_member(coop, "coop_staff", email="staff@alpha-coop.test")
    w.coop_admin = make_member(coop, "coop_admin", email="admin@alpha-coop.test")
    w.other_coop_admin = make_member(other_coop, "coop_admin", email="admin@beta-coop.test")
    w.outsider = UserFactory(email="nobody@example.test")
    return w


@pytest.fixture
def finance(world, make_member):
    """A member of world.agency with the finance role (pays invoices, decides holds)."""
    return make_member(world.agency, "finance", email="finance@alpha.test")


@pytest.fixture
def order_desk(world, make_member):
    """A member of world.supplier with the order-desk role (ships, invoices, answers discrepancies)."""
    return make_member(world.supplier, "order_desk", email="desk@alpha-cells.test")


# --- A real Celery worker process, sharing the test database and the broker.


class WorkerProcess:
    """A `celery worker` subprocess (solo pool) on the test database; restarted if a test killed it."""

    def __init__(self, env: dict, mail_dir: Path, log: Path):
        self.env, self.mail_dir, self.log = env, mail_dir, log
        self.hostname = f"pytest-{os.getpid()}@local"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "marketplace"]
        with self.log.open("a") as out:
            offset = out.tell()
            self.proc = subprocess.Popen(
                [
                    *celery,
                    "worker",
                    "--pool",
                    "solo",
                    "--loglevel",
                    "INFO",
                    "--hostname",
                    self.hostname,
                ],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.time() + 30
        while time.time() < deadline and "ready." not in self.log.read_text()[offset:]:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited:\n{self.log.read_text()[offset:]}")
            time.sleep(0.2)

    def ensure_running(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def wait_until_idle(self, timeout: float = 30) -> None:
        """Wait until the worker runs nothing and nothing is queued. A solo-pool worker answers control
        messages only between tasks, so its reply itself means "idle"; follow-up tasks are queued before
        their parent finishes, so an empty queue after the reply means done."""
        if self.proc is None or self.proc.poll() is not None:
            return
        from marketplace.celery import app

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            replies = app.control.inspect(destination=[self.hostname], timeout=5, limit=1).active() or {}
            if replies and not any(replies.values()) and client.llen("celery") == 0:
                return
            time.sleep(0.1)

    def sent_mail(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"))]

    def wait_for_mail(self, count: int = 1, timeout: float = 20) -> list[str]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            mails = self.sent_mail()
            if len(mails) >= count:
                return mails
            time.sleep(0.2)
        got = len(self.sent_mail())
        raise AssertionError(f"expected {count} e-mail(s), got {got}; worker log:\n{self.log.read_text()[-3000:]}")


def _test_database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host") or ""
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    if host.startswith("/"):
        return f"postgresql://{auth}@/{s['NAME']}?host={host}" + (f"&port={s['PORT']}" if s.get("PORT") else "")
    return f"postgresql://{auth}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start `celery worker` against the test database; tests using it need `transactional_db`."""
    mail_dir = tmp_path_factory.mktemp("mail")
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        database_url = _test_database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "WORKER_HEARTBEAT_SECONDS": "2",
    }
    celery = [sys.executable, "-m", "celery", "-A", "marketplace"]
    subprocess.run([*celery, "purge", "-f"], env=env, cwd=ROOT, check=False, capture_output=True)
    worker = WorkerProcess(env, mail_dir, log)
    worker.start()
    _STARTED_WORKERS.append(worker)
    yield worker
    _STARTED_WORKERS.remove(worker)
    worker.stop()


@pytest.fixture
def worker(celery_worker_process, transactional_db):
    celery_worker_process.ensure_running()
    for p in celery_worker_process.mail_dir.glob("*.log"):
        p.unlink()
    yield celery_worker_process
    celery_worker_process.wait_until_idle()  # before the tables are emptied under a task that is still running


# --- localstripe (a local Stripe stand-in, PyPI): payments and browser tests --------------------------------
# Started once per session on 127.0.0.1 on a free port, only when a test asks for it; stopped by its PID.


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 20
    while True:
        try:
            with urllib.request.urlopen(url + "/js.stripe.com/v3/", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"localstripe did not start; see {log.name}") from None
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    log.close()


@pytest.fixture
def stripe_at_localstripe(settings, localstripe_url):
    """Our Stripe client and the pay page's Stripe.js pointed at localstripe."""
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = localstripe_url + "/js.stripe.com/v3/"
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_payments"
    return localstripe_url


@pytest.fixture
def localstripe_webhooks(live_server, stripe_at_localstripe):
    """localstripe delivers its signed events to this test's live server."""
    import requests

    response = requests.post(
        f"{stripe_at_localstripe}/_config/webhooks/marketplace-tests",
        data={"url": f"{live_server.url}/webhooks/stripe/", "secret": settings.STRIPE_WEBHOOK_SECRET},
        timeout=5,
    )
    assert response.status_code == 200
    return live_server
