from .base import *  # noqa

DEBUG = True
SECRET_KEY = "@@HEX:p95@@"
ALLOWED_HOSTS = ["*"]
