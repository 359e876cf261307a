from briefings.models import KeyMessage, Section


def test_a_section_permalink_survives_heading_and_slug_edits(client, db):
    section = Section.objects.get(briefing__slug="police", key="investigating-cse")
    assert client.get(f"/s/{section.pk}/")["Location"] == "/documents/police/investigating-cse/"
    section.heading = "Investigating child sexual exploitation"
    section.slug = "investigating-child-sexual-exploitation"
    section.save()
    response = client.get(f"/s/{section.pk}/")
    assert response["Location"] == "/documents/police/investigating-child-sexual-exploitation/"
    old = client.get("/documents/police/investigating-cse/")
    assert old.status_code == 301
    assert old["Location"] == "/documents/police/investigating-child-sexual-exploitation/"


def test_an_old_slug_reused_by_the_section_itself_is_not_redirected(client, db):
    section = Section.objects.get(briefing__slug="police", key="investigating-cse")
    section.slug = "something-else"
    section.save()
    section.slug = "investigating-cse"
    section.save()
    assert client.get("/documents/police/investigating-cse/").status_code == 200


def test_a_key_message_permalink_lands_on_its_anchor_and_keeps_the_role(client, db):
    message = KeyMessage.objects.filter(briefing__slug="police").order_by("order").first()
    response = client.get(f"/k/{message.pk}/?role=police")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/police/?role=police#km-{message.key}"
    page = client.get("/documents/police/").content.decode()
    assert f'id="km-{message.key}"' in page
    assert f'href="/k/{message.pk}/" data-copy-link' in page


def test_every_heading_has_a_copy_link_control_that_works_without_javascript(client, db):
    page = client.get("/documents/social-workers/").content.decode()
    for section in Section.objects.filter(briefing__slug="social-workers"):
        assert f'<a class="permalink" href="/s/{section.pk}/" data-copy-link>Copy link' in page


def test_unknown_permalinks_are_not_found(client, db):
    assert client.get("/s/999999/").status_code == 404
    assert client.get("/k/999999/").status_code == 404
