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
