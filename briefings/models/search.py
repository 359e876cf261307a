"""The search index: one denormalised row per searchable thing.

The row holds the text as readers see it (plain text of the rendered HTML) in four columns of
falling weight. The full-text structures live beside it and are maintained by the database in the
same transaction as the row (see migration 0004): an FTS5 external-content table kept in step by
triggers on SQLite, a generated weighted ``tsvector`` column with a GIN index on PostgreSQL.

Whether a row may be shown is decided when searching, from the live briefing and section rows, so
a draft or a briefing whose ``publish_from`` is still ahead never appears, whatever the index holds.
"""

from django.db import models


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        SECTION = "section", "Section"
        KEY_MESSAGE = "key-message", "Key message"
        QUOTE = "quote", "Young person’s words"
        REFERENCE = "reference", "Reference"
        GLOSSARY = "glossary", "Glossary term"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField(
        help_text="The section, key message, citation or glossary term this row indexes."
    )
    part = models.PositiveSmallIntegerField(default=0, help_text="A quote's place in its section.")
    briefing = models.ForeignKey(
        "briefings.Briefing", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        "briefings.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField(default=0, help_text="Reading order in the document.")
    title = models.TextField(blank=True, help_text="What the result is called on the page.")
    anchor = models.CharField(max_length=200, blank=True)
    # Indexed text, strongest evidence first: heading, key message, body, references and themes.
    heading = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    # Not text: the row's filter values as index words, so that the full-text index can apply a
    # filter itself (index.facet_tokens). Never shown, never matched by what a reader types.
    facets = models.TextField(blank=True, editable=False)

    class Meta:
        app_label = "briefings"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "part"], name="unique_search_entry"
            )
        ]
        indexes = [
            # Covers everything a search reads for each match before the page is chosen, so
            # SQLite never reads the long text columns of rows that are not shown.
            models.Index(
                fields=["id", "kind", "briefing", "section", "object_id", "position"],
                name="search_entry_match",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
