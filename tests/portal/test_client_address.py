"""The reader's address (portal/client.py): behind N proxies, the entry of X-Forwarded-For that the
outermost of them wrote; never anything a client can write itself."""

import logging

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from portal.client import client_address

PROXY = "127.0.0.1"


def request_from(rf, peer=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_a_proxy_the_header_is_ignored_and_the_peer_is_the_reader(rf, settings):
    settings.CLIENT_PROXY_COUNT = 0
    assert client_address(request_from(rf, "192.0.2.7", "198.51.100.1")) == "192.0.2.7"


def test_behind_one_proxy_the_reader_is_the_address_the_proxy_appended(rf, settings):
    settings.CLIENT_PROXY_COUNT = 1
    assert client_address(request_from(rf, forwarded="198.51.100.1")) == "198.51.100.1"


def test_a_forged_header_with_more_hops_than_proxies_cannot_choose_the_address(rf, settings):
    settings.CLIENT_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 192.0.2.50, 10.0.0.1"; nginx appended its real address.
    forged = "192.0.2.50, 10.0.0.1, 203.0.113.9"
    assert client_address(request_from(rf, forwarded=forged)) == "203.0.113.9"


def test_behind_two_proxies_the_reader_is_second_from_the_right(rf, settings):
    settings.CLIENT_PROXY_COUNT = 2
    forwarded = "192.0.2.50, 203.0.113.9, 10.0.0.2"  # forged, reader, first proxy
    assert client_address(request_from(rf, forwarded=forwarded)) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", " , "])
def test_a_request_that_did_not_pass_the_proxy_is_its_peer(rf, settings, forwarded):
    settings.CLIENT_PROXY_COUNT = 1
    assert client_address(request_from(rf, "192.0.2.7", forwarded)) == "192.0.2.7"


def test_fewer_entries_than_proxies_falls_back_to_the_peer(rf, settings):
    settings.CLIENT_PROXY_COUNT = 2
    assert client_address(request_from(rf, "10.0.0.2", "203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize("garbage", ["unknown", "<script>", "999.1.1.1", "a" * 300])
def test_an_entry_that_is_not_an_address_is_never_the_reader(rf, settings, garbage):
    settings.CLIENT_PROXY_COUNT = 1
    assert client_address(request_from(rf, "192.0.2.7", garbage)) == "192.0.2.7"


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        ("2001:DB8::1", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("198.51.100.1:51234", "198.51.100.1"),
        ("::ffff:198.51.100.1", "198.51.100.1"),
    ],
)
def test_addresses_are_normalised(rf, settings, entry, address):
    settings.CLIENT_PROXY_COUNT = 1
    assert client_address(request_from(rf, forwarded=entry)) == address


addresses = st.ip_addresses().map(str)


@given(
    forged=st.lists(st.one_of(addresses, st.text(max_size=20)), max_size=6),
    reader=addresses,
    proxies=st.lists(addresses, min_size=1, max_size=3),
)
def test_whatever_a_client_forges_the_reader_is_who_the_outermost_proxy_saw(
    forged, reader, proxies
):
    """Each proxy appends its peer: the outermost appends the reader, the inner ones the proxy
    before them. Whatever the client put in front, the reader comes out."""
    rf = RequestFactory()
    chain = [entry.replace(",", " ") for entry in forged] + [reader] + proxies[:-1]
    with override_settings(CLIENT_PROXY_COUNT=0):
        expected = client_address(request_from(rf, reader))  # the same reader, met directly
    with override_settings(CLIENT_PROXY_COUNT=len(proxies)):
        assert client_address(request_from(rf, proxies[-1], ", ".join(chain))) == expected


@pytest.mark.django_db
def test_axes_and_the_request_log_use_the_same_address(client, rf, settings, caplog):
    settings.CLIENT_PROXY_COUNT = 1
    request = request_from(rf, forwarded="10.9.8.7, 198.51.100.1")
    assert get_client_ip_address(request) == "198.51.100.1"

    caplog.set_level(logging.INFO, logger="portal.requests")
    client.get("/glossary/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.9.8.7, 198.51.100.1")
    (record,) = [r for r in caplog.records if r.name == "portal.requests"]
    assert record.client == "198.51.100.1"
