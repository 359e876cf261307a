"""Trainers' "Add to pack" requests arrive at once for one pack that has room for only some of them.

Run by tests/packs/test_pack_limit_under_concurrency.py in its own interpreter, with DATABASE_URL
naming a database that holds the real content and is shared with other connections (an SQLite
file, or the PostgreSQL test database). Each thread has its own database connection and test
client, and all post at the same moment. Prints one JSON line: what each request answered and how
many items the pack holds afterwards.

    python tests/support/concurrent_pack_adds.py ADDERS ROOM
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

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from briefings.models import KeyMessage, Section  # noqa: E402
from briefings.packs.models import MAX_ITEMS, Pack, PackItem  # noqa: E402
from briefings.packs.permissions import TRAINERS_GROUP, seed_groups  # noqa: E402

FULL = f"A pack holds at most {MAX_ITEMS} items."


def targets():
    sections = [("section", s) for s in Section.objects.published().order_by("pk")]
    messages = [("key_message", m) for m in KeyMessage.objects.published().order_by("pk")]
    return sections + messages


def build_pack(room, adders):
    """A trainer's pack with `room` places left, and `adders` targets that are not in it yet."""
    seed_groups()
    trainer = User.objects.create_user("race-trainer", "race@example.org", "a-long-race-password")
    trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    pack = Pack.objects.create(owner=trainer, title="Race")
    available = targets()
    if len(available) < MAX_ITEMS - room + adders:
        raise SystemExit(f"only {len(available)} published targets: load the content first")
    PackItem.objects.bulk_create(
        PackItem(pack=pack, order=order, kind=kind, **{kind: target})
        for order, (kind, target) in enumerate(available[: MAX_ITEMS - room])
    )
    return trainer, pack, available[MAX_ITEMS - room : MAX_ITEMS - room + adders]


def main(adders, room):
    trainer, pack, new_targets = build_pack(room, adders)
    clients = []
    for _ in new_targets:
        client = Client()
        client.force_login(trainer)
        clients.append(client)
    connection.close()
    start = threading.Barrier(adders)
    answers = [None] * adders

    def add(number):
        kind, target = new_targets[number]
        try:
            start.wait()
            response = clients[number].post(
                "/packs/add/", {kind: target.pk, "pack": pack.token, "new_title": ""}
            )
            answers[number] = {
                "status": response.status_code,
                "refused_as_full": FULL in response.content.decode(),
            }
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            answers[number] = {"error": "".join(traceback.format_exception_only(exc)).strip()}
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(adders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"answers": answers, "items": pack.items.count(), "pack": pack.pk}


if __name__ == "__main__":
    adders, room = (int(arg) for arg in sys.argv[1:3])
    sys.stdout.write(json.dumps(main(adders, room)) + "\n")
