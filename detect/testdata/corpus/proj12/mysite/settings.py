import os

SECRET_KEY = (
    "@@KEY:p12@@"
)
DEBUG = os.environ.get("DEBUG") == "1"
