"""Builders for the trainer-pack tests, on the real imported content."""

import re

from django.contrib.auth.models import Group, User

from briefings.models import KeyMessage, Section
from briefings.packs.models import Pack, PackItem
from briefings.packs.permissions import TRAINERS_GROUP

PASSWORD = "a-long-trainer-password"


def make_trainer(username):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    return user


def section(slug, key):
    return Section.objects.select_related("briefing").get(briefing__slug=slug, key=key)


def first_sections(slug, n):
    return list(
        Section.objects.published().filter(briefing__slug=slug, parent=None).order_by("order")[:n]
    )


def key_messages(slug, n):
    return list(KeyMessage.objects.filter(briefing__slug=slug).order_by("order")[:n])


def published_targets(n):
    """n published sections (at any level), then key messages: enough to fill a pack."""
    found = list(Section.objects.published().order_by("pk")[:n])
    found += list(KeyMessage.objects.published().order_by("pk")[: n - len(found)])
    assert len(found) == n, "not enough published content"
    return found


def make_pack(owner, targets, *, title="Session on disruption", notes=(), **fields):
    pack = Pack.objects.create(owner=owner, title=title, **fields)
    notes = list(notes) + [""] * len(targets)
    for order, (target, note) in enumerate(zip(targets, notes, strict=False)):
        kind = "key_message" if isinstance(target, KeyMessage) else "section"
        PackItem.objects.create(pack=pack, order=order, kind=kind, note=note, **{kind: target})
    return pack


def text_of(html):
    """Visible text, whitespace collapsed: enough to check what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", str(html))).strip()


SVG_RE = re.compile(r'<svg[^>]*class="qr-code"[^>]*>.*?</svg>', re.S)
VIEWBOX_RE = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
PATH_RE = re.compile(r'<path[^>]* d="([^"]+)"')
COMMAND_RE = re.compile(r"([MmHh])\s*(-?\d+(?:\.\d+)?)(?:[\s,]+(-?\d+(?:\.\d+)?))?")


def qr_codes_in(html):
    return SVG_RE.findall(html)


def qr_modules(svg):
    """The dark modules of a segno SVG QR code, read back from its path (rows of booleans)."""
    width, height = map(int, VIEWBOX_RE.search(svg).groups())
    grid = [[False] * width for _ in range(height)]
    x = y = 0.0
    for command, a, b in COMMAND_RE.findall(PATH_RE.search(svg).group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            end = float(a) if command == "H" else x + float(a)
            for column in range(int(x), int(end)):
                grid[int(y)][column] = True
            x = end
    return grid


def decode_qr(svg, scale=6):
    """Decode an embedded QR code with an independent decoder (zxing-cpp) from its pixels."""
    import zxingcpp

    grid = qr_modules(svg)
    rows = []
    for row in grid:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        rows.extend([line] * scale)
    image = memoryview(b"".join(rows)).cast("B", (len(rows), len(rows[0])))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, "expected exactly one readable QR code"
    return results[0].text
