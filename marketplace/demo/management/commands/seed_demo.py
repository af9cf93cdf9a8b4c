from django.core.management.base import BaseCommand

from marketplace.demo.data import DEMO_PASSWORD
from marketplace.demo.seed import demo_logins, seed_demo


class Command(BaseCommand):
    help = "Load the demo cooperative, agencies, supplier and contract (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args, quiet_logins=False, **options):
        counts = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready: " + ", ".join(f"{v} {k}" for k, v in counts.items())))
        if quiet_logins:
            return
        self.stdout.write(f"\nDemo sign-ins (password for every account: {DEMO_PASSWORD})")
        for roles, email, org in demo_logins():
            self.stdout.write(f"  {email:<36} {roles:<40} {org}")
