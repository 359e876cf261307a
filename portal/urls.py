from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .ratelimit import rate_limited


def moved_to_packs(model):
    """Packs were briefings models until they became their own app (label "packs"): the admin's
    old addresses for them lead to the new ones."""
    view = RedirectView.as_view(
        url=f"/admin/packs/{model}/%(rest)s", permanent=True, query_string=True
    )
    return [
        path(f"admin/briefings/{model}/", view, {"rest": ""}),
        path(f"admin/briefings/{model}/<path:rest>", view),
    ]


urlpatterns = [
    *moved_to_packs("pack"),
    *moved_to_packs("packitem"),
    # The admin's own sign-in page, with every attempt counted against the client's sign-in limit
    # (the public one, /accounts/login/, is limited in briefings/packs/accounts.py).
    path("admin/login/", rate_limited("sign-in", methods={"POST"})(admin.site.login)),
    path("admin/", admin.site.urls),
    path("accounts/", include("briefings.packs.accounts")),
    path("packs/", include("briefings.packs.urls")),
    path("", include("portal.ops")),
    path("", include("briefings.urls")),
]
