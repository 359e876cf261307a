"""Review dates: the admin can filter documents due or overdue, and review_report lists them."""

import datetime
import functools
from io import StringIO

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing
from tests.support.admin_forms import briefing_form, save_briefing


def frozen_now(test):
    """The clock stopped at the moment the test starts: "today" cannot change half-way through
    (a run across midnight), and the dates the code computes are the ones the test computed."""

    def run(*args, **kwargs):
        with time_machine.travel(timezone.now(), tick=False):
            return test(*args, **kwargs)

    return functools.wraps(test)(run)


def _set_review(briefing, due, reviewed=None):
    briefing.next_review_due = due
    briefing.last_reviewed = reviewed
    briefing.save()


def _report(*args):
    out = StringIO()
    call_command("review_report", *args, stdout=out)
    return out.getvalue()


@frozen_now
def test_the_review_report_lists_an_overdue_document(db):
    today = timezone.localdate()
    police = Briefing.objects.get(slug="police")
    _set_review(police, today - datetime.timedelta(days=12), datetime.date(2024, 3, 1))
    factsheet = Briefing.objects.get(slug="cse-factsheet")
    _set_review(factsheet, today + datetime.timedelta(days=5))
    _set_review(Briefing.objects.get(slug="social-workers"), today + datetime.timedelta(days=200))

    report = _report()

    overdue, rest = report.split("Overdue (1):")[1].split("Due in the next 30 days (1):")
    assert police.title in overdue
    assert "12 days overdue" in overdue
    assert "last reviewed 1 March 2024" in overdue
    assert reverse("admin:briefings_briefing_change", args=[police.pk]) in overdue
    assert factsheet.title in rest
    assert "due in 5 days" in rest
    assert "Social workers" not in report
    assert "2 documents have no review date" in report


def test_the_review_report_says_so_when_nothing_is_due(db):
    report = _report("--days", "7")
    assert "No document is overdue or due in the next 7 days." in report


@frozen_now
def test_the_document_list_filters_by_review_status(editor_client):
    today = timezone.localdate()
    _set_review(Briefing.objects.get(slug="police"), today - datetime.timedelta(days=1))
    _set_review(Briefing.objects.get(slug="cse-factsheet"), today + datetime.timedelta(days=10))
    _set_review(Briefing.objects.get(slug="social-workers"), today + datetime.timedelta(days=90))
    url = reverse("admin:briefings_briefing_changelist")
    expected = {"overdue": ["police"], "due": ["cse-factsheet"], "not-due": ["social-workers"]}
    for value, slugs in expected.items():
        response = editor_client.get(url, {"review": value})
        assert [b.slug for b in response.context["cl"].result_list] == slugs
    undated = editor_client.get(url, {"review": "no-date"}).context["cl"].result_count
    assert undated == Briefing.objects.count() - 3


def test_the_public_page_shows_when_the_document_was_last_reviewed(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    before = client.get("/documents/police/").content.decode()
    assert "<dt>Last reviewed</dt><dd>Not recorded</dd>" in before
    data = briefing_form(editor_client, briefing)
    data["last_reviewed"] = "2026-10-05"
    data["next_review_due"] = "2027-10-05"
    save_briefing(editor_client, briefing, data)
    page = client.get("/documents/police/").content.decode()
    reviewed = '<dt>Last reviewed</dt><dd><time datetime="2026-10-05">5 October 2026</time></dd>'
    assert reviewed in page


@frozen_now
def test_marking_documents_reviewed_sets_both_dates(editor_client):
    briefing = Briefing.objects.get(slug="police")
    editor_client.post(
        reverse("admin:briefings_briefing_changelist"),
        {"action": "mark_reviewed_today", "_selected_action": [briefing.pk]},
    )
    briefing.refresh_from_db()
    today = timezone.localdate()
    assert briefing.last_reviewed == today
    assert briefing.next_review_due == today + datetime.timedelta(days=365)
