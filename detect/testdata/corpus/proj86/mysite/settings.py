<<<<<<< HEAD
SECRET_KEY = "@@KEY:p86a@@"
=======
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
>>>>>>> rotate-key
