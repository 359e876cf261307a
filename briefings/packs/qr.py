"""QR codes as inline SVG, drawn by segno.

The SVG carries presentation attributes only (a path with a stroke colour), never a style attribute
or script, so it renders under the portal's strict Content Security Policy and prints crisply at any
size. Its size comes from the stylesheet (class ``qr-code``).
"""

import segno
from django.utils.html import escape
from django.utils.safestring import mark_safe


def qr_svg(url, label):
    """An accessible inline SVG QR code for an absolute URL."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(omitsize=True, svgclass="qr-code", lineclass=None, title=label, border=4)
    # segno escapes the title; the aria-label is ours to escape.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the only text in it is escaped
