from cryptography.fernet import Fernet

FERNET_KEYS = [b"7B6hXj3Rq2vZ9mW1pL8sT4yN0cF5dG2kJ6eA3uI9oQ4="]
f = Fernet(FERNET_KEYS[0])
