"""The header says who is signed in, with "Your packs" for a trainer and "Sign out"; the footer
links the public sign-in. A reader without a session gets neither, and their page stays
cacheable (issue 17, item 8)."""

from django.contrib.auth.models import User

from tests.support.packs import make_trainer


def header_of(html):
    return html.split("</header>")[0]


def test_a_trainer_sees_who_is_signed_in_with_your_packs_and_sign_out(client, db):
    trainer = make_trainer("sam")
    trainer.first_name, trainer.last_name = "Sam", "Okafor"
    trainer.save()
    client.force_login(trainer)
    for path in ("/", "/documents/police/", "/search/?q=grooming", "/packs/mine/"):
        header = header_of(client.get(path).content.decode())
        assert "Signed in as <strong>Sam Okafor</strong>" in header, path
        assert '<a href="/packs/mine/">Your packs</a>' in header, path
        assert 'action="/accounts/logout/"' in header, path
        assert "csrfmiddlewaretoken" in header, path
        assert ">Sign out</button>" in header, path
        # Signed in already: the footer no longer offers to sign in.
        assert "/accounts/login/" not in client.get(path).content.decode().split("</main>")[1]


def test_signing_out_from_the_header_signs_out(client, db):
    client.force_login(make_trainer("sam"))
    client.get("/")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "Signed in as" not in client.get("/").content.decode()


def test_an_editor_is_offered_editing_and_no_packs(client, db):
    client.force_login(User.objects.create_user("ed", password="x-long-password", is_staff=True))
    header = header_of(client.get("/").content.decode())
    assert "Signed in as <strong>ed</strong>" in header
    assert '<a href="/admin/">Editing</a>' in header
    assert "Your packs" not in header


def test_a_reader_without_a_session_sees_no_account_state_and_the_page_is_cacheable(
    client, db, django_assert_num_queries
):
    response = client.get("/documents/police/")
    html = response.content.decode()
    assert "Signed in as" not in html
    assert not response.wsgi_request.session.accessed
    with django_assert_num_queries(0):
        assert client.get("/documents/police/").content.decode() == html
    # The footer leads trainers and editors to the public sign-in.
    assert '<a href="/accounts/login/">Sign in</a>' in html
