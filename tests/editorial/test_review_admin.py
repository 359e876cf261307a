"""Review in the admin: "Due for review" lists what needs a review, sorted by the next review
date, and "mark reviewed" there is the same service the command's report is kept by."""

import datetime
import re
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing

LIST_URL = reverse("admin:briefings_briefing_changelist")


def _set_review(slug, due, reviewed=None):
    Briefing.objects.filter(slug=slug).update(next_review_due=due, last_reviewed=reviewed)


def _listed_slugs(html):
    """Document slugs in the order of the list's rows."""
    ids = re.findall(r"/admin/briefings/briefing/(\d+)/change/", html)
    by_pk = dict(Briefing.objects.values_list("pk", "slug"))
    seen = []
    for pk in ids:
        if by_pk[int(pk)] not in seen:
            seen.append(by_pk[int(pk)])
    return seen


def _dates(today):
    year_ago = today - datetime.timedelta(days=365)
    _set_review("police", today - datetime.timedelta(days=3), year_ago)
    _set_review("cse-factsheet", today + datetime.timedelta(days=10), year_ago)
    _set_review("social-workers", today + datetime.timedelta(days=200), year_ago)
    _set_review("multi-agency-working", today + datetime.timedelta(days=300), None)
    in_250_days = today + datetime.timedelta(days=250)
    _set_review("commissioning-health-care-services", in_250_days, year_ago)


def test_due_for_review_lists_overdue_due_and_never_reviewed_sorted_by_next_review(editor_client):
    today = timezone.localdate()
    _dates(today)
    page = editor_client.get(LIST_URL).content.decode()
    link = re.search(r'<a href="(\?[^"]*)">Due for review</a>', page)
    assert link is not None

    response = editor_client.get(LIST_URL + link.group(1).replace("&amp;", "&"))

    html = response.content.decode()
    assert _listed_slugs(html) == ["police", "cse-factsheet", "multi-agency-working"]
    assert "Overdue by 3 days" in html
    assert "Due in 10 days" in html
    assert "Not due (never reviewed)" in html


def test_the_next_review_column_sorts_both_ways(editor_client):
    _dates(timezone.localdate())
    response = editor_client.get(LIST_URL)
    sort_link = re.search(
        r'<th scope="col" class="sortable column-next_review[^"]*">\s*'
        r'(?:<div class="sortoptions">.*?</div>)?\s*<div class="text">'
        r'<a href="(\?o=[^"]+)">Next review</a>',
        response.content.decode(),
        re.S,
    )
    assert sort_link is not None
    ascending = _listed_slugs(editor_client.get(LIST_URL + sort_link.group(1)).content.decode())
    descending_query = "?o=-" + sort_link.group(1).split("=")[1]
    descending = _listed_slugs(editor_client.get(LIST_URL + descending_query).content.decode())
    assert ascending[:2] == ["police", "cse-factsheet"]
    assert descending == list(reversed(ascending))


def test_the_review_filter_is_the_first_filter(editor_client):
    html = editor_client.get(LIST_URL).content.decode()
    headings = re.findall(r"By ([a-z ]+)", html)
    assert headings[0].strip() == "review"


def test_marking_reviewed_in_the_admin_takes_it_off_the_command_report(editor_client):
    today = timezone.localdate()
    _dates(today)
    police = Briefing.objects.get(slug="police")
    before = StringIO()
    call_command("review_report", stdout=before)
    assert police.title in before.getvalue()

    editor_client.post(
        LIST_URL + "?review=attention",
        {"action": "mark_reviewed_today", "_selected_action": [police.pk]},
    )

    police.refresh_from_db()
    assert police.last_reviewed == today
    assert police.next_review_due == today + datetime.timedelta(days=365)
    after = StringIO()
    call_command("review_report", stdout=after)
    assert police.title not in after.getvalue()
    remaining = _listed_slugs(editor_client.get(LIST_URL + "?review=attention").content.decode())
    assert "police" not in remaining
    public = editor_client.get(police.get_absolute_url()).content.decode()
    assert "Last reviewed" in public
    assert timezone.localdate().strftime("%-d %B %Y") in public
