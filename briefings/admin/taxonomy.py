"""What the documents share: themes, roles, references, the glossary and series."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from ..models import GlossaryTerm, Reference, Role, Series, Theme
from ..models.references import WORK_FIELDS
from .conflicts import EditCheckMixin
from .forms import URL_FIELDS


@admin.register(Theme)
class ThemeAdmin(EditCheckMixin, admin.ModelAdmin):
    ordering = ["name"]
    list_display = ["name", "slug", "description", "section_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("section_items"))

    @admin.display(description="Sections", ordering="n")
    def section_count(self, obj):
        return obj.n


@admin.register(Reference)
class ReferenceAdmin(EditCheckMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["authors", "year", "title", "citation_count"]
    search_fields = ["authors", "title", "year", "publisher", "journal"]

    def get_readonly_fields(self, request, obj=None):
        # A cited work's fields are those its earliest-published citing document gives: edit
        # that document's citation instead.
        if obj is not None and obj.citations.exists():
            return WORK_FIELDS
        return ()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("citations"))

    @admin.display(description="Cited by documents", ordering="n")
    def citation_count(self, obj):
        return obj.n


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "person", "order"]
    list_editable = ["order"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(EditCheckMixin, admin.ModelAdmin):
    list_display = ["term", "expansion", "note"]
    search_fields = ["term", "expansion"]

    def get_readonly_fields(self, request, obj=None):
        # A term a document defines takes its expansion and note from the earliest-published
        # document defining it (Briefing.glossary): change it there.
        if obj is not None and obj.defined_in.exists():
            return ["term", "expansion", "note"]
        return ()


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
