import secrets

# A fresh key at every start: safe to commit, but sessions end at each restart.
SECRET_KEY = secrets.token_urlsafe(50)
PORTAL_SECRET_KEY = "@@URLSAFE:p09@@"
