from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from briefings.search import corpus


class Command(BaseCommand):
    help = (
        "FOR BENCHMARKS ONLY. Add published synthetic copies of the real briefings (slugs "
        "'synthetic-…', titles '[Synthetic N] …') until the corpus is N times the real one. "
        "Refuses to touch a database whose name does not contain 'bench' unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=None, help="Corpus size, as a multiple.")
        parser.add_argument("--clear", action="store_true", help="Remove every synthetic copy.")
        parser.add_argument("--seed", type=int, default=2017, help="Seed for the shuffles.")
        parser.add_argument(
            "--force", action="store_true", help="Allow a database not named for benchmarks."
        )

    def handle(self, *args, scale, clear, seed, force, verbosity=1, **options):
        if scale is None and not clear:
            raise CommandError("Give --scale N (N >= 1) or --clear.")
        if scale is not None and scale < 1:
            raise CommandError("--scale must be at least 1.")
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name and not force:
            raise CommandError(
                f"Refusing to add synthetic briefings to {name!r}: its name does not contain "
                "'bench'. Use a throw-away database (make bench does), or --force."
            )
        if clear:
            removed = corpus.clear()
            if verbosity:
                self.stdout.write(f"Removed {removed} synthetic briefing(s).")
        if scale is not None:
            made = corpus.generate(scale, seed=seed)
            if verbosity:
                total = corpus.synthetic_briefings().count()
                self.stdout.write(
                    f"Added {made} synthetic briefing(s); {total} in all, scale {scale}."
                )
