"""The "Add to pack" control on sections and key messages: shown to signed-in trainers only, and
reading a public page without a session never touches the session (the page stays cacheable)."""

from django.contrib.auth.models import User

from tests.support.packs import first_sections, key_messages


def test_a_trainer_sees_add_to_pack_on_document_sections_and_key_messages(trainer_client):
    html = trainer_client.get("/documents/police/").content.decode()
    sections = first_sections("police", 6)
    messages = key_messages("police", 7)
    for section in sections:
        assert f'href="/packs/add/?section={section.pk}"' in html
    for number, message in enumerate(messages, start=1):
        assert f'href="/packs/add/?key_message={message.pk}"' in html
        assert f'Add to pack<span class="visually-hidden">: key message {number}</span>' in html


def test_a_trainer_sees_add_to_pack_on_a_section_page(trainer_client):
    section = first_sections("social-workers", 2)[1]
    html = trainer_client.get(section.get_absolute_url()).content.decode()
    assert f'href="/packs/add/?section={section.pk}"' in html
    assert f'Add to pack<span class="visually-hidden">: {section.heading}</span>' in html


def test_anonymous_readers_and_other_users_see_no_control(client, db):
    section = first_sections("social-workers", 1)[0]
    for url in ("/documents/police/", section.get_absolute_url()):
        response = client.get(url)
        assert "Add to pack" not in response.content.decode()
        assert not response.wsgi_request.session.accessed
    client.force_login(User.objects.create_user("reader", password="a-long-reader-password"))
    assert "Add to pack" not in client.get("/documents/police/").content.decode()
