from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "prongsai.documents"

    def ready(self) -> None:
        from prongsai.documents import audit_state, checks  # noqa: F401  (checks registers the system checks)

        audit_state.register()
