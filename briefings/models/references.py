"""The works the documents cite, as each document prints them, and the glossary of terms.

Every stored value has one owner. What a document prints is the document's: its ``Citation`` of a
work holds the entry as printed and the work's fields as that document gives them, and the
document's own glossary is ``Briefing.glossary``. What documents share, a ``Reference`` (the
work's identity, for "cited in" across documents and the /references/ index) and a
``GlossaryTerm``, is derived from those: its fields are the ones the earliest-published document
gives (then the lowest slug), whichever file was imported or saved last. The derivation runs when
a citation or a document is saved, so admin edits, imports and reverts keep it in step.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from ..rendering import MarkdownField, RendersMarkdown

# A work's bibliographic fields, held by each citation as printed and by the reference as derived.
WORK_FIELDS = ("authors", "year", "title", "publisher", "journal", "url")


def earliest_published(prefix=""):
    """The order in which documents give shared values: earliest publication date first.

    An undated document (or month) comes after the dated ones; the slug breaks ties, so the order
    never depends on which row was written last."""
    return [
        F(f"{prefix}published_year").asc(nulls_last=True),
        F(f"{prefix}published_month").asc(nulls_last=True),
        f"{prefix}slug",
    ]


class ReferenceQuerySet(models.QuerySet):
    def derive_from_citations(self) -> int:
        """Give each reference the fields of its citation in the earliest-published document.

        A reference no document cites keeps the fields it has. Returns how many changed."""
        first = {}
        citations = (
            Citation.objects.filter(reference__in=self)
            .order_by(*earliest_published("briefing__"), "local_key")
            .values("reference_id", *WORK_FIELDS)
        )
        for row in citations:
            first.setdefault(row.pop("reference_id"), row)
        changed = 0
        for pk, *current in self.filter(pk__in=list(first)).values_list("pk", *WORK_FIELDS):
            values = first[pk]
            if list(values.values()) != current:
                # Without signals: nothing public shows these fields (the references page
                # shows a published citation's), and the citation's own save has announced
                # the change to the page cache and the search index.
                Reference.objects.filter(pk=pk).update(**values)
                changed += 1
        return changed


class Reference(models.Model):
    """One cited work, shared by every briefing that cites it.

    Its fields are derived (see the module's docstring): edit a document's citation, not these."""

    key = models.SlugField(max_length=200, unique=True, help_text="The work's identity.")
    authors = models.CharField(max_length=500)
    year = models.CharField(max_length=10)
    title = models.TextField(max_length=1000)
    publisher = models.CharField(max_length=300, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["authors", "year"]

    def __str__(self):
        return f"{self.authors} ({self.year}) {self.title}"

    @property
    def first_author(self):
        return self.authors.split(",")[0].strip()


class Citation(RendersMarkdown, models.Model):
    """A briefing's record of a work it cites: the label, the entry as printed and the work's
    fields as this document gives them."""

    briefing = models.ForeignKey(
        "briefings.Briefing", on_delete=models.CASCADE, related_name="citations"
    )
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="citations")
    local_key = models.SlugField(max_length=120, help_text="Used in cite: links in this document.")
    label = models.CharField(max_length=200, blank=True, help_text="E.g. “Coy, 2016a”.")
    entry = models.TextField(help_text="The reference as this document prints it (Markdown).")
    entry_html = models.TextField(blank=True, editable=False)
    listed = models.BooleanField(default=True, help_text="In the document's printed list.")
    order = models.PositiveIntegerField(default=0)
    # The work as this document gives it; a new citation starts from the reference's fields.
    authors = models.CharField(max_length=500, blank=True)
    year = models.CharField(max_length=10, blank=True)
    title = models.TextField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)

    markdown_fields = (MarkdownField("entry", "entry_html", inline=True, cites=False),)

    class Meta:
        ordering = ["briefing", "order"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "local_key"], name="unique_citation_key"),
            models.UniqueConstraint(
                fields=["briefing", "reference"], name="unique_citation_reference"
            ),
        ]

    def __str__(self):
        return f"{self.briefing.slug}: {self.local_key}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_reference_id = instance.__dict__.get("reference_id")
        return instance

    def clean(self):
        self.check_markdown_lengths()

    def save(self, *args, derive=True, **kwargs):
        """``derive=False`` leaves the shared reference to the caller (the importer derives
        every reference it touched once, at the end)."""
        if self._state.adding and not any(getattr(self, name) for name in WORK_FIELDS):
            for name in WORK_FIELDS:
                setattr(self, name, getattr(self.reference, name))
        self.render_markdown_fields()
        super().save(*args, **kwargs)
        affected = {self.reference_id, getattr(self, "_loaded_reference_id", None)} - {None}
        self._loaded_reference_id = self.reference_id
        if derive:
            Reference.objects.filter(pk__in=affected).derive_from_citations()


@receiver(post_delete, sender=Citation, dispatch_uid="references.citation_deleted")
def _citation_deleted(sender, instance, **kwargs):
    # The reference itself stays (PROTECT, and an older revision may cite it again).
    Reference.objects.filter(pk=instance.reference_id).derive_from_citations()


class GlossaryTermQuerySet(models.QuerySet):
    def public(self, now=None):
        """Terms readers may see: defined by a published document, or by no document at all (a
        term an editor added in the admin). A term only a draft defines stays hidden."""
        # The defining model is reached through the relation, not imported: documents.py
        # imports this module, so an import back would make the two a cycle.
        briefings = self.model.defined_in.field.model
        definitions = self.model.defined_in.through.objects.filter(glossaryterm=OuterRef("pk"))
        return self.filter(
            ~Exists(definitions)
            | Exists(definitions.filter(briefing__in=briefings.objects.published(now)))
        )

    def derive_from_documents(self) -> int:
        """Give each term the expansion and note of the earliest-published document defining it.
        Returns how many changed."""
        changed = 0
        for term in self:
            for briefing in term.defined_in.order_by(*earliest_published()):
                entry = next(
                    (e for e in glossary_entries(briefing) if e["term"] == term.term), None
                )
                if entry is None:
                    continue
                values = {"expansion": entry.get("expansion", ""), "note": entry.get("note", "")}
                if any(getattr(term, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(term, name, value)
                    term.save()
                    changed += 1
                break
        return changed


class GlossaryTerm(models.Model):
    """A term of the glossary; its expansion and note are derived from the documents that
    define it (``Briefing.glossary``), or set in the admin for a term no document defines."""

    term = models.CharField(max_length=40, unique=True)
    expansion = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True)

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term}: {self.expansion}"


def glossary_entries(briefing) -> list[dict]:
    """The entries of a document's glossary that name a term (whatever else the field holds)."""
    glossary = briefing.glossary if isinstance(briefing.glossary, list) else []
    return [e for e in glossary if isinstance(e, dict) and isinstance(e.get("term"), str)]


def sync_glossary_terms(briefing):
    """Make the shared glossary hold the terms ``briefing.glossary`` defines.

    A term no document defined before is created; the terms the document defines, or stopped
    defining, take their values from the earliest-published document that defines them; a term
    this document was the last to define is deleted, so it cannot linger in the public glossary.
    """
    entries = glossary_entries(briefing)
    existing = {
        t.term: t for t in GlossaryTerm.objects.filter(term__in=[e["term"] for e in entries])
    }
    for entry in entries:
        if entry["term"] not in existing:
            existing[entry["term"]] = GlossaryTerm.objects.create(
                term=entry["term"],
                expansion=entry.get("expansion", ""),
                note=entry.get("note", ""),
            )
    wanted = {t.pk for t in existing.values()}
    before = set(briefing.glossary_terms.values_list("pk", flat=True))
    if wanted != before:
        briefing.glossary_terms.set(wanted)
    GlossaryTerm.objects.filter(pk__in=wanted | before).derive_from_documents()
    GlossaryTerm.objects.filter(pk__in=before - wanted, defined_in=None).delete()


@receiver(pre_delete, sender="briefings.Briefing", dispatch_uid="documents.briefing_deleting")
def _remember_glossary(sender, instance, **kwargs):
    instance._defined_term_ids = list(instance.glossary_terms.values_list("pk", flat=True))


@receiver(post_delete, sender="briefings.Briefing", dispatch_uid="documents.briefing_deleted")
def _forget_glossary(sender, instance, **kwargs):
    terms = GlossaryTerm.objects.filter(pk__in=getattr(instance, "_defined_term_ids", []))
    terms.derive_from_documents()
    terms.filter(defined_in=None).delete()
