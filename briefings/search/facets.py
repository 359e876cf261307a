"""The filters beside the results: the engine's counts (results.RawResult) as the options a
reader chooses from, each with its count and the link that chooses it."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.models import SearchEntry

from .results import FACET_OPTIONS, RawResult

KIND_ORDER = [value for value, _ in SearchEntry.Kind.choices]
KIND_PLURALS = {
    "section": "Sections",
    "key-message": "Key messages",
    "quote": "Young people’s words",
    "reference": "References",
    "glossary": "Glossary terms",
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    # The chosen option of a facet counted from a capped set counts the page's own results:
    # exact when the page's set is within the limit, where the others' are lower bounds.
    exact: bool = False


@dataclass
class Facet:
    name: str
    title: str
    options: list[FacetOption]
    clear_url: str | None  # set when a value is selected
    everyone_label: str
    capped: bool = False  # counted from the first matches only: each count is a lower bound


def shown(counts, selected: str):
    ranked = sorted(counts, key=lambda c: (-c.count, c.label))
    return ranked[:FACET_OPTIONS] + [c for c in ranked[FACET_OPTIONS:] if c.value == selected]


def facet(params, raw: RawResult, name, title, everyone, counts, label=None) -> Facet:
    """One filter: its options (value, label, count) each linking to the search with it chosen.
    `label` names the chosen value, for when its matches are not among those counted."""
    chosen = getattr(params.filters, name)
    capped = name in raw.capped_facets
    if capped and raw.total and label and chosen not in {value for value, _, _ in counts}:
        # A capped set counts its first matches only, which may hold none of the page's.
        counts = [*counts, (chosen, label, 0)]
    options = [
        FacetOption(value, text, count, chosen == value, params.url(**{name: value}))
        for value, text, count in counts
    ]
    for option in options:
        if option.selected and capped:
            # The page's results are this option's matches: the page's total counts them,
            # exactly within the limit, as "more than" it beyond (never a smaller lower bound).
            option.count, option.exact = raw.total, not raw.capped
    clear = params.url(**{name: ""}) if chosen else None
    return Facet(name, title, options, clear, everyone, capped=capped)


def facets(params, raw: RawResult, labels: dict[str, str]) -> list[Facet]:
    """Every filter, the chosen values named by `labels` (facet: label) where known. `params` is
    the search's service.Params (its filters, and the URL with one of them changed)."""
    f = params.filters
    kinds = {c.value: c.count for c in raw.facets["kind"]}
    kind_counts = [(k, KIND_PLURALS[k], kinds.get(k, 0)) for k in KIND_ORDER]
    roles = sorted(raw.facets["role"], key=lambda c: (c.sort, c.label))
    return [
        facet(
            params,
            raw,
            "kind",
            "Kind of result",
            "All kinds",
            [(k, label, n) for k, label, n in kind_counts if n or f.kind == k],
        ),
        # Glossary terms belong to no document, so they are counted under every role.
        facet(
            params,
            raw,
            "role",
            "Guidance for",
            "All professions",
            [(c.value, c.label, c.count + raw.everyone) for c in roles],
            labels.get("role"),
        ),
        facet(
            params,
            raw,
            "document",
            "Document",
            "All documents",
            [(c.value, c.label, c.count) for c in shown(raw.facets["document"], f.document)],
            labels.get("document"),
        ),
        facet(
            params,
            raw,
            "theme",
            "Theme",
            "All themes",
            [(c.value, c.label, c.count) for c in shown(raw.facets["theme"], f.theme)],
            labels.get("theme"),
        ),
    ]
