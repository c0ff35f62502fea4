"""Has Django sign one value of each kind djguard's signed package knows.

Reads {"keys": [...]} on standard input and writes a JSON list of cases:
kind, value (as Django reads it), coded (as the Set-Cookie header and a
browser show it, when that differs), header (for a cookie, the Set-Cookie
header line Django writes for it), key (the index of the key that signed
it), algorithm, cookie_name and salt. Each value is read back with Django's
own code before it is written, so a case is one Django accepts.
"""

import json
import math
import sys
import warnings

warnings.simplefilter("ignore")  # DEFAULT_HASHING_ALGORITHM is deprecated in 3.1 and 3.2

from django.conf import settings

keys = json.load(sys.stdin)["keys"]
settings.configure(
    SECRET_KEY=keys[0],
    INSTALLED_APPS=["django.contrib.messages", "django.contrib.sessions"],
    MESSAGE_STORAGE="django.contrib.messages.storage.cookie.CookieStorage",
)
import django

django.setup()

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage, MessageEncoder
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core import signing
from django.http import HttpResponse, SimpleCookie
from django.test import RequestFactory
from django.test.utils import override_settings

cases = []


class TextSerializer:
    """A session serializer of a site's own: lines of name=value, no JSON."""

    def dumps(self, obj):
        return "\n".join("%s=%s" % item for item in sorted(obj.items())).encode()

    def loads(self, data):
        return dict(line.split("=", 1) for line in data.decode().splitlines())


# The cookie each kind travels in; the others are tokens, not cookies.
COOKIES = {"session": "sessionid", "messages": "messages", "messages-3.1": "messages",
           "messages-legacy": "messages"}


def add(kind, value, key, algorithm, **extra):
    case = {"kind": kind, "value": value, "coded": SimpleCookie().value_encode(value)[1],
            "key": key, "algorithm": algorithm}
    case.update(extra)
    name = COOKIES.get(kind) or extra.get("cookie_name")
    if name:
        response = HttpResponse()
        response.set_cookie(name, value, max_age=1209600, path="/", httponly=True, samesite="Lax")
        case["header"] = response.cookies[name].output(header="Set-Cookie:")
    cases.append(case)


def request_with(name, value):
    request = RequestFactory().get("/")
    request.COOKIES[name] = value
    return request


def messages_cookie(texts):
    storage = CookieStorage(RequestFactory().get("/"))
    for text in texts:
        storage.add(constants.INFO, text)
    response = HttpResponse()
    storage.update(response)
    value = response.cookies["messages"].value
    assert [m.message for m in CookieStorage(request_with("messages", value))] == texts
    return value


def sign_all(key, algorithm):
    # A short session stays uncompressed; a long one is zlib-compressed.
    for data in ({"u": "1"}, {"cart": list(range(60)), "user": "42"}):
        session = SessionStore()
        session.update(data)
        session.save()
        assert SessionStore(session.session_key).load() == data
        add("session", session.session_key, key, algorithm)
    # Sessions whose payload djguard must not need to read: one that inflates
    # to megabytes, one holding NaN (which Python's json writes and JSON
    # forbids), and one written by a SESSION_SERIALIZER of the site's own.
    session = SessionStore()
    session["blob"] = "a" * 3000000
    session.save()
    assert SessionStore(session.session_key).load()["blob"] == "a" * 3000000
    add("session", session.session_key, key, algorithm)
    session = SessionStore()
    session["score"] = float("nan")
    session.save()
    assert math.isnan(SessionStore(session.session_key).load()["score"])
    add("session", session.session_key, key, algorithm)
    with override_settings(SESSION_SERIALIZER="__main__.TextSerializer"):
        session = SessionStore()
        session["u"] = "1"
        session.save()
        assert SessionStore(session.session_key).load() == {"u": "1"}
        add("session", session.session_key, key, algorithm)
    # Sessions could be pickled until Django 5.0 (PickleSerializer).
    with override_settings(SESSION_SERIALIZER="django.contrib.sessions.serializers.PickleSerializer"):
        session = SessionStore()
        session["u"] = "1"
        session.save()
        assert SessionStore(session.session_key).load() == {"u": "1"}
        add("session", session.session_key, key, algorithm)

    add("messages", messages_cookie(["Saved, thanks"]), key, algorithm)
    add("messages", messages_cookie(["Saved %d" % i for i in range(20)]), key, algorithm)

    storage = CookieStorage(RequestFactory().get("/"))
    text = MessageEncoder(separators=(",", ":")).encode(["Saved, \"quoted\" \u00e9"])
    value = storage.signer.sign(text)
    assert CookieStorage(request_with("messages", value))._decode(value) == ["Saved, \"quoted\" \u00e9"]
    add("messages-3.1", value, key, algorithm)

    # "cart" holds a JSON list, as the messages cookie of Django 3.1 did.
    for name, salt, plain in (("theme", "", "dark"), ("prefs", "ui", "wide; \"tall\", \u00e9"), ("cart", "", "[1,2]")):
        response = HttpResponse()
        response.set_signed_cookie(name, plain, salt=salt)
        value = response.cookies[name].value
        assert request_with(name, value).get_signed_cookie(name, salt=salt) == plain
        add("cookie", value, key, algorithm, cookie_name=name, salt=salt)

    value = signing.dumps({"a": 1})
    assert signing.loads(value) == {"a": 1}
    add("dumps", value, key, algorithm)
    value = signing.dumps(["invite", 7], salt="invites", compress=True)
    assert signing.loads(value, salt="invites") == ["invite", 7]
    add("dumps", value, key, algorithm, salt="invites")

    # Salts of an application's own: django-allauth's signing.dumps(pk,
    # salt="account"), and sign_object on a TimestampSigner with a salt.
    value = signing.dumps(42, salt="account")
    assert signing.loads(value, salt="account") == 42
    add("dumps", value, key, algorithm, salt="account")
    value = signing.TimestampSigner(salt="cart").sign_object({"items": [1, 2]})
    assert signing.TimestampSigner(salt="cart").unsign_object(value) == {"items": [1, 2]}
    add("dumps", value, key, algorithm, salt="cart")

    value = signing.TimestampSigner().sign("hello")
    assert signing.TimestampSigner().unsign(value) == "hello"
    add("timestamp", value, key, algorithm)
    value = signing.TimestampSigner(salt="reset").sign("user:42")
    assert signing.TimestampSigner(salt="reset").unsign(value) == "user:42"
    add("timestamp", value, key, algorithm, salt="reset")

    value = signing.Signer().sign("hello:world")
    assert signing.Signer().unsign(value) == "hello:world"
    add("signer", value, key, algorithm)
    value = signing.Signer(salt="unsubscribe").sign("42")
    assert signing.Signer(salt="unsubscribe").unsign(value) == "42"
    add("signer", value, key, algorithm, salt="unsubscribe")


for index, key in enumerate(keys[:2]):
    for algorithm in ("sha256", "sha1"):
        with override_settings(SECRET_KEY=key, DEFAULT_HASHING_ALGORITHM=algorithm):
            sign_all(index, algorithm)

    # The messages cookie before Django 3.1, which 3.2 still reads.
    with override_settings(SECRET_KEY=key):
        storage = CookieStorage(RequestFactory().get("/"))
        text = MessageEncoder(separators=(",", ":")).encode(["Old, \"format\""])
        value = storage._legacy_hash(text) + "$" + text
        assert storage._decode(value) == ["Old, \"format\""]
        add("messages-legacy", value, index, "sha1")

json.dump(cases, sys.stdout)
