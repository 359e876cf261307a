from django.urls import path

from portal.query import NoParameters, query_parameters

from . import feeds, preview, views
from .search import views as search_views

app_name = "briefings"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/<slug:slug>/", views.role_page, name="role"),
    path("documents/", views.documents, name="documents"),
    path("documents/<slug:slug>/", views.document, name="document"),
    path("documents/<slug:slug>/<slug:section_slug>/", views.section, name="section"),
    path("s/<int:pk>/", views.section_permalink, name="section_permalink"),
    path("k/<int:pk>/", views.key_message_permalink, name="key_message_permalink"),
    path("themes/", views.themes, name="themes"),
    path("themes/<slug:slug>/", views.theme, name="theme"),
    path("themes/<slug:slug>/compare/", views.theme_compare, name="theme_compare"),
    path("references/", views.references, name="references"),
    path("glossary/", views.glossary, name="glossary"),
    path("search/", search_views.search_page, name="search"),
    path("feed/", query_parameters(NoParameters)(feeds.UpdatesFeed()), name="feed"),
    path("preview/documents/<slug:slug>/", preview.document, name="preview_document"),
    path(
        "preview/documents/<slug:slug>/<slug:section_slug>/",
        preview.section,
        name="preview_section",
    ),
]
