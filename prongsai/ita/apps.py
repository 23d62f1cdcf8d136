from django.apps import AppConfig


class ItaConfig(AppConfig):
    name = "prongsai.ita"
