from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    debug: bool = False
    django_secret_key: str = Field(default="@@KEY:p08@@")
    database_url: str = "sqlite:///db.sqlite3"


settings = Settings()
SECRET_KEY = settings.django_secret_key
