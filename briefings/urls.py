from django.urls import path

from . import views

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
]
