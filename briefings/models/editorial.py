"""Change notes: what readers are told changed on a document (GOV.UK's "Updates to this page").

Only changes readers should know about leave a note; a minor change (a typo, formatting) is recorded
in the document's revision history for editors but says nothing to readers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .documents import Briefing

NOTE_MAX_LENGTH = 1000


class ChangeNoteQuerySet(models.QuerySet):
    def shown(self, now=None):
        """For a document's "Updates to this page": public notes dated up to now, newest first."""
        return self.filter(public=True, created__lte=now or timezone.now()).order_by(
            "-created", "-pk"
        )

    def public(self, now=None):
        """Notes readers may see: public ones of published documents, and not dated ahead."""
        now = now or timezone.now()
        return self.filter(
            public=True, created__lte=now, briefing__in=Briefing.objects.published(now)
        )


class ChangeNote(models.Model):
    class Kind(models.TextChoices):
        FIRST_PUBLISHED = "published", "First published"
        UPDATE = "update", "Update"

    briefing = models.ForeignKey(
        "briefings.Briefing", on_delete=models.CASCADE, related_name="change_notes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    created = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="When readers are told it changed."
    )
    note = models.TextField(
        max_length=NOTE_MAX_LENGTH, help_text="Plain text, shown to readers as written."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public = models.BooleanField(
        default=True, help_text="Untick to withdraw a note published by mistake."
    )

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.briefing}: {self.note[:60]}"

    def get_absolute_url(self):
        base = self.briefing.get_absolute_url()
        return f"{base}#updates" if base else ""
