"""Writer threads save content through the ORM while reader threads read pages, on one SQLite file.

Run by tests/portal/test_sqlite_concurrency.py in its own interpreter, with DATABASE_URL naming a
file database (the test suite's own database may be in memory or PostgreSQL). Prints one JSON line:
the errors seen, the saves made and the pages read.

    python tests/support/concurrent_edits.py WRITERS READERS SAVES_PER_WRITER
"""

import json
import os
import sys
import threading
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from briefings.models import KeyMessage, Section, Theme  # noqa: E402


def main(writers, readers, saves):
    errors = []
    done = []
    reads = []
    stop = threading.Event()
    start = threading.Barrier(writers + readers)
    sections = list(Section.objects.filter(briefing__slug="police").values_list("pk", flat=True))
    messages = list(KeyMessage.objects.filter(briefing__slug="police").values_list("pk", flat=True))
    themes = list(Theme.objects.all()[:5])
    connection.close()

    def record(exc):
        errors.append("".join(traceback.format_exception_only(exc)).strip())

    def writer(number):
        try:
            start.wait()
            for i in range(saves):
                # What an admin save does: several statements in one transaction.
                with transaction.atomic():
                    section = Section.objects.select_related("briefing").get(
                        pk=sections[(number + i) % len(sections)]
                    )
                    section.body += f"\n\nEdit {number}-{i}."
                    section.save()
                    message = KeyMessage.objects.get(pk=messages[(number + i) % len(messages)])
                    message.themes.set([themes[(number + i) % len(themes)]])
                    message.save()
                done.append((number, i))
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not just locks
            record(exc)
        finally:
            connection.close()

    def reader():
        client = Client()
        try:
            start.wait()
            while not stop.is_set():
                for url in ("/documents/police/", "/themes/", "/documents/"):
                    response = client.get(url)
                    if response.status_code != 200:
                        errors.append(f"{url} answered {response.status_code}")
                    reads.append(url)
                count = Section.objects.published().count()
                if not count:
                    errors.append("a reader saw no sections")
        except Exception as exc:  # noqa: BLE001
            record(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    reading = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads + reading:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    for thread in reading:
        thread.join()
    edits = sum(
        body.count("\n\nEdit ")
        for body in Section.objects.filter(pk__in=sections).values_list("body", flat=True)
    )
    return {"errors": errors, "saves": len(done), "edits_in_database": edits, "reads": len(reads)}


if __name__ == "__main__":
    writers, readers, saves = (int(arg) for arg in sys.argv[1:4])
    sys.stdout.write(json.dumps(main(writers, readers, saves)) + "\n")
