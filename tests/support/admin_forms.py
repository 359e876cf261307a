"""Read an admin form as a browser would submit it, so tests POST the real form.

``form_data(html)`` returns what the browser would send for the form with the given id: every
input, checked box and radio, selected option and textarea, including the inline formsets'
management forms, but not the hidden "empty form" templates the admin keeps for its JavaScript.
Tests change the values they care about and post the rest back unchanged.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.depth = 0
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None
        self._option = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("id") == self.form_id or (self.form_id is None and not self.in_form):
                self.in_form = True
            return
        if not self.in_form:
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self._select = {"name": attrs.get("name"), "chosen": []}
        elif tag == "option" and self._select is not None:
            self._option = attrs
            if "selected" in attrs:
                self._select["chosen"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea:
            name, value = self._textarea
            # A newline right after <textarea> is not part of the value (HTML parsing rules).
            self._add(name, value[1:] if value.startswith("\n") else value)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            for value in self._select["chosen"]:
                self._add(self._select["name"], value)
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_data(html: str, form_id: str | None = None) -> dict:
    """The submitted values of a form: a single value as a string, several as a list."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return {k: v[0] if len(v) == 1 else v for k, v in parser.data.items()}


def inline_rows(data: dict, prefix: str) -> list[dict]:
    """The rows of an inline formset in ``data``, as {field: value} dicts keyed without prefix."""
    count = int(data[f"{prefix}-TOTAL_FORMS"])
    rows = []
    for index in range(count):
        start = f"{prefix}-{index}-"
        rows.append({k[len(start) :]: v for k, v in data.items() if k.startswith(start)})
    return rows


def row_index(data: dict, prefix: str, field: str, value) -> int:
    """The index of the inline row whose ``field`` has ``value``."""
    for index, row in enumerate(inline_rows(data, prefix)):
        if row.get(field) == str(value):
            return index
    raise LookupError(f"no {prefix} row with {field}={value!r}")


def get_form(client, url: str, form_id: str | None = None) -> dict:
    """GET an admin page and read its form."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response.content.decode(), form_id)


def briefing_form(client, briefing) -> dict:
    """The document's change form, as the browser would submit it unchanged."""
    from django.urls import reverse

    return get_form(
        client, reverse("admin:briefings_briefing_change", args=[briefing.pk]), "briefing_form"
    )


def save_briefing(client, briefing, data: dict):
    """POST the document's change form; fail with the form errors if it does not save."""
    from django.urls import reverse

    response = client.post(reverse("admin:briefings_briefing_change", args=[briefing.pk]), data)
    if response.status_code != 302:
        errors = _errors(response)
        raise AssertionError(f"the change form did not save: {errors}")
    return response


def _errors(response):
    context = response.context
    if context is None:
        return response.status_code
    found = []
    if "adminform" in context:
        found.append(context["adminform"].form.errors)
    for formset in context.get("inline_admin_formsets", []):
        found.append([f.errors for f in formset.formset.forms if f.errors])
        found.append(formset.formset.non_form_errors())
    return found
