"""What the documents share: themes, roles, references, the glossary and series."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from ..models import GlossaryTerm, Reference, Role, Series, SeriesTitle, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
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
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["authors", "year", "title", "citation_count"]
    search_fields = ["authors", "title", "year", "publisher", "journal"]

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
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion", "note"]
    search_fields = ["term", "expansion"]


class SeriesTitleInline(admin.TabularInline):
    model = SeriesTitle
    extra = 0


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name"]
    inlines = [SeriesTitleInline]
    prepopulated_fields = {"slug": ["name"]}
