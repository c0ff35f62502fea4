from .base import *  # noqa

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]
SECURE_HSTS_SECONDS = 31536000
