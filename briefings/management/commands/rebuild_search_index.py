import time

from django.core.management.base import BaseCommand

from briefings.search import index
from portal.caching import bump_content_version


class Command(BaseCommand):
    help = (
        "Empty the search index and fill it again from the content, in one transaction: readers "
        "see the old index until the new one is complete. Saves keep the index fresh on their "
        "own; run this after changing content without model signals (bulk writes, raw SQL)."
    )

    def handle(self, *args, verbosity=1, **options):
        started = time.perf_counter()
        count = index.rebuild()
        # The rebuild bypasses model signals, so cached search pages must be told explicitly.
        bump_content_version()
        if verbosity >= 1:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"Indexed {count} search entries in {elapsed:.1f} s.")
