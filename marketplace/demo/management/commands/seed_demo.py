import time

from django.core.management.base import BaseCommand, CommandError

from marketplace.demo.data import DEMO_PASSWORD
from marketplace.demo.seed import DEMO_ITEMS, demo_logins, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo cooperative, agencies, supplier, contract and its catalog (idempotent). "
        "--items N tops the demo contract up to N catalog items for benchmarks (bulk items above the "
        "2,000 realistic ones are loaded with COPY and have no price history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo sign-ins.")
        parser.add_argument(
            "--items", type=int, default=DEMO_ITEMS, help=f"Catalog items on the demo contract (default {DEMO_ITEMS})."
        )

    def handle(self, *args, quiet_logins=False, items=DEMO_ITEMS, **options):
        if items < 0 or items > 5_000_000:
            raise CommandError("--items must be between 0 and 5,000,000.")
        started = time.monotonic()
        counts = seed_demo(items=items, log=self.stdout.write)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" ({elapsed:.1f} s)"
            )
        )
        if quiet_logins:
            return
        self.stdout.write(f"\nDemo sign-ins (password for every account: {DEMO_PASSWORD})")
        for roles, email, org in demo_logins():
            self.stdout.write(f"  {email:<36} {roles:<40} {org}")
