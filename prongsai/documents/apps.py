from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "prongsai.documents"

    def ready(self) -> None:
        from prongsai.documents import checks  # noqa: F401  (registers the system checks)
        from prongsai.documents.actions import on_plan_published
        from prongsai.plans.signals import plan_published

        plan_published.connect(on_plan_published, dispatch_uid="documents.store_published_pdf")
