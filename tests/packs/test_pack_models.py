"""Packs and their items: unguessable share tokens, one target per item, and items that outlive
the guidance they point at."""

import math
import string

import pytest
from django.db import IntegrityError, transaction

from briefings.packs.models import TOKEN_BYTES, TOKEN_LENGTH, Pack, PackItem
from tests.support.packs import first_sections, key_messages, make_pack

TOKEN_ALPHABET = set(string.ascii_letters + string.digits + "-_")


def test_share_tokens_carry_at_least_96_random_bits_in_16_url_safe_characters(trainer):
    packs = [Pack.objects.create(owner=trainer, title=f"Pack {n}") for n in range(200)]
    tokens = [p.token for p in packs]
    assert TOKEN_BYTES * 8 >= 96
    assert all(len(t) == TOKEN_LENGTH and set(t) <= TOKEN_ALPHABET for t in tokens)
    assert len(set(tokens)) == len(tokens)
    # Every position of the token varies: no fixed prefix, counter or date to enumerate.
    for position in range(TOKEN_LENGTH):
        assert len({t[position] for t in tokens}) > 40
    # Not sequential: creation order is not the tokens' sort order.
    assert tokens != sorted(tokens)
    # Character frequencies look uniform: Shannon entropy close to log2(64) = 6 bits a character.
    counts = {c: "".join(tokens).count(c) for c in TOKEN_ALPHABET}
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values() if n)
    assert entropy > 5.8


def test_a_pack_address_carries_its_token_never_its_database_id(trainer):
    pack = Pack.objects.create(owner=trainer, title="A pack")
    assert pack.get_absolute_url() == f"/packs/{pack.token}/"
    assert str(pack.pk) not in pack.get_absolute_url().replace(pack.token, "")
    assert pack.token != str(pack.pk)


def test_an_item_cannot_point_at_a_section_and_a_key_message_at_once(trainer):
    pack = Pack.objects.create(owner=trainer, title="A pack")
    section = first_sections("police", 1)[0]
    message = key_messages("police", 1)[0]
    for kind in ("section", "key_message"):
        with pytest.raises(IntegrityError), transaction.atomic():
            PackItem.objects.create(pack=pack, kind=kind, section=section, key_message=message)
    with pytest.raises(IntegrityError), transaction.atomic():
        PackItem.objects.create(pack=pack, kind="section", key_message=message)


def test_the_same_section_cannot_be_added_twice_to_one_pack(trainer):
    section = first_sections("police", 1)[0]
    pack = make_pack(trainer, [section])
    with pytest.raises(IntegrityError), transaction.atomic():
        PackItem.objects.create(pack=pack, kind="section", section=section, order=5)


def test_deleting_the_guidance_keeps_the_item_so_the_pack_can_say_it_is_gone(trainer):
    section = first_sections("police", 1)[0]
    message = key_messages("police", 1)[0]
    pack = make_pack(trainer, [section, message], notes=["Start here", "Then this"])
    section.delete()
    message.delete()
    items = list(pack.items.order_by("order"))
    assert [(i.kind, i.section_id, i.key_message_id, i.note) for i in items] == [
        ("section", None, None, "Start here"),
        ("key_message", None, None, "Then this"),
    ]
    assert str(items[0]) == "Section (deleted)"


def test_deleting_a_trainer_deletes_their_packs(trainer):
    pack = make_pack(trainer, first_sections("police", 2))
    trainer.delete()
    assert not Pack.objects.filter(pk=pack.pk).exists()
    assert not PackItem.objects.filter(pack_id=pack.pk).exists()
