"""Document revisions: what is recorded when a document changes, and how to go back.

django-reversion stores the revisions. A document's revision holds the briefing and everything an
editor edits with it (its sections, key messages and citations, and their themes), so any revision
can be shown whole, compared with another, or restored.

Restoring does not write the stored rows back raw. Each object is saved through its own ``save()``
with its primary key kept, so the Markdown is rendered again, quotes and citation indexes are
derived again, a restored section keeps its permanent link ``/s/<id>/``, a reverted heading leaves
its old slug redirecting, and every ``post_save`` listener (search index, cache) hears of the
change like any other edit. A restore renders every text before its transaction opens
(``DocumentState.prerender``), so the write lock is never held while Markdown renders.

The editorial services (``services.py``) are the way in; the reads are in ``selectors.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from reversion.models import Revision

from ..models import (
    Briefing,
    Citation,
    KeyMessage,
    Reference,
    Role,
    Section,
    Series,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)
from .selectors import describe_revision, document_versions

BASELINE_COMMENT = (
    "Starting point: the document as it was before its first edit in the admin "
    "(for example, as imported from the content files)."
)


class RevisionError(Exception):
    """A revision could not be restored; the message is written for the editor."""


def register_models():
    """Tell django-reversion what a document revision holds. Idempotent."""
    follows = [
        (Briefing, ("sections", "key_messages", "citations"), ()),
        (Section, ("themedsection_set",), ("themes",)),
        (KeyMessage, ("themedkeymessage_set",), ("themes",)),
        (Citation, (), ()),
        (ThemedSection, (), ()),
        (ThemedKeyMessage, (), ()),
    ]
    for model, follow, exclude in follows:
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow, exclude=exclude)


# ---- a document's state, from a revision or from the database --------------------------------


@dataclass
class Item:
    """One object of a document as a revision stored it (or as it is now)."""

    instance: models.Model
    m2m: dict = field(default_factory=dict)

    @property
    def pk(self):
        return self.instance.pk


@dataclass
class DocumentState:
    briefing: Item
    sections: dict[int, Item] = field(default_factory=dict)
    key_messages: dict[int, Item] = field(default_factory=dict)
    citations: dict[int, Item] = field(default_factory=dict)
    section_themes: dict[int, list[int]] = field(default_factory=dict)
    key_message_themes: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def from_revision(cls, revision, briefing_id) -> DocumentState | None:
        """The document as ``revision`` recorded it, or None if the revision does not hold it."""
        versions = list(revision.version_set.all())
        by_model = defaultdict(list)
        for version in versions:
            model = version._model
            if model is not None:
                deserialized = version._object_version
                by_model[model].append(Item(deserialized.object, deserialized.m2m_data or {}))
        briefing = next((i for i in by_model[Briefing] if i.pk == briefing_id), None)
        if briefing is None:
            return None
        state = cls(briefing=briefing)
        for model, target in (
            (Section, state.sections),
            (KeyMessage, state.key_messages),
            (Citation, state.citations),
        ):
            for item in by_model[model]:
                if item.instance.briefing_id == briefing_id:
                    target[item.pk] = item
        for item in by_model[ThemedSection]:
            if item.instance.content_object_id in state.sections:
                state.section_themes.setdefault(item.instance.content_object_id, []).append(
                    item.instance.tag_id
                )
        for item in by_model[ThemedKeyMessage]:
            if item.instance.content_object_id in state.key_messages:
                state.key_message_themes.setdefault(item.instance.content_object_id, []).append(
                    item.instance.tag_id
                )
        return state

    def prerender(self, sections=None):
        """Render every text a restore of this state (or of ``sections`` only) will save.

        A whole document is restored with its own citations, so its texts are rendered against
        them; a single section is restored into the document as it is now.
        """
        try:
            self._prerender(sections)
        except ValidationError as exc:
            raise RevisionError(
                "This version has a text longer than today's limit, so it cannot be restored: "
                + " ".join(exc.messages)
            ) from exc

    def _prerender(self, sections):
        if sections is not None:
            for pk in sections:
                self.sections[pk].instance.prerender()
            return
        citations = [item.instance for item in self.citations.values()]
        references = Reference.objects.in_bulk({c.reference_id for c in citations})
        for citation in citations:
            if citation.reference_id in references:  # else the restore refuses it anyway
                citation.reference = references[citation.reference_id]
            citation.prerender()
        own = [c for c in citations if c.reference_id in references]
        briefing = self.briefing.instance
        resolver = briefing.citation_resolver(citations=own)
        briefing.prerender(resolver)
        for item in [*self.sections.values(), *self.key_messages.values()]:
            item.instance.prerender(resolver)

    @classmethod
    def from_database(cls, briefing) -> DocumentState:
        state = cls(
            briefing=Item(
                briefing, {"audiences": list(briefing.audiences.values_list("pk", flat=True))}
            )
        )
        state.sections = {s.pk: Item(s) for s in Section.objects.filter(briefing=briefing)}
        state.key_messages = {k.pk: Item(k) for k in KeyMessage.objects.filter(briefing=briefing)}
        state.citations = {c.pk: Item(c) for c in Citation.objects.filter(briefing=briefing)}
        for section_id, tag_id in ThemedSection.objects.filter(
            content_object__briefing=briefing
        ).values_list("content_object_id", "tag_id"):
            state.section_themes.setdefault(section_id, []).append(tag_id)
        for message_id, tag_id in ThemedKeyMessage.objects.filter(
            content_object__briefing=briefing
        ).values_list("content_object_id", "tag_id"):
            state.key_message_themes.setdefault(message_id, []).append(tag_id)
        return state


# ---- recording ---------------------------------------------------------------------------------


def document_objects(briefing) -> list[models.Model]:
    """Everything a document revision holds, children before the briefing."""
    return [
        *ThemedSection.objects.filter(content_object__briefing=briefing).order_by("pk"),
        *ThemedKeyMessage.objects.filter(content_object__briefing=briefing).order_by("pk"),
        *Section.objects.filter(briefing=briefing).order_by("pk"),
        *KeyMessage.objects.filter(briefing=briefing).order_by("pk"),
        *Citation.objects.filter(briefing=briefing).order_by("pk"),
        briefing,
    ]


def record_document(briefing):
    """Add the document's current state, whole, to the active revision.

    Children are added before the briefing so the briefing's own follow finds them already
    recorded, and each object is serialised as it is now, after every save in the request.
    """
    for obj in document_objects(briefing):
        reversion.add_to_revision(obj)


class ImportRevisions:
    """Record a document that an import changes, so the change can be undone in the admin.

    Made before the import writes anything: a document with no revision gets its starting point
    then, while it is still as it was. After the writes, each document that changed gets a
    revision naming the file; a starting point made for a document that did not change is
    removed again, so an import that changes nothing records nothing. A new document gets no
    revision: its starting point is made at its first edit in the admin, as for any other.
    """

    def __init__(self, comments: dict[str, str]):
        """`comments`: for each document's slug, the comment its revision will carry."""
        self.before, self.baselines, self.comments = {}, {}, {}
        for briefing in Briefing.objects.filter(slug__in=list(comments)):
            self.before[briefing.pk] = self.fingerprint(briefing)
            self.comments[briefing.pk] = comments[briefing.slug]
            if ensure_baseline(briefing):
                self.baselines[briefing.pk] = document_versions(briefing).first().revision_id

    @staticmethod
    def fingerprint(briefing) -> str:
        return serializers.serialize("json", document_objects(briefing))

    def record(self) -> int:
        """Record the documents that changed; return how many."""
        recorded = 0
        for briefing in Briefing.objects.filter(pk__in=list(self.before)):
            if self.fingerprint(briefing) == self.before[briefing.pk]:
                Revision.objects.filter(pk=self.baselines.get(briefing.pk)).delete()
                continue
            with reversion.create_revision():
                reversion.set_comment(self.comments[briefing.pk])
                record_document(briefing)
            recorded += 1
        return recorded


def ensure_baseline(briefing) -> bool:
    """Record the document as it is now if no revision holds it yet.

    Content imported from the files (or edited before revisions existed) has no revision, so
    without a starting point the first edit in the admin could never be undone and a section
    deleted in it could never be recovered. Must run outside any active revision.
    """
    if document_versions(briefing).exists():
        return False
    last_change = Section.objects.filter(briefing=briefing).aggregate(m=Max("updated"))["m"]
    when = max(filter(None, [briefing.updated, last_change]), default=timezone.now())
    with reversion.create_revision():
        reversion.set_comment(BASELINE_COMMENT)
        reversion.set_date_created(when)
        record_document(briefing)
    return True


# ---- restoring ---------------------------------------------------------------------------------


def _save_until_done(items, save):
    """Save items, retrying those that collide with a row not yet restored.

    A revert can swap two sections' slugs or keys: whichever is saved first collides with the
    other's current value. Each save runs in a savepoint, and the failures are retried once the
    others are in place; a collision that never resolves is a real conflict.
    """
    pending = list(items)
    while pending:
        failed = []
        last_error = None
        for item in pending:
            try:
                with transaction.atomic():
                    save(item)
            except IntegrityError as exc:
                failed.append(item)
                last_error = exc
        if len(failed) == len(pending):
            names = ", ".join(f"“{item.instance}”" for item in failed)
            raise RevisionError(
                f"Could not restore {names}: another item now uses the same key or slug. "
                "Change that item first, then try again."
            ) from last_error
        pending = failed


def _save_section(state, themes):
    def save(item):
        item.instance.save()
        item.instance.themes.set(
            [themes[t] for t in state.section_themes.get(item.pk, []) if t in themes]
        )

    return save


def _save_key_message(state, themes):
    def save(item):
        item.instance.save()
        item.instance.themes.set(
            [themes[t] for t in state.key_message_themes.get(item.pk, []) if t in themes]
        )

    return save


def _check_dependencies(state):
    """Things a revision points at that are not part of the document and may have gone since."""
    wanted = {c.instance.reference_id for c in state.citations.values()}
    missing = wanted - set(Reference.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing:
        raise RevisionError(
            "This version cites a reference that has since been deleted, so it cannot be restored."
        )
    b = state.briefing.instance
    if b.series_id and not Series.objects.filter(pk=b.series_id).exists():
        b.series_id = None


def apply_state(state: DocumentState, sections=None):
    """Make the database hold ``state``: delete what it lacks, save what it has.

    ``sections`` limits a restore to those section ids (recovering a deleted section); the rest of
    the document is then left alone.
    """
    _check_dependencies(state)
    briefing_id = state.briefing.pk
    themes = {t.pk: t for t in Theme.objects.all()}
    if sections is None:
        extra = list(
            Section.objects.filter(briefing_id=briefing_id)
            .exclude(pk__in=state.sections)
            .values_list("pk", flat=True)
        )
        # Deleting a section cascades to its sub-sections: detach the ones being kept first.
        Section.objects.filter(parent_id__in=extra, pk__in=state.sections).update(parent=None)
        for section in Section.objects.filter(pk__in=extra, parent__isnull=False):
            section.delete()
        for section in Section.objects.filter(pk__in=extra):
            section.delete()
        for message in KeyMessage.objects.filter(briefing_id=briefing_id).exclude(
            pk__in=state.key_messages
        ):
            message.delete()
        for citation in Citation.objects.filter(briefing_id=briefing_id).exclude(
            pk__in=state.citations
        ):
            citation.delete()
        # Citations first: the introduction and sections render their citation links from them.
        # A recovered document's row does not exist yet, so each citation is given the document
        # itself, for anything that names the citation (reversion does) before it is saved.
        briefing = state.briefing.instance
        for item in state.citations.values():
            item.instance.briefing = briefing
        _save_until_done(state.citations.values(), lambda item: item.instance.save())
        try:
            with transaction.atomic():
                briefing.save()
        except IntegrityError as exc:
            raise RevisionError(
                f"Another document now uses the address /documents/{briefing.slug}/: "
                "change its slug first, then try again."
            ) from exc
        roles = set(Role.objects.filter(pk__in=state.briefing.m2m.get("audiences", [])))
        briefing.audiences.set(roles)
        section_items = list(state.sections.values())
        messages = list(state.key_messages.values())
    else:
        section_items = [state.sections[pk] for pk in sections]
        messages = []
    # Parents before sub-sections, in document order.
    section_items.sort(key=lambda i: (i.instance.parent_id is not None, i.instance.order))
    _save_until_done(section_items, _save_section(state, themes))
    _save_until_done(messages, _save_key_message(state, themes))


def revert_document(briefing, version, user, comment="", then=None):
    """Restore the document to ``version`` (one of its versions), recorded as a new revision.

    ``then()``, if given, runs in the same transaction after the restore.
    """
    state = DocumentState.from_revision(version.revision, briefing.pk)
    if state is None:
        raise RevisionError("That revision does not hold this document.")
    state.prerender()
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            comment or f"Reverted to the version of {describe_revision(version.revision)}."
        )
        apply_state(state)
        briefing.refresh_from_db()
        record_document(briefing)
        if then is not None:
            then()
    return briefing


# ---- recovering deleted documents and sections -----------------------------------------------


def recover_section(version, user):
    """Bring a deleted section back, with the same id (so its permanent link works again).

    Sub-sections deleted with it come back too. Returns the section.
    """
    if version._model is not Section:
        raise RevisionError("That is not a version of a section.")
    section = version._object_version.object
    if Section.objects.filter(pk=section.pk).exists():
        raise RevisionError(f"“{section}” is not deleted.")
    briefing = Briefing.objects.filter(pk=section.briefing_id).first()
    if briefing is None:
        raise RevisionError(
            f"The document “{section}” belonged to was deleted too: recover the document instead."
        )
    if section.parent_id and not Section.objects.filter(pk=section.parent_id).exists():
        raise RevisionError(
            f"“{section}” is a sub-section of a deleted section: recover that section first."
        )
    state = DocumentState.from_revision(version.revision, briefing.pk)
    existing = set(Section.objects.filter(pk__in=state.sections).values_list("pk", flat=True))
    restore = [section.pk] + [
        pk
        for pk, item in state.sections.items()
        if item.instance.parent_id == section.pk and pk not in existing
    ]
    state.prerender(sections=restore)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Recovered the deleted section “{section}”.")
        apply_state(state, sections=restore)
        record_document(briefing)
    return Section.objects.get(pk=section.pk)


def recover_document(version, user):
    """Bring a deleted document back as its last revision held it, with the same ids."""
    if version._model is not Briefing:
        raise RevisionError("That is not a version of a document.")
    briefing_id = int(version.object_id)
    if Briefing.objects.filter(pk=briefing_id).exists():
        raise RevisionError("That document is not deleted.")
    state = DocumentState.from_revision(version.revision, briefing_id)
    slug = state.briefing.instance.slug
    if Briefing.objects.filter(slug=slug).exists():
        raise RevisionError(
            f"Another document now uses the address /documents/{slug}/: change its slug first."
        )
    state.prerender()
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Recovered the deleted document “{state.briefing.instance}”.")
        apply_state(state)
        briefing = Briefing.objects.get(pk=briefing_id)
        record_document(briefing)
    return briefing


def record_deletion(briefing, user, comment):
    """Record the document after one of its parts was deleted outside its own change form."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        record_document(briefing)
