from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "prongsai.organizations"
    verbose_name = _("องค์กรปกครองส่วนท้องถิ่น")

    def ready(self) -> None:
        from prongsai.organizations import audit_state

        audit_state.register()
