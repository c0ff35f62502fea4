import os

# Fallbacks for local development; production sets every variable.
DEFAULTS = {
    "secret_key": "@@B64:p91@@",
    "debug": "1",
}

SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULTS["secret_key"])
DEBUG = os.environ.get("DEBUG", DEFAULTS["debug"]) == "1"
