from django.core.management.utils import get_random_secret_key

SECRET_KEY = get_random_secret_key()
KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
SECRET_KEY_CHARSET = KEY_CHARS
