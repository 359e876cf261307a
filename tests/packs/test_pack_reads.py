"""The reads behind the pack pages and permission checks each cost a fixed number of queries:
whether a user is a trainer is asked of the database once per user object, a pack found by its
link comes with its owner, and a target a trainer adds comes with its document."""

from django.contrib.auth.models import User

from briefings.packs.permissions import user_is_trainer
from briefings.packs.selectors import pack_by_token, published_target
from tests.support.packs import first_sections, key_messages, make_pack


def test_whether_a_user_is_a_trainer_is_asked_once_per_user(trainer, django_assert_num_queries):
    user = User.objects.get(pk=trainer.pk)
    with django_assert_num_queries(1):  # the Trainers group among the user's groups
        assert user_is_trainer(user)
        assert user_is_trainer(user)


def test_a_user_who_is_not_a_trainer_is_also_asked_once(db, django_assert_num_queries):
    user = User.objects.create_user("reader", password="a-long-reader-password")
    with django_assert_num_queries(1):
        assert not user_is_trainer(user)
        assert not user_is_trainer(user)


def test_a_pack_found_by_its_link_comes_with_its_owner(trainer, django_assert_num_queries):
    token = make_pack(trainer, first_sections("police", 1)).token
    with django_assert_num_queries(1):  # the pack joined to its owner
        pack = pack_by_token(token)
        assert pack.owner.username == trainer.username


def test_a_published_target_comes_with_its_document(db, django_assert_num_queries):
    section = first_sections("police", 1)[0]
    message = key_messages("police", 1)[0]
    for kind, target in (("section", section), ("key_message", message)):
        with django_assert_num_queries(1):  # the target joined to its document
            found = published_target(kind, target.pk)
            assert found.briefing.slug == "police"
