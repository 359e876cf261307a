"""A small HTTP client for the checks: cookies kept by hand, forms read from the HTML.

Cookies are sent whatever their Secure flag, because the checks also talk to a server directly
over plain HTTP the way nginx does (with X-Forwarded-Proto: https). Through nginx it speaks TLS,
verifying the throw-away certificate, from a chosen loopback address (127.0.0.5 is a different
reader from 127.0.0.6).
"""

from __future__ import annotations

import gzip
import http.client
import socket
import ssl
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "localhost"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    wire: bytes  # the body as sent, compressed or not

    def header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def body(self) -> bytes:
        if self.header("Content-Encoding") == "gzip":
            return gzip.decompress(self.wire)
        return self.wire

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _TLSConnection(http.client.HTTPSConnection):
    def __init__(self, port, context, source, timeout):
        super().__init__("127.0.0.1", port, timeout=timeout, context=context)
        self.source = source
        self.tls_context = context

    def connect(self):
        raw = socket.create_connection(
            ("127.0.0.1", self.port), self.timeout, source_address=(self.source, 0)
        )
        self.sock = self.tls_context.wrap_socket(raw, server_hostname=HOST)


@dataclass
class Client:
    port: int
    tls: ssl.SSLContext | None = None
    source: str = "127.0.0.1"
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def connection(self):
        if self.tls is not None:
            return _TLSConnection(self.port, self.tls, self.source, self.timeout)
        return http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
        )

    def request(self, method, path, body=None, headers=None) -> Response:
        connection = self.connection()
        sent = {"Host": HOST, **self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, origin) -> Response:
        return self.request(
            "POST",
            path,
            body=urlencode(fields, doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin},
        )

    def submit(self, path, form_id=None, changes=None, button=None, origin=None) -> Response:
        """GET a page, fill in one of its forms as a browser would, change some fields, POST."""
        page = self.get(path)
        if page.status != 200:
            raise RuntimeError(f"GET {path} answered {page.status}")
        form = find_form(page.text, form_id)
        fields = [(k, v) for k, v in form.fields if k not in (changes or {})]
        fields += list((changes or {}).items())
        if button:
            fields.append(button)
        return self.post(form.action or path, fields, origin)

    def sign_in(self, username, password, origin, path="/accounts/login/") -> Response:
        return self.submit(
            path, changes={"username": username, "password": password}, origin=origin
        )


def direct(port, forwarded_for=None) -> Client:
    """A server straight, as nginx speaks to it: plain HTTP with the proxy's headers."""
    headers = {"X-Forwarded-Proto": "https"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return Client(port, headers=headers)


def tls_context(nginx) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(nginx.cert))
    context.set_alpn_protocols(["http/1.1"])
    return context


def through_nginx(nginx, source="127.0.0.1", headers=None) -> Client:
    return Client(nginx.https_port, tls=tls_context(nginx), source=source, headers=headers or {})


def negotiated_protocol(nginx) -> str:
    """What nginx agrees to speak when a browser offers HTTP/2 first."""
    context = ssl.create_default_context(cafile=str(nginx.cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", nginx.https_port), 10) as raw,
        context.wrap_socket(raw, server_hostname=HOST) as tls,
    ):
        return tls.selected_alpn_protocol()


@dataclass
class Form:
    action: str
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)


class _Forms(HTMLParser):
    SKIP = {"submit", "button", "image", "reset", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form = None
        self.textarea = None
        self.select = None  # [name, multiple, options: [(value, selected)]]
        self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(attrs.get("action", ""), attrs)
            self.forms.append(self.form)
        elif self.form is None or ("name" not in attrs and tag != "option"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in self.SKIP or (kind in ("checkbox", "radio") and "checked" not in attrs):
                return
            self.form.fields.append((attrs["name"], attrs.get("value", "on" if kind else "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = [attrs["name"], "multiple" in attrs, []]
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
            self.select[2].append(self.option)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            name, text = self.textarea
            self.form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [o for o in options if o[1]] or ([] if multiple else options[:1])
            for value, _selected, label in chosen:
                self.form.fields.append((name, label.strip() if value is None else value))
            self.select = None
        elif tag == "form":
            self.form = None


def find_form(html, form_id=None) -> Form:
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if form_id is None or f.attrs.get("id") == form_id]
    # The page's main form: the one with a password or the most fields.
    forms.sort(key=lambda f: (any(n == "password" for n, _ in f.fields), len(f.fields)))
    if not forms:
        raise RuntimeError(f"no form {form_id or ''} on the page")
    return forms[-1]
