"""The "Add to pack" control on sections and key messages: shown to signed-in trainers only, and
reading a public page without a session never touches the session (the page stays cacheable)."""

from django.contrib.auth.models import User
from django.utils.http import urlencode

from tests.support.packs import first_sections, key_messages


def test_a_trainer_sees_add_to_pack_on_document_sections_and_key_messages(trainer_client):
    html = trainer_client.get("/documents/police/").content.decode()
    sections = first_sections("police", 6)
    messages = key_messages("police", 7)
    # Each control carries the page it is on, to come back to.
    here = "next=%2Fdocuments%2Fpolice%2F"
    for section in sections:
        assert f'href="/packs/add/?section={section.pk}&amp;{here}"' in html
    for number, message in enumerate(messages, start=1):
        assert f'href="/packs/add/?key_message={message.pk}&amp;{here}"' in html
        assert f'Add to pack<span class="visually-hidden">: key message {number}</span>' in html


def test_a_trainer_sees_add_to_pack_on_a_section_page(trainer_client):
    section = first_sections("social-workers", 2)[1]
    html = trainer_client.get(f"{section.get_absolute_url()}?role=police").content.decode()
    here = urlencode({"next": f"{section.get_absolute_url()}?role=police"})
    assert f'href="/packs/add/?section={section.pk}&amp;{here}"' in html
    assert f'Add to pack<span class="visually-hidden">: {section.heading}</span>' in html


def test_anonymous_readers_and_other_users_see_no_control(client, db):
    section = first_sections("social-workers", 1)[0]
    for url in ("/documents/police/", section.get_absolute_url()):
        response = client.get(url)
        assert "Add to pack" not in response.content.decode()
        assert not response.wsgi_request.session.accessed
    client.force_login(User.objects.create_user("reader", password="a-long-reader-password"))
    assert "Add to pack" not in client.get("/documents/police/").content.decode()
