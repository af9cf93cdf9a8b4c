"""Onboarding at the scale of a large purchasing co-op: how long the review page's duplicate check takes, and the
staff queue's API page, with 50,000 member agencies and 5,000 applications.

    DATABASE_URL=… REDIS_URL=… python bench/onboarding.py   # `make bench` gives both (embedded PostgreSQL/Redis)

The duplicate check (`application_duplicates`) looks for members and other applications with the same e-mail domain or
a similar name (pg_trgm similarity ≥ 0.4). Each measured application is a misspelt or reworded copy of a real
member's name, so the check must also *find* that member: the recall line counts how many of them it found. The
names are generated from place-name syllables and the usual public-entity forms ("City of …", "… County",
"… Unified School District" …), so most names share trigrams with many others, as real member lists do.

Everything is committed for real, in a throwaway database (`bench_onboarding_<pid>`, created from the migrations like
a test database and dropped at the end). Ends with `bench onboarding-duplicates-p95: … PASS|MISS`,
`bench onboarding-duplicates-recall: … PASS|MISS` and `bench onboarding-queue-api-p95: … PASS|MISS`.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, ApplicationStatus, JoinApplication  # noqa: E402
from agencies.onboarding.selectors import application_duplicates, similar_member_queryset  # noqa: E402
from marketplace.core.models import CoopMembership, Membership, Organization, User  # noqa: E402
from marketplace.core.roles import OrgKind, Role  # noqa: E402
from marketplace.core.services.tokens import api_token_create, token_digest  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_ONBOARDING_MEMBERS", "50000"))
APPLICATIONS = int(os.environ.get("BENCH_ONBOARDING_APPLICATIONS", "5000"))
RUNS = 60
GOAL_DUPLICATES_MS = 50.0
GOAL_RECALL = 0.9
GOAL_QUEUE_MS = 150.0

SYLLABLES = [
    "ash", "bay", "bel", "brook", "cal", "cedar", "clear", "cor", "dal", "east", "elm", "fair", "fal", "glen",
    "gran", "green", "hal", "har", "haven", "hill", "lake", "lan", "lin", "mar", "mead", "mill", "mont", "nor",
    "oak", "pine", "port", "ridge", "river", "rock", "rose", "sal", "sand", "shel", "spring", "stone", "sum",
    "ton", "val", "ver", "wal", "west", "wil", "win", "wood", "york",
]  # fmt: skip
FORMS = [
    ("City of {}", "city"),
    ("Town of {}", "city"),
    ("{} County", "county"),
    ("{} Unified School District", "school_district"),
    ("{} Water District", "special_district"),
    ("{} Fire Protection District", "special_district"),
]
STATES = ["FL", "GA", "TX", "NC", "SC", "AL", "LA", "VA", "TN", "MS"]


def place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def misspell(name: str, rng: random.Random) -> str:
    """What an applicant types for an entity that is already a member: a dropped or doubled letter, or
    "City of X" written "X City"."""
    if name.startswith("City of ") and rng.random() < 0.3:
        return name.removeprefix("City of ") + " City"
    i = rng.randrange(8, len(name) - 1)
    return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


def build(rng: random.Random):
    coop = Organization.objects.create(kind=OrgKind.COOPERATIVE, name="Bench Co-op", slug="bench-coop")
    staff = User.objects.create_user("staff@bench.test", "x" * 16, full_name="Bench Staff")
    Membership.objects.create(user=staff, organization=coop, role=Role.COOP_STAFF)
    names: dict[str, str] = {}  # name -> agency type
    while len(names) < MEMBERS:
        form, kind = rng.choice(FORMS)
        names.setdefault(form.format(place(rng)), kind)
    orgs = Organization.objects.bulk_create(
        [
            Organization(kind=OrgKind.AGENCY, name=name, slug=f"a{n}", mfa_required_roles=[])
            for n, name in enumerate(names)
        ],
        batch_size=5000,
    )
    Agency.objects.bulk_create(
        [
            Agency(organization=org, agency_type=names[org.name], state=rng.choice(STATES), email_domain=f"a{n}.gov")
            for n, org in enumerate(orgs)
        ],
        batch_size=5000,
    )
    CoopMembership.objects.bulk_create(
        [CoopMembership(cooperative=coop, agency=org, status="active") for org in orgs], batch_size=5000
    )
    now = timezone.now()
    statuses = [ApplicationStatus.PENDING, ApplicationStatus.INFO_REQUESTED, ApplicationStatus.REJECTED]
    apps = []
    for n in range(APPLICATIONS):
        form, kind = rng.choice(FORMS)
        apps.append(
            JoinApplication(
                cooperative=coop,
                legal_name=form.format(place(rng)),
                agency_type=kind,
                state=rng.choice(STATES),
                email_domain=f"applicant{n}.gov",
                contact_name="Applicant",
                contact_title="Clerk",
                contact_email=f"clerk@applicant{n}.gov",
                contact_phone="555 0100",
                signer_name="Signer",
                signer_title="Manager",
                signer_email=f"signer@applicant{n}.gov",
                evidence="join-applications/bench.pdf",
                evidence_sha256="0" * 64,
                status=statuses[n % 3],
                status_token_digest=token_digest(uuid.uuid4().hex),
                submitted_at=now,
                updated_at=now,
            )
        )
    JoinApplication.objects.bulk_create(apps, batch_size=5000)
    # the applications measured: misspellings of members' names, each from its own new domain
    targets = []
    for n, member in enumerate(rng.sample(orgs, RUNS)):
        targets.append(
            (
                JoinApplication.objects.create(
                    **{
                        **{f: getattr(apps[0], f) for f in ("cooperative_id", "agency_type", "state", "contact_name")},
                        "legal_name": misspell(member.name, rng),
                        "email_domain": f"target{n}.gov",
                        "contact_title": "Clerk",
                        "contact_email": f"clerk@target{n}.gov",
                        "contact_phone": "555 0100",
                        "signer_name": "Signer",
                        "signer_title": "Manager",
                        "signer_email": f"signer@target{n}.gov",
                        "evidence": "join-applications/bench.pdf",
                        "evidence_sha256": "0" * 64,
                        "status": ApplicationStatus.PENDING,
                        "status_token_digest": token_digest(uuid.uuid4().hex),
                        "submitted_at": now,
                        "updated_at": now,
                    }
                ),
                member.name,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return coop, staff, targets


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> int:
    creation = connection.creation
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_onboarding_{os.getpid()}"
    print("creating a throwaway database from the migrations …", flush=True)
    original_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rng = random.Random(20261201)
        started = time.perf_counter()
        coop, staff, targets = build(rng)
        built = time.perf_counter() - started
        print(f"built {MEMBERS:,} member agencies and {APPLICATIONS:,} applications in {built:.0f} s")
        for application, _ in targets[:3]:  # warm the caches
            application_duplicates(application=application)
        timings, found = [], 0
        for application, member_name in targets:
            t0 = time.perf_counter()
            duplicates = application_duplicates(application=application)
            timings.append((time.perf_counter() - t0) * 1000)
            found += any(d.name == member_name for d in duplicates)
        recall = found / len(targets)
        plan = similar_member_queryset(application=targets[0][0]).explain()  # what the check runs
        _token, secret = api_token_create(user=staff, name="bench")
        client = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {secret}")
        url = f"/api/v1/coops/{coop.slug}/applications/"
        assert client.get(url).status_code == 200
        queue = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            response = client.get(url)
            queue.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
    finally:
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPU cores, load average {load} (1/5/15 min) at the end, "
        f"Python {platform.python_version()}"
    )
    print(f"plan of the similar-member query:\n{plan}")
    print(f"duplicate check: p50 {statistics.median(timings):.1f} ms, p95 {p95(timings):.1f} ms over {len(timings)}")
    print(f"staff queue API page (50 rows): p50 {statistics.median(queue):.1f} ms, p95 {p95(queue):.1f} ms")
    dup_p95, queue_p95 = p95(timings), p95(queue)
    verdict = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    print(
        f"bench onboarding-duplicates-p95: {dup_p95:.1f} ms at {MEMBERS:,} members "
        f"(goal <= {GOAL_DUPLICATES_MS:.0f} ms) {verdict(dup_p95 <= GOAL_DUPLICATES_MS)}"
    )
    print(
        f"bench onboarding-duplicates-recall: {found}/{len(targets)} misspelt members found "
        f"(goal >= {GOAL_RECALL:.0%}) {verdict(recall >= GOAL_RECALL)}"
    )
    print(
        f"bench onboarding-queue-api-p95: {queue_p95:.1f} ms (goal <= {GOAL_QUEUE_MS:.0f} ms) "
        f"{verdict(queue_p95 <= GOAL_QUEUE_MS)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
