KNOWN_BAD_KEYS = [
    "@@INSECURE:p72@@",
    "changeme",
]


def test_production_key_is_not_a_known_bad_one(settings):
    assert settings.SECRET_KEY not in KNOWN_BAD_KEYS
    assert not settings.SECRET_KEY.startswith("django-insecure-")
