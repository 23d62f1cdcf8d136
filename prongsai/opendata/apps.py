from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "prongsai.opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from prongsai.opendata import checks  # noqa: F401 - registers the system checks
