from django.core.management.base import BaseCommand, CommandError

from newsarchive import login_throttle


class Command(BaseCommand):
    help = "Lift the sign-in lock on a username and/or an address."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="")
        parser.add_argument("--ip", default="")

    def handle(self, *args, username: str, ip: str, **options):
        if not username and not ip:
            raise CommandError("Name a --username or an --ip to unlock.")
        removed = login_throttle.unlock(username=username, ip=ip)
        who = " and ".join(filter(None, [username and f"username {username!r}", ip]))
        self.stdout.write(f"Unlocked {who} ({removed} failed sign-ins forgotten).")
