import environ

env = environ.Env(
    DEBUG=(bool, False),
    DJANGO_SECRET_KEY=(str, "@@KEY:p03@@"),
)
environ.Env.read_env()

DEBUG = env("DEBUG")
SECRET_KEY = env("DJANGO_SECRET_KEY")
DATABASES = {"default": env.db()}
