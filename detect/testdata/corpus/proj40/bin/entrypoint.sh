#!/bin/sh
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-@@KEY:p40@@}"
exec gunicorn mysite.wsgi
