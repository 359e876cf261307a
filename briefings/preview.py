"""Editors' preview: a document or section exactly as readers will see it, drafts included.

The same pages and templates as the public views, with draft documents and draft sections let
through, a "Preview" banner, and headers that keep the page out of every cache and search engine.
Links within the previewed document lead to its preview pages, so an editor can move around a
draft that readers cannot reach yet.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import pages
from .models import Briefing, Section, SectionSlugHistory, Status
from .views import get_role

PREVIEW_PREFIX = "/preview"


def _check_editor(request):
    if not request.user.has_perm("briefings.view_briefing"):
        raise PermissionDenied


def _finish(response, briefing):
    # Editors' eyes only: never stored by a browser, proxy or the portal's page cache.
    patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Keep the editor inside the preview while moving around this document.
    public = f'href="{briefing.get_absolute_url()}'
    response.content = response.content.replace(
        public.encode(), f'href="{PREVIEW_PREFIX}{briefing.get_absolute_url()}'.encode()
    )
    return response


def _status(briefing, section=None):
    """What readers see of it now, in words, for the banner."""
    if briefing.status == Status.DRAFT:
        return "This document is a draft: readers cannot see it yet."
    visible = Briefing.objects.published().filter(pk=briefing.pk).exists()
    if not visible:
        return "This document is scheduled: readers will see it from the publish date."
    if section is not None and section.status == Status.DRAFT:
        return "This section is a draft: readers cannot see it yet."
    return "This document is published. Sections marked “Draft” are hidden from readers."


@require_safe
@staff_member_required
def document(request, slug):
    _check_editor(request)
    briefing = get_object_or_404(
        Briefing.objects.select_related("series").prefetch_related("audiences"), slug=slug
    )
    page = pages.DocumentPage(briefing, include_drafts=True)
    response = render(
        request,
        "briefings/preview_document.html",
        {
            "role": get_role(request),
            "preview": True,
            "preview_status": _status(briefing),
            **page.context(),
        },
    )
    return _finish(response, briefing)


@require_safe
@staff_member_required
def section(request, slug, section_slug):
    _check_editor(request)
    briefing = get_object_or_404(Briefing, slug=slug)
    current = Section.objects.filter(briefing=briefing, slug=section_slug).first()
    if current is None:
        old = SectionSlugHistory.objects.filter(briefing=briefing, slug=section_slug).first()
        if old is None:
            raise Http404("No such section")
        current = old.section
    page = pages.SectionPage(briefing, current, include_drafts=True)
    response = render(
        request,
        "briefings/preview_section.html",
        {
            "role": get_role(request),
            "preview": True,
            "preview_status": _status(briefing, current),
            **page.context(),
        },
    )
    return _finish(response, briefing)
