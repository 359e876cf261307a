from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from briefings.content.data import ContentErrors
from briefings.content.importer import Importer


class Command(BaseCommand):
    help = (
        "Validate and load briefing files (docs/content-format.md). With no paths, loads "
        "everything under fixtures/briefings/. Writes nothing unless every file is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Briefing files or directories.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )

    def handle(self, *args, paths, dry_run, verbosity=1, **options):
        paths = paths or [settings.BRIEFINGS_CONTENT_DIR]
        try:
            report = Importer(paths).run(dry_run=dry_run)
        except ContentErrors as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            problems = f"{len(exc.errors)} problem" + ("" if len(exc.errors) == 1 else "s")
            raise CommandError(f"{problems} found; nothing was written.") from None
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
