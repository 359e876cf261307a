"""Widgets for the content admin."""

from django import forms


class MarkdownWidget(forms.Textarea):
    """A textarea with a live preview rendered by the same function the site uses.

    The preview is asked for only when the editor types (static/js/admin-preview.js): opening a
    page with many texts renders none of them again.
    """

    template_name = "admin/briefings/markdown_widget.html"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 12, "class": "vLargeTextField markdown-source", **(attrs or {})}
        )

    class Media:
        js = ["js/admin-preview.js"]
        css = {"all": ["css/admin.css"]}
