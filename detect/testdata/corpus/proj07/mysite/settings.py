# Django 2.2 project, before django-insecure- keys
import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = '@@KEY:p07@@'

DEBUG = False
