from .base import *  # noqa

SECRET_KEY = "x" * 50
