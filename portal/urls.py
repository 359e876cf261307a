from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("briefings.account_urls")),
    path("packs/", include("briefings.pack_urls")),
    path("", include("portal.ops")),
    path("", include("briefings.urls")),
]
