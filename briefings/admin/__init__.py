"""The content in the Django admin, one module per part:

- documents: documents with their key messages, sections and references; the workflow's actions
- parts: sections, key messages and quotes on their own pages
- editorial: a document's history (compare, revert, recover) and change notes
- taxonomy: themes, roles, references, glossary, series
- forms, widgets: the forms (with every field's limit) and the Markdown widget
- preview: the Markdown preview the widget asks for as an editor types
- saving: validate and render before Django's write transaction

The admin only calls ``briefings.editorial`` services and selectors to change or read the
workflow; nothing outside this package imports from it.
"""

from django.apps import apps
from django.contrib import admin

from . import documents, editorial, parts, taxonomy  # noqa: F401  (register the content admins)

# Tags are the themes' machinery (django-taggit); editors manage themes, not raw tags.
if apps.is_installed("taggit"):
    from taggit.models import Tag

    if admin.site.is_registered(Tag):
        admin.site.unregister(Tag)

admin.site.site_header = "CSE guidance portal: editing"
admin.site.site_title = "CSE guidance portal"
admin.site.index_title = "Content"
# The side list of every model takes 300 px of a 1024 px window from the editor's texts and the
# lists' columns; the breadcrumbs and the home page lead everywhere it does.
admin.site.enable_nav_sidebar = False
