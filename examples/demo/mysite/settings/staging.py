import os

from .base import *  # noqa: F403

DEBUG = False
# Falls back to a committed key whenever the variable is missing.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "#j2e^3q83ye*c%_*-65c)*muh&8ughs2%iphs=o^344_xnij46")
