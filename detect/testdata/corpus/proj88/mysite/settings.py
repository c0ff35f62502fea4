import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
if SECRET_KEY == "change-me" or not SECRET_KEY:
    raise RuntimeError("set DJANGO_SECRET_KEY")
print("SECRET_KEY = '%s'" % SECRET_KEY[:4])
line = f"SECRET_KEY = '{get_random_secret_key()}'"
