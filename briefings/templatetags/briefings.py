"""Template tags for the reading pages: role-aware links, absolute addresses, active filters."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def role_url(context, url, role=None):
    """Append the current "Viewing as" role to an internal URL, keeping any #fragment."""
    role = role if role is not None else context.get("role")
    if not role:
        return url
    base, hash_, fragment = str(url).partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}{urlencode({'role': role.slug})}{hash_}{fragment}"


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """The full web address of a path on this site, as printed at the foot of a page."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag
def active_filters(facets, filters, audience=None):
    """The search filters in force, each with its name, chosen value and the URL without it.

    A chosen value that matches nothing has no option (and so no label): the chosen role's
    name, or the value itself, stands in."""
    chosen = []
    for facet in facets or []:
        if not facet.clear_url:
            continue
        selected = next((o for o in facet.options if o.selected), None)
        if selected:
            label = selected.label
        elif facet.name == "role" and audience is not None:
            label = audience.name
        else:
            label = getattr(filters, facet.name, "")
        chosen.append({"title": facet.title, "label": label, "remove_url": facet.clear_url})
    return chosen
