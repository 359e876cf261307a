"""What the documents share: the roles they are written for, the themes that link them, the
series they belong to; and the one way a row's page address is made."""

from __future__ import annotations

import logging

from django.db import models
from django.urls import NoReverseMatch, reverse
from taggit.models import TagBase

logger = logging.getLogger(__name__)


def address(viewname, *args, row) -> str:
    """The URL of a row's page, or "" if the row's slug cannot be part of a URL.

    Content the importer or the admin writes always can; a row written some other way (a
    script, an old backup) may not. One such row must not take down every page that links to
    it: its link goes nowhere, and the log says which row to correct.
    """
    try:
        return reverse(viewname, args=args)
    except NoReverseMatch:
        logger.warning(
            "No address for %s %r: its slug cannot be part of a URL", row._meta.model_name, row.pk
        )
        return ""


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Role(models.Model):
    """An audience of the guidance: the professions a document is written for."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, help_text="Plural, as in a menu: “Social workers”.")
    person = models.CharField(
        max_length=80, help_text="Completes “I am a…”: “police officer”, “social worker”."
    )
    description = models.TextField(blank=True, max_length=1000)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("briefings:role", self.slug, row=self)


class Theme(TagBase):
    """A theme the documents share, applied to sections and key messages (a django-taggit tag)."""

    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return address("briefings:theme", self.slug, row=self)


class Series(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self):
        return self.name
