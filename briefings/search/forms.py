"""The search page's GET parameters, validated: a bad value is ignored, never an error page."""

from django import forms

from briefings.models import SearchEntry

MAX_QUERY_CHARS = 10_000
MAX_PAGE = 1_000


class QueryField(forms.CharField):
    """Free text. NUL characters (which PostgreSQL refuses) become spaces instead of an error."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", " ").strip()[:MAX_QUERY_CHARS]


class SearchForm(forms.Form):
    q = QueryField(required=False, label="Search the guidance")
    # The reader's "Viewing as": their profession's guidance comes first, nothing is hidden.
    role = forms.SlugField(required=False, max_length=100)
    # The "Guidance for" filter, which the reader chooses, sees and can remove.
    audience = forms.SlugField(required=False, max_length=100)
    theme = forms.SlugField(required=False, max_length=100)
    document = forms.SlugField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False, choices=SearchEntry.Kind.choices)
    group = forms.ChoiceField(required=False, choices=[("document", "By document")])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def value(self, name, default=""):
        """The cleaned value of one parameter, or the default when it is missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default
