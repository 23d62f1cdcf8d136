from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "prongsai.api"
    label = "api"
    verbose_name = "API"
