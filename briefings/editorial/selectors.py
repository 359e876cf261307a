"""The editorial workflow's reads: revisions of a document, what was deleted, reviews due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from ..models import Briefing, ChangeNote, Section

# A document whose review date falls within this many days is "due".
REVIEW_DUE_WITHIN_DAYS = 30


# ---- revisions ----------------------------------------------------------------------------------


def document_versions(briefing_or_id):
    """The briefing's versions, newest first, one per revision."""
    pk = getattr(briefing_or_id, "pk", briefing_or_id)
    return (
        Version.objects.get_for_object_reference(Briefing, pk)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def history(briefing) -> list[dict]:
    """Each revision of the document, newest first, with the one before it (to compare)."""
    versions = list(document_versions(briefing))
    return [
        {
            "version": version,
            "previous": versions[index + 1] if index + 1 < len(versions) else None,
            "latest": index == 0,
        }
        for index, version in enumerate(versions)
    ]


def ever_published(briefing) -> bool:
    """Whether any recorded revision of the document had it published."""
    return (
        document_versions(briefing)
        .filter(serialized_data__contains='"status": "published"')
        .exists()
    )


def revision_author(revision) -> str:
    """Who made a revision: the editor, or for one made without an editor, where it came from."""
    if revision.user_id:
        return revision.user.get_username()
    comment = revision.comment or ""
    if comment.startswith("Imported from "):
        return f"the import of {comment[len('Imported from ') :].rstrip('.')}"
    if comment.startswith("Starting point"):
        return "the content files (the starting point before the first edit in the admin)"
    return "the system (no editor recorded)"


def describe_revision(revision) -> str:
    when = date_format(timezone.localtime(revision.date_created), "j F Y, H:i")
    return f"{when} by {revision_author(revision)}"


def notes_undone_by_revert(briefing, version):
    """The public notes for readers written since ``version``'s revision: a revert to it undoes
    the changes they announce, so the editor decides whether each stays, goes or is amended."""
    # A note is written inside its revision, after the revision's time is taken: so the notes
    # undone are those from the first revision after ``version`` on.
    undone = (
        document_versions(briefing)
        .filter(revision__date_created__gt=version.revision.date_created)
        .order_by("revision__date_created", "pk")
        .first()
    )
    if undone is None:
        return briefing.change_notes.none()
    return briefing.change_notes.filter(
        public=True,
        kind=ChangeNote.Kind.UPDATE,
        created__gte=undone.revision.date_created,
    ).order_by("created", "pk")


# ---- deleted documents and sections -------------------------------------------------------------


@dataclass
class Deleted:
    """A deleted document or section, with the last version that held it."""

    version: Version
    instance: models.Model
    briefing_id: int
    briefing_title: str = ""


def deleted_sections(briefing_id=None) -> list[Deleted]:
    versions = Version.objects.get_deleted(Section).select_related("revision", "revision__user")
    found = []
    for version in versions.order_by("-revision__date_created"):
        instance = version._object_version.object
        if briefing_id is None or instance.briefing_id == briefing_id:
            found.append(Deleted(version, instance, instance.briefing_id))
    titles = dict(
        Briefing.objects.filter(pk__in={d.briefing_id for d in found}).values_list("pk", "title")
    )
    # Sections of a deleted document come back with the document, not one by one.
    found = [item for item in found if item.briefing_id in titles]
    for item in found:
        item.briefing_title = titles[item.briefing_id]
    return found


def deleted_documents() -> list[Deleted]:
    versions = Version.objects.get_deleted(Briefing).select_related("revision", "revision__user")
    found = []
    for version in versions.order_by("-revision__date_created"):
        instance = version._object_version.object
        found.append(Deleted(version, instance, instance.pk, instance.title))
    return found


# ---- review dates -------------------------------------------------------------------------------

REVIEW_STATES = {
    "attention": "Due for review: overdue, due within "
    f"{REVIEW_DUE_WITHIN_DAYS} days or never reviewed",
    "overdue": "Overdue",
    "due": f"Due within {REVIEW_DUE_WITHIN_DAYS} days",
    "not-due": "Not due",
    "no-date": "No review date",
}


def in_review_state(queryset, state: str | None, today=None):
    """The documents of ``queryset`` in one of the ``REVIEW_STATES`` (all of them for None)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REVIEW_DUE_WITHIN_DAYS)
    filters = {
        "overdue": models.Q(next_review_due__lt=today),
        "due": models.Q(next_review_due__gte=today, next_review_due__lte=soon),
        "not-due": models.Q(next_review_due__gt=soon),
        "no-date": models.Q(next_review_due__isnull=True),
        "attention": models.Q(next_review_due__lte=soon)
        | models.Q(next_review_due__isnull=True)
        | models.Q(last_reviewed__isnull=True),
    }
    return queryset.filter(filters[state]) if state in filters else queryset


def review_state(briefing, today=None) -> str:
    """A document's review in words, for the admin's list: "Overdue by 12 days", ..."""
    today = today or timezone.localdate()
    due = briefing.next_review_due
    never = "" if briefing.last_reviewed else " (never reviewed)"
    if due is None:
        return f"No review date{never}"
    days = (due - today).days
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}{never}"
    if days <= REVIEW_DUE_WITHIN_DAYS:
        return f"Due {'today' if not days else f'in {days} days'}{never}"
    return f"Not due{never}"


@dataclass
class ReviewReport:
    today: datetime.date
    days: int
    overdue: list[Briefing] = field(default_factory=list)
    due: list[Briefing] = field(default_factory=list)
    undated: int = 0


def review_report(days: int = REVIEW_DUE_WITHIN_DAYS, today=None) -> ReviewReport:
    """Documents whose review is overdue, or due within ``days``, each list oldest first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    listed = list(Briefing.objects.due_for_review(horizon).order_by("next_review_due", "title"))
    return ReviewReport(
        today=today,
        days=days,
        overdue=[b for b in listed if b.next_review_due < today],
        due=[b for b in listed if b.next_review_due >= today],
        undated=Briefing.objects.filter(next_review_due__isnull=True).count(),
    )
