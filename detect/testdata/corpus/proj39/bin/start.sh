#!/bin/bash
DJANGO_SECRET_KEY=@@KEY:p39@@ ./manage.py migrate
