"""The content model, shaped after the research briefings it carries.

A Briefing is one document. Its text lives in ordered Sections (with optional sub-sections) and an
ordered list of KeyMessages. Young people's Quotes and the References a section cites are derived
from the section's Markdown when it is saved, so the Markdown stays the single source of truth and
an editor never has to keep two copies in step.
"""

from __future__ import annotations

import calendar
import copy
import logging

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from ..markdown import ResolvedCitation
from ..rendering import MarkdownField, RendersMarkdown
from .references import Citation, Reference, sync_glossary_terms
from .taxonomy import Role, Series, Status, Theme, address

logger = logging.getLogger(__name__)


class ThemedSection(TaggedItemBase):
    content_object = models.ForeignKey("Section", on_delete=models.CASCADE)
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="section_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_section_theme")
        ]


class ThemedKeyMessage(TaggedItemBase):
    content_object = models.ForeignKey("KeyMessage", on_delete=models.CASCADE)
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="key_message_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_key_message_theme"
            )
        ]


class BriefingQuerySet(models.QuerySet):
    def published(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Status.PUBLISHED).filter(
            Q(publish_from__isnull=True) | Q(publish_from__lte=now)
        )

    def for_role(self, role):
        if role is None:
            return self
        return self.filter(audiences=role)

    def due_for_review(self, today=None):
        today = today or timezone.localdate()
        return self.filter(next_review_due__isnull=False, next_review_due__lte=today)


class Briefing(RendersMarkdown, models.Model):
    """A document of the series: a research briefing or the factsheet. Readers and editors say
    "document" (docs/architecture.md, Words); the class keeps its first name because its tables,
    migrations and stored revisions carry it."""

    class Kind(models.TextChoices):
        RESEARCH_BRIEFING = "research-briefing", "Research briefing"
        FACTSHEET = "factsheet", "Factsheet"

    title = models.CharField(max_length=250, help_text="The full title, as printed.")
    short_title = models.CharField(
        max_length=100,
        blank=True,
        help_text="The distinguishing part of the title, as printed (“Police”), for cards, "
        "breadcrumbs and navigation. Empty: the full title is used.",
    )
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.RESEARCH_BRIEFING)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="briefings"
    )
    series_title = models.CharField(
        max_length=200, blank=True, help_text="How the series’ “also available” lists name it."
    )
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.CharField(max_length=300, blank=True, help_text="As printed.")
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)
    published_month = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(m, calendar.month_name[m]) for m in range(1, 13)]
    )
    intro = models.TextField(blank=True, help_text="Markdown.")
    intro_html = models.TextField(blank=True, editable=False)
    audiences = models.ManyToManyField(Role, related_name="briefings", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_from = models.DateTimeField(
        null=True, blank=True, help_text="Optional: stays hidden until this time."
    )
    has_reference_list = models.BooleanField(
        default=True, help_text="Untick when the source prints no reference list."
    )
    source_file = models.CharField(max_length=200, blank=True)
    source_note = models.TextField(
        blank=True, help_text="Markdown: publisher, copyright and contact details as printed."
    )
    source_note_html = models.TextField(blank=True, editable=False)
    also_available = models.JSONField(
        default=list, blank=True, help_text="The series titles this document lists, in its order."
    )
    glossary = models.JSONField(
        default=list,
        blank=True,
        help_text="The terms this document defines: a list of {term, expansion, note}.",
    )
    # Derived from ``glossary`` on save: which shared terms this document defines.
    glossary_terms = models.ManyToManyField(
        "GlossaryTerm", related_name="defined_in", blank=True, editable=False
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = BriefingQuerySet.as_manager()
    markdown_fields = (
        MarkdownField("intro", "intro_html"),
        MarkdownField("source_note", "source_note_html", cites=False),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "document"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("briefings:document", self.slug, row=self)

    @property
    def short_name(self):
        """What cards, breadcrumbs and navigation call the document; the page heading and
        citations keep the full title."""
        return self.short_title or self.title

    @property
    def publication_date(self):
        if not self.published_year:
            return "Undated"
        if self.published_month in range(1, 13):
            return f"{calendar.month_name[self.published_month]} {self.published_year}"
        return str(self.published_year)

    def clean(self):
        if self.published_month and not self.published_year:
            raise ValidationError({"published_month": "A month needs a year."})
        self.check_markdown_lengths()

    def citation_resolver(self, citations=None):
        """Map a citation key in this briefing's Markdown to the reference it cites.

        ``KEY`` is a key of this briefing's own reference list; ``SLUG/KEY`` names another
        briefing's. Citations to a work the briefing does not list point at the portal's reference
        index, so the link always lands on the work. ``citations``: the briefing's own, with their
        references, when not those in the database (a revision about to be restored).
        """
        if citations is None:
            citations = self.citations.select_related("reference") if self.pk else []
        own = {c.local_key: c for c in citations}
        doc_url = self.get_absolute_url()

        def resolve(key: str) -> ResolvedCitation | None:
            if "/" in key:
                slug, local = key.split("/", 1)
                citation = (
                    Citation.objects.select_related("reference")
                    .filter(briefing__slug=slug, local_key=local)
                    .first()
                )
            else:
                citation = own.get(key)
            if citation is None:
                return None
            reference = citation.reference
            listed = own.get(key) is not None or any(
                c.reference_id == reference.id and c.listed for c in own.values()
            )
            base = (
                doc_url if listed and self.has_reference_list else reverse("briefings:references")
            )
            return ResolvedCitation(href=f"{base}#ref-{reference.key}", reference_id=reference.id)

        return resolve

    def markdown_resolver(self):
        return self.citation_resolver()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = copy.deepcopy(
            {name: instance.__dict__.get(name) for name in SHARED_INPUTS}
        )
        return instance

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        loaded = getattr(self, "_loaded", None)
        super().save(*args, **kwargs)
        now = copy.deepcopy({name: getattr(self, name) for name in SHARED_INPUTS})
        if loaded != now:
            self._loaded = now
            # The shared records this document gives values to may take them from elsewhere now.
            sync_glossary_terms(self)
            Reference.objects.filter(citations__briefing=self).derive_from_citations()


# The fields a document's shared records (references, glossary terms) are derived from.
SHARED_INPUTS = ("published_year", "published_month", "slug", "glossary")


def published_section(now=None, through=""):
    """The condition on a section that readers may see it (SectionQuerySet.published), or,
    with `through` ("content_object__"), on a row that points at such a section: a query can
    then check the one section each row names rather than list every published section."""
    now = now or timezone.now()
    return Q(
        **{f"{through}status": Status.PUBLISHED},
        **{f"{through}briefing__in": Briefing.objects.published(now)},
    ) & (
        Q(**{f"{through}parent__isnull": True})
        | Q(**{f"{through}parent__status": Status.PUBLISHED})
    )


class SectionQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_section(now))

    def for_role(self, role):
        if role is None:
            return self
        return self.filter(briefing__audiences=role)

    def in_order(self):
        return self.order_by("briefing_id", "order")


class Section(RendersMarkdown, models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text="Leave empty for a top-level section.",
    )
    key = models.SlugField(
        max_length=100,
        help_text="Permanent identity within the document. Links survive heading changes.",
    )
    heading = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, blank=True, help_text="Anchor; made from the heading.")
    order = models.PositiveIntegerField(default=0, db_index=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    themes = TaggableManager(through=ThemedSection, blank=True, verbose_name="themes")
    cited_references = models.ManyToManyField(
        "Reference", related_name="citing_sections", blank=True, editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SectionQuerySet.as_manager()
    markdown_fields = (MarkdownField("body", "body_html"),)

    class Meta:
        ordering = ["briefing", "order"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "key"], name="unique_section_key"),
            models.UniqueConstraint(fields=["briefing", "slug"], name="unique_section_slug"),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return address("briefings:section", self.briefing.slug, self.slug, row=self)

    def get_permalink(self):
        return reverse("briefings:section_permalink", args=[self.pk])

    @property
    def level(self):
        return 3 if self.parent_id else 2

    def clean(self):
        self.check_markdown_lengths()
        if self.parent_id and self.parent.briefing_id != self.briefing_id:
            raise ValidationError({"parent": "The parent must be in the same document."})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Sub-sections cannot have sub-sections."})

    def markdown_resolver(self):
        return self.briefing.citation_resolver()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The slug as stored, so a save knows the old one even if the row was moved meanwhile.
        if "slug" in instance.__dict__:
            instance._loaded_slug = instance.slug
        return instance

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.heading)[:120] or self.key
        if not self.key:
            self.key = self.slug[:100]
        # The importer renders a body first to check it, and passes the result on.
        rendered = kwargs.pop("rendered", None)
        resolver = kwargs.pop("resolver", None)
        if rendered is None:
            rendered = self.render_markdown_fields(resolver)["body"]
        else:
            self.body_html = rendered.html
        previous_slug = None
        if hasattr(self, "_loaded_slug"):
            previous_slug = self._loaded_slug
        elif self.pk:
            previous_slug = (
                Section.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            )
        super().save(*args, **kwargs)
        self._loaded_slug = self.slug
        if previous_slug and previous_slug != self.slug:
            SectionSlugHistory.objects.update_or_create(
                briefing=self.briefing, slug=previous_slug, defaults={"section": self}
            )
        if previous_slug != self.slug:
            # A slug taken back by a section is no longer an old slug.
            SectionSlugHistory.objects.filter(briefing=self.briefing, slug=self.slug).delete()
        self._sync_derived(rendered)

    def _sync_derived(self, rendered):
        """Keep the quotes and citation index in step with the body just rendered."""
        existing = list(self.quotes.all())
        wanted = [(i, q.text, q.attribution) for i, q in enumerate(rendered.quotes)]
        if [(q.order, q.text, q.attribution) for q in existing] != wanted:
            self.quotes.all().delete()
            Quote.objects.bulk_create(
                Quote(section=self, order=i, text=text, attribution=attribution)
                for i, text, attribution in wanted
            )
        current = set(self.cited_references.values_list("id", flat=True))
        if current != set(rendered.cited_reference_ids):
            self.cited_references.set(rendered.cited_reference_ids)


class KeyMessageQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(briefing__in=Briefing.objects.published(now))

    def for_role(self, role):
        if role is None:
            return self
        return self.filter(briefing__audiences=role)


class KeyMessage(RendersMarkdown, models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="key_messages")
    key = models.SlugField(max_length=100, help_text="Permanent identity within the document.")
    order = models.PositiveIntegerField(default=0, db_index=True)
    text = models.TextField(help_text="Markdown, one paragraph.")
    text_html = models.TextField(blank=True, editable=False)
    themes = TaggableManager(through=ThemedKeyMessage, blank=True, verbose_name="themes")

    objects = KeyMessageQuerySet.as_manager()
    markdown_fields = (MarkdownField("text", "text_html", inline=True),)

    class Meta:
        ordering = ["briefing", "order"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "key"], name="unique_key_message_key")
        ]

    def __str__(self):
        return self.text if len(self.text) < 80 else self.text[:77] + "…"

    def get_permalink(self):
        return reverse("briefings:key_message_permalink", args=[self.pk])

    def get_absolute_url(self):
        base = self.briefing.get_absolute_url()
        return f"{base}#{self.anchor}" if base else ""

    @property
    def anchor(self):
        return f"km-{self.key}"

    def clean(self):
        self.check_markdown_lengths()

    def markdown_resolver(self):
        return self.briefing.citation_resolver()

    def save(self, *args, **kwargs):
        self.render_markdown_fields(kwargs.pop("resolver", None))
        super().save(*args, **kwargs)


class Quote(models.Model):
    """A young person's words, as quoted in a section, with the source's attribution.

    Derived from the section body on save (see docs/content-format.md): edit the section to
    change it.
    """

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="quotes")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    attribution = models.CharField(max_length=300)

    class Meta:
        ordering = ["section", "order"]

    def __str__(self):
        return f"“{self.text[:60]}…” ({self.attribution})"


class SectionSlugHistory(models.Model):
    """A slug a section used to have, so old links redirect to where the section is now."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=120)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["briefing", "slug"], name="unique_old_section_slug")
        ]
        verbose_name_plural = "section slug history"

    def __str__(self):
        return f"{self.slug} → {self.section.slug}"
