from .base import *  # noqa

DEBUG = True
SECRET_KEY = "@@KEY:p02local@@"
INTERNAL_IPS = ["127.0.0.1"]
