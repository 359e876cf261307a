from django.contrib import admin
from django.urls import include, path

from .ratelimit import rate_limited

urlpatterns = [
    # The admin's own sign-in page, with every attempt counted against the client's sign-in limit
    # (the public one, /accounts/login/, is limited in briefings/account_urls.py).
    path("admin/login/", rate_limited("sign-in", methods={"POST"})(admin.site.login)),
    path("admin/", admin.site.urls),
    path("accounts/", include("briefings.account_urls")),
    path("packs/", include("briefings.pack_urls")),
    path("", include("portal.ops")),
    path("", include("briefings.urls")),
]
