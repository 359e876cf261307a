"""The works the documents cite, as each document prints them, and the glossary of terms."""

from __future__ import annotations

from django.db import models

from ..rendering import MarkdownField, RendersMarkdown


class Reference(models.Model):
    """One cited work, shared by every briefing that cites it."""

    key = models.SlugField(max_length=200, unique=True, help_text="The work's identity.")
    authors = models.CharField(max_length=500)
    year = models.CharField(max_length=10)
    title = models.TextField(max_length=1000)
    publisher = models.CharField(max_length=300, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["authors", "year"]

    def __str__(self):
        return f"{self.authors} ({self.year}) {self.title}"

    @property
    def first_author(self):
        return self.authors.split(",")[0].strip()


class Citation(RendersMarkdown, models.Model):
    """A briefing's record of a work it cites, with the label and entry text it prints."""

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

    def clean(self):
        self.check_markdown_lengths()

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        super().save(*args, **kwargs)


class GlossaryTerm(models.Model):
    term = models.CharField(max_length=40, unique=True)
    expansion = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term}: {self.expansion}"
