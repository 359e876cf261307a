"""Public pages. Thin views: the QuerySets and briefings.pages do the work.

The reader's role ("Viewing as") travels in the URL (?role=police), never in a session or cookie,
so every public page is cacheable and a link shared by a trainer shows the same page to everyone.
"""

from django import forms
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from portal.caching import content_memo
from portal.query import NoParameters, query_parameters

from . import pages, theme_pages
from .models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Reference,
    Role,
    Section,
    SectionSlugHistory,
    Theme,
    earliest_published,
)


def role_choices():
    """The roles' slugs, read once per content version (the page cache's key needs them)."""
    return content_memo(
        "role-slugs", lambda: [(slug, slug) for slug in Role.objects.values_list("slug", flat=True)]
    )


class RoleForm(forms.Form):
    """?role=, the reader's "Viewing as". Only a real role's slug is valid, so an unknown one is
    dropped from the page's canonical query and cannot make a new page-cache entry."""

    role = forms.ChoiceField(choices=role_choices, required=False)


def get_role(request):
    """The role from ?role=, or None for everyone. An unknown role is ignored, not an error."""
    form = RoleForm(request.GET)
    if not form.is_valid() or not form.cleaned_data["role"]:
        return None
    return Role.objects.filter(slug=form.cleaned_data["role"]).first()


def published_briefings():
    return Briefing.objects.published().select_related("series").prefetch_related("audiences")


@require_safe
@query_parameters(RoleForm)
def home(request):
    role = get_role(request)
    roles = list(
        Role.objects.annotate(
            n=Count("briefings", filter=Q(briefings__in=Briefing.objects.published()))
        ).filter(n__gt=0)
    )
    briefings = list(published_briefings().order_by("kind", "title"))
    themes = theme_pages.theme_counts()
    return render(
        request,
        "briefings/home.html",
        {
            "role": role,
            "roles": roles,
            "briefings": briefings,
            "themes": themes,
        },
    )


@require_safe
@query_parameters(NoParameters)
def role_page(request, slug):
    role = get_object_or_404(Role, slug=slug)
    briefings = list(published_briefings())
    own = [b for b in briefings if role in b.audiences.all()]
    others = [b for b in briefings if role not in b.audiences.all()]
    key_messages = list(
        KeyMessage.objects.published()
        .filter(briefing__in=own)
        .select_related("briefing")
        .order_by("briefing__title", "order")
    )
    matrix = theme_pages.theme_matrix(own + others, role)
    return render(
        request,
        "briefings/role.html",
        {
            "role": role,
            "own": own,
            "others": others,
            "key_messages": key_messages,
            "matrix": matrix,
        },
    )


@require_safe
@query_parameters(RoleForm)
def document(request, slug):
    briefing = get_object_or_404(published_briefings().select_related("series"), slug=slug)
    role = get_role(request)
    page = pages.DocumentPage(briefing)
    return render(request, "briefings/document.html", {"role": role, **page.context()})


@require_safe
@query_parameters(RoleForm)
def section(request, slug, section_slug):
    briefing = get_object_or_404(published_briefings(), slug=slug)
    section = Section.objects.published().filter(briefing=briefing, slug=section_slug).first()
    if section is None:
        old = SectionSlugHistory.objects.filter(
            briefing=briefing, slug=section_slug, section__in=Section.objects.published()
        ).first()
        if old is None or not old.section.get_absolute_url():
            raise Http404("No such section")
        return redirect(old.section.get_absolute_url(), permanent=True)
    role = get_role(request)
    page = pages.SectionPage(briefing, section)
    return render(request, "briefings/section.html", {"role": role, **page.context()})


@require_safe
@query_parameters(RoleForm)
def section_permalink(request, pk):
    section = get_object_or_404(Section.objects.published().select_related("briefing"), pk=pk)
    if not section.get_absolute_url():
        raise Http404("This section has no address")  # a malformed slug, logged
    return redirect(pages.with_query(section.get_absolute_url(), request))


@require_safe
@query_parameters(RoleForm)
def key_message_permalink(request, pk):
    message = get_object_or_404(KeyMessage.objects.published().select_related("briefing"), pk=pk)
    if not message.briefing.get_absolute_url():
        raise Http404("This document has no address")  # a malformed slug, logged
    base = pages.with_query(message.briefing.get_absolute_url(), request)
    return redirect(f"{base}#{message.anchor}")


@require_safe
@query_parameters(RoleForm)
def themes(request):
    role = get_role(request)
    matrix = theme_pages.theme_matrix(published_briefings().order_by("title"), role)
    return render(request, "briefings/themes.html", {"role": role, "matrix": matrix})


@require_safe
@query_parameters(RoleForm)
def theme(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    role = get_role(request)
    guidance = theme_pages.theme_guidance(theme, role)
    return render(
        request,
        "briefings/theme.html",
        {"role": role, "theme": theme, "guidance": guidance},
    )


@require_safe
@query_parameters(RoleForm)
def theme_compare(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    role = get_role(request)
    guidance = theme_pages.with_excerpts(theme_pages.theme_guidance(theme, role))
    return render(
        request,
        "briefings/theme_compare.html",
        {"role": role, "theme": theme, "guidance": guidance},
    )


class ReferenceSortForm(RoleForm):
    sort = forms.ChoiceField(choices=[("author", "author"), ("cited", "cited")], required=False)


@require_safe
@query_parameters(ReferenceSortForm)
def references(request):
    form = ReferenceSortForm(request.GET)
    sort = form.cleaned_data["sort"] if form.is_valid() and form.cleaned_data["sort"] else "author"
    published = Briefing.objects.published()
    refs = (
        Reference.objects.filter(citations__briefing__in=published)
        .annotate(
            cited=Count(
                "citing_sections",
                filter=Q(citing_sections__in=Section.objects.published()),
                distinct=True,
            )
        )
        .distinct()
    )
    refs = list(
        refs.prefetch_related(
            # The work as the earliest-published of the published documents citing it gives it.
            Prefetch(
                "citations",
                queryset=Citation.objects.filter(briefing__in=published).order_by(
                    *earliest_published("briefing__"), "local_key"
                ),
            ),
            Prefetch(
                "citing_sections",
                queryset=Section.objects.published()
                .select_related("briefing")
                .order_by("briefing__title", "order"),
            ),
        )
    )
    for ref in refs:
        ref.shown = ref.citations.all()[0]
    refs.sort(key=lambda r: (r.shown.authors, r.shown.year, r.key))
    if sort == "cited":
        refs.sort(key=lambda r: -r.cited)
    return render(
        request,
        "briefings/references.html",
        {
            "role": get_role(request),
            "references": refs,
            "sort": sort,
        },
    )


@require_safe
@query_parameters(RoleForm)
def glossary(request):
    terms = GlossaryTerm.objects.public()
    return render(request, "briefings/glossary.html", {"role": get_role(request), "terms": terms})


@require_safe
@query_parameters(RoleForm)
def documents(request):
    role = get_role(request)
    briefings = list(published_briefings().order_by("kind", "title"))
    if role:
        briefings.sort(key=lambda b: role not in b.audiences.all())
    return render(request, "briefings/documents.html", {"role": role, "briefings": briefings})
