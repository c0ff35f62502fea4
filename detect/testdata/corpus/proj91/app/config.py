from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_")

    debug: bool = False
    secret_key: str = Field(default="changeme")
    database_url: str = "sqlite:///db.sqlite3"
    stripe_secret_key: str = Field(default="")


settings = Settings()
