from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from .editorial_admin import DocumentPartRevisionsMixin, DocumentRevisionsMixin
from .markdown import render_markdown
from .models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Quote,
    Reference,
    Role,
    Section,
    Series,
    SeriesTitle,
    Theme,
)

admin.site.site_header = "CSE guidance portal: editing"
admin.site.site_title = "CSE guidance portal"
admin.site.index_title = "Content"


class MarkdownWidget(forms.Textarea):
    """A textarea with a live preview rendered by the same function the site uses."""

    template_name = "admin/briefings/markdown_widget.html"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 12, "class": "vLargeTextField markdown-source", **(attrs or {})}
        )

    class Media:
        js = ["js/admin-preview.js"]
        css = {"all": ["css/admin.css"]}


class ThemesField(forms.ModelMultipleChoiceField):
    """Themes chosen from the taxonomy with the admin's type-ahead autocomplete."""

    def __init__(self, model, **kwargs):
        widget = AutocompleteSelectMultiple(model._meta.get_field("themes"), admin.site)
        super().__init__(queryset=Theme.objects.all(), required=False, widget=widget, **kwargs)


class SectionInlineForm(forms.ModelForm):
    themes = ThemesField(Section, help_text="Start typing a theme’s name.")

    class Meta:
        model = Section
        fields = ["order", "heading", "key", "slug", "parent", "status", "themes", "body"]
        widgets = {"body": MarkdownWidget()}


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionInlineForm
    extra = 0
    ordering = ["order"]
    show_change_link = True
    classes = ["collapse-sections"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            briefing_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(briefing_id=briefing_id or 0, parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeyMessageForm(forms.ModelForm):
    themes = ThemesField(KeyMessage)

    class Meta:
        model = KeyMessage
        fields = ["order", "text", "key", "themes"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}


class KeyMessageInline(admin.TabularInline):
    model = KeyMessage
    form = KeyMessageForm
    fields = ["order", "text", "key", "themes"]
    extra = 0
    ordering = ["order"]


class CitationInline(admin.TabularInline):
    model = Citation
    fields = ["order", "local_key", "reference", "label", "entry", "listed"]
    autocomplete_fields = ["reference"]
    extra = 0
    ordering = ["order"]


class BriefingForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = [
            "title",
            "short_title",
            "slug",
            "kind",
            "status",
            "publish_from",
            "audiences",
            "authors",
            "publisher",
            "published_year",
            "published_month",
            "series",
            "series_title",
            "also_available",
            "intro",
            "source_note",
            "has_reference_list",
            "source_file",
            "last_reviewed",
            "next_review_due",
        ]
        widgets = {"intro": MarkdownWidget(), "source_note": MarkdownWidget({"rows": 4})}


@admin.register(Briefing)
class BriefingAdmin(DocumentRevisionsMixin, admin.ModelAdmin):
    form = BriefingForm
    list_display = [
        "title",
        "kind",
        "status",
        "audience_list",
        "publication_date",
        "section_count",
        "updated",
    ]
    list_filter = ["status", "kind", "audiences", "sections__themes"]
    search_fields = ["title", "slug", "authors", "publisher", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["audiences"]
    inlines = [KeyMessageInline, SectionInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "short_title",
                    "slug",
                    "kind",
                    "status",
                    "publish_from",
                    "audiences",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    "authors",
                    "publisher",
                    "published_year",
                    "published_month",
                    "series",
                    "series_title",
                    "also_available",
                ]
            },
        ),
        ("Text", {"fields": ["intro", "source_note", "has_reference_list", "source_file"]}),
        ("Review", {"fields": ["last_reviewed", "next_review_due"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("audiences")
            .annotate(section_total=Count("sections", distinct=True))
        )

    @admin.display(description="Audience")
    def audience_list(self, obj):
        return ", ".join(role.name for role in obj.audiences.all())

    @admin.display(description="Sections", ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="briefings_markdown_preview"), *super().get_urls()]

    def preview_view(self, request):
        """Render Markdown exactly as the site will, for the editor's preview pane."""
        text = request.POST.get("text", "")
        try:
            html = render_markdown(text).html
        except Exception as exc:  # noqa: BLE001 - shown to the editor, never a 500
            return JsonResponse({"error": str(getattr(exc, "message", exc))}, status=400)
        return JsonResponse({"html": html})


@admin.register(Section)
class SectionAdmin(DocumentPartRevisionsMixin, admin.ModelAdmin):
    list_display = ["heading", "briefing", "parent", "order", "status", "theme_list", "updated"]
    list_filter = ["status", "briefing__kind", "briefing__audiences", "themes", "briefing"]
    search_fields = ["heading", "body", "key", "briefing__title"]
    list_select_related = ["briefing", "parent"]
    readonly_fields = ["rendered", "permanent_link"]
    fields = [
        "briefing",
        "parent",
        "order",
        "heading",
        "key",
        "slug",
        "status",
        "themes",
        "body",
        "rendered",
        "permanent_link",
    ]
    formfield_overrides = {}

    form = SectionInlineForm

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description="Themes")
    def theme_list(self, obj):
        return ", ".join(t.name for t in obj.themes.all())

    @admin.display(description="As it will appear")
    def rendered(self, obj):
        return mark_safe(f'<div class="rendered-preview">{obj.body_html}</div>')  # noqa: S308

    @admin.display(description="Permanent link")
    def permanent_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{0}">{0}</a>', obj.get_permalink())


@admin.register(KeyMessage)
class KeyMessageAdmin(DocumentPartRevisionsMixin, admin.ModelAdmin):
    form = KeyMessageForm
    fields = ["briefing", "order", "text", "key", "themes"]
    list_display = ["__str__", "briefing", "order"]
    list_filter = ["briefing", "themes"]
    search_fields = ["text"]


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


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "attribution", "section"]
    search_fields = ["text", "attribution"]
    list_select_related = ["section__briefing"]

    def has_add_permission(self, request):
        return False  # quotes are derived from section bodies

    def has_change_permission(self, request, obj=None):
        return False


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


from . import pack_admin  # noqa: E402,F401  (registers Pack with the admin)
