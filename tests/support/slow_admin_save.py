"""An editor's admin save whose Markdown takes long to render, while a trainer saves a pack.

Run by tests/editorial/test_slow_save_concurrency.py in its own interpreter, with DATABASE_URL
naming an SQLite file database, so the production settings apply (WAL, IMMEDIATE transactions,
busy timeout). The renderer is slowed for the editor's text only: when it starts, it checks
whether another connection could take the write lock at that moment, lets the trainer save a
new pack, and waits (up to a ceiling) for that save to finish before it finishes itself.
Prints one JSON line.

    python tests/support/slow_admin_save.py
"""

import json
import os
import sqlite3
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from briefings.models import Briefing  # noqa: E402
from briefings.packs.models import Pack  # noqa: E402
from briefings.packs.permissions import TRAINERS_GROUP  # noqa: E402
from tests.support.admin_forms import form_data, row_index  # noqa: E402
from tests.support.rendering import watch_rendering  # noqa: E402

MARKER = "Slow to render:"
# How long the slowed rendering waits for the trainer before giving up on them.
CEILING_SECONDS = 45


def _clients():
    editor = User.objects.create_user("slow-editor", password="a-long-editor-password")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    trainer = User.objects.create_user("quick-trainer", password="a-long-trainer-password")
    trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    editing, training = Client(), Client()
    editing.force_login(editor)
    training.force_login(trainer)
    return editing, training


def _lock_is_free(database) -> bool:
    """Whether another connection could start writing now, without waiting."""
    probe = sqlite3.connect(database, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def main():
    database = connection.settings_dict["NAME"]
    editing, training = _clients()
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    data = form_data(editing.get(url).content.decode(), "briefing_form")
    index = row_index(data, "sections", "id", section.pk)
    data[f"sections-{index}-body"] = f"{MARKER} {section.body}"
    connection.close()

    rendering, trainer_done = threading.Event(), threading.Event()
    outcome = {"errors": [], "lock_free_while_rendering": [], "trainer_seconds": None}

    def slow(text):
        if text.startswith(MARKER):
            outcome["lock_free_while_rendering"].append(_lock_is_free(database))
            rendering.set()
            trainer_done.wait(CEILING_SECONDS)

    def editor_saves():
        try:
            outcome["editor_status"] = editing.post(url, data).status_code
        except Exception as exc:  # noqa: BLE001 - every failure is reported
            outcome["errors"].append("editor: " + "".join(traceback.format_exception_only(exc)))
        finally:
            rendering.set()
            connection.close()

    def trainer_saves():
        try:
            rendering.wait(CEILING_SECONDS)
            started = time.monotonic()
            response = training.post(
                reverse("packs:create"),
                {"title": "Session while an editor saves", "visibility": "unlisted"},
            )
            outcome["trainer_seconds"] = round(time.monotonic() - started, 2)
            outcome["trainer_status"] = response.status_code
        except Exception as exc:  # noqa: BLE001
            outcome["errors"].append("trainer: " + "".join(traceback.format_exception_only(exc)))
        finally:
            trainer_done.set()
            connection.close()

    with watch_rendering(before=slow) as renders:
        threads = [threading.Thread(target=editor_saves), threading.Thread(target=trainer_saves)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    outcome["slow_render_in_transaction"] = [
        render.in_transaction for render in renders if render.text.startswith(MARKER)
    ]
    section.refresh_from_db()
    outcome["edit_saved"] = section.body.startswith(MARKER)
    outcome["pack_saved"] = Pack.objects.filter(title="Session while an editor saves").exists()
    return outcome


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main()) + "\n")
