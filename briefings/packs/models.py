"""Trainer packs: a trainer's ordered selection of sections and key messages for one session.

A pack shows the guidance live: an item points at a section or key message, never a copy of its
text, so a pack always reads as the guidance reads today. When the guidance it points at is deleted
the item stays (its link set to NULL) and the pack says plainly that it is no longer available.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

# 12 random bytes: 96 bits, 16 URL-safe characters. Short enough to type from a handout, far too
# many to guess or enumerate.
TOKEN_BYTES = 12
TOKEN_LENGTH = 16
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16}"  # noqa: S105 - the shape of a token, not a secret

TITLE_MAX_LENGTH = 200
INTRODUCTION_MAX_LENGTH = 2000
CONTACT_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 1000
MAX_ITEMS = 60


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


class PackQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(visibility=Pack.Visibility.LISTED)

    def owned_by(self, user):
        return self.filter(owner=user)

    def with_item_count(self):
        return self.annotate(item_count=models.Count("items"))


class Pack(models.Model):
    class Visibility(models.TextChoices):
        UNLISTED = "unlisted", "Unlisted: only people with the link can see it"
        LISTED = "listed", "Listed: shown on the public list of packs"

    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    introduction = models.TextField(
        blank=True, max_length=INTRODUCTION_MAX_LENGTH, help_text="Plain text."
    )
    contact = models.CharField(
        blank=True,
        max_length=CONTACT_MAX_LENGTH,
        help_text="Plain text: how readers of the handout can reach the trainer.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="packs"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.UNLISTED
    )
    token = models.CharField(
        max_length=TOKEN_LENGTH,
        unique=True,
        default=new_token,
        editable=False,
        help_text="The secret part of the pack's link.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PackQuerySet.as_manager()

    class Meta:
        # The table the model had as a briefings model: moving the app moved no data.
        db_table = "briefings_pack"
        ordering = ["-updated"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("packs:pack", args=[self.token])

    def get_handout_url(self):
        return reverse("packs:handout", args=[self.token])

    def get_edit_url(self):
        return reverse("packs:edit", args=[self.token])

    @property
    def is_listed(self):
        return self.visibility == self.Visibility.LISTED

    @property
    def trainer_name(self):
        """The name the handout gives for its trainer: the name they set ("" when none). Never
        their username, which is how they sign in, not how they wish to be known."""
        return self.owner.get_full_name()


class PackItem(models.Model):
    class Kind(models.TextChoices):
        SECTION = "section", "Section"
        KEY_MESSAGE = "key_message", "Key message"

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    # The kind outlives the target: after a delete the pack still knows what used to be here.
    kind = models.CharField(max_length=12, choices=Kind.choices)
    section = models.ForeignKey(
        "briefings.Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pack_items",
    )
    key_message = models.ForeignKey(
        "briefings.KeyMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pack_items",
    )
    note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, help_text="Plain text: the trainer's note."
    )

    class Meta:
        db_table = "briefings_packitem"
        ordering = ["pack", "order", "id"]
        constraints = [
            # At most the target its kind names; none at all once that target has been deleted.
            models.CheckConstraint(
                condition=Q(kind="section", key_message__isnull=True)
                | Q(kind="key_message", section__isnull=True),
                name="pack_item_one_target",
            ),
            models.UniqueConstraint(fields=["pack", "section"], name="unique_pack_section"),
            models.UniqueConstraint(fields=["pack", "key_message"], name="unique_pack_key_message"),
        ]

    def __str__(self):
        target = self.target
        return str(target) if target is not None else f"{self.get_kind_display()} (deleted)"

    @property
    def target(self):
        return self.section if self.kind == self.Kind.SECTION else self.key_message
