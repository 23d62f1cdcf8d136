from django.apps import AppConfig


class ItaConfig(AppConfig):
    name = "prongsai.ita"

    def ready(self) -> None:
        from prongsai.ita import audit_state

        audit_state.register()
