import os

SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "dev-only-insecure-key")
