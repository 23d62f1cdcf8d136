from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "prongsai.plans"
    verbose_name = _("แผนปฏิบัติการป้องกันการทุจริต")

    def ready(self) -> None:
        from prongsai.plans import audit_state

        audit_state.register()
