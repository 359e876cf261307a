"""Operational endpoints: /healthz for the load balancer, robots.txt and sitemap.xml.

The sitemap lists published documents and sections: never drafts, documents scheduled for later,
or sections under a draft.
"""

import logging

from django import forms
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db import DatabaseError
from django.db.models import Max
from django.http import HttpResponse, JsonResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from briefings.models import Briefing, Section

from .query import NoParameters, query_parameters

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query on a content table, 503 otherwise.

    The error stays in the log: the body is public and says only what failed.
    """
    try:
        Briefing.objects.exists()
    except DatabaseError:
        logger.exception("Health check failed: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# Crawlers keep to the published guidance: not the admin, sign-in, editors' previews or trainers'
# packs (shared by link), and not the endless space of search results.
ROBOTS_DISALLOW = ("/admin/", "/accounts/", "/packs/", "/preview/", "/search/")


@require_safe
@query_parameters(NoParameters)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def with_address(items):
    """The items whose page has an address: a row with a malformed slug is left out (and
    logged by its get_absolute_url) rather than failing the whole sitemap."""
    return [item for item in items if item.get_absolute_url()]


class DocumentSitemap(Sitemap):
    def items(self):
        return with_address(
            Briefing.objects.published()
            .annotate(sections_updated=Max("sections__updated"))
            .order_by("title")
        )

    def lastmod(self, briefing):
        # The page shows its sections, so it changes when they do.
        return max(filter(None, [briefing.updated, briefing.sections_updated]))


class SectionSitemap(Sitemap):
    def items(self):
        return with_address(
            Section.objects.published()
            .select_related("briefing")
            .order_by("briefing__title", "order")
        )

    def lastmod(self, section):
        return section.updated


SITEMAPS = {"documents": DocumentSitemap, "sections": SectionSitemap}


class SitemapQuery(forms.Form):
    p = forms.IntegerField(min_value=1, required=False)  # Django's sitemap page number


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        query_parameters(SitemapQuery)(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
