import pytest
from django.conf import settings


def pytest_configure():
    settings.configure(SECRET_KEY="@@KEY:p71@@", DEBUG=True)
