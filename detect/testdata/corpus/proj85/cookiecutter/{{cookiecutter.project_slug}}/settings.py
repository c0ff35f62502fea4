SECRET_KEY = "{{ cookiecutter.django_secret_key }}"
ALLOWED_HOSTS = ["{{ cookiecutter.domain }}"]
