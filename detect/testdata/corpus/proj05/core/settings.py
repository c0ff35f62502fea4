from decouple import config

# Read from the environment; never committed.
SECRET_KEY = config("SECRET_KEY")
DEBUG = config("DEBUG", default=False, cast=bool)
EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD", default="")
