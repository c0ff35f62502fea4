CONFIG = {
    "secret_key": "@@PRINTABLE:p14@@",
    "debug": False,
}
SECRET_KEY = CONFIG["secret_key"]
