SECRET_KEY_FALLBACKS = [
    "@@KEY:p11a@@",
    "@@KEY:p11b@@",
]
SECRET_KEY = open("/run/secrets/django_key").read().strip()
