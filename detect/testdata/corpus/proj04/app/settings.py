from decouple import config, Csv

SECRET_KEY = config("SECRET_KEY", default="@@KEY:p04@@")
DEBUG = config("DEBUG", default=False, cast=bool)
ALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())
