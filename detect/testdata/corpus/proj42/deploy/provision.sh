#!/bin/bash
# Reads the key from the secrets manager at deploy time.
DJANGO_SECRET_KEY=$(aws secretsmanager get-secret-value --secret-id mysite/django --query SecretString --output text)
export DJANGO_SECRET_KEY
