#!/bin/sh
set -e
export DJANGO_SETTINGS_MODULE=config.settings.local
export DJANGO_SECRET_KEY='@@KEY:p38@@'
python manage.py runserver 0.0.0.0:8000
