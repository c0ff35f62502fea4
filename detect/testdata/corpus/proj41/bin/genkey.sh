#!/bin/sh
export DJANGO_SECRET_KEY="$(openssl rand -base64 48)"
DJANGO_SECRET_KEY=$(cat /dev/urandom | tr -dc 'a-z0-9!@#$%^&*' | head -c 50)
echo "generated a key"
