from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prongsai.accounts"

    def ready(self) -> None:
        from prongsai.accounts import checks  # noqa: F401  (registers the system checks)
