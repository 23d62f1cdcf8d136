from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "prongsai.oversight"
    verbose_name = _("การกำกับดูแล")

    def ready(self) -> None:
        from prongsai.audit.events import describe_events
        from prongsai.oversight import audit_state, hooks

        describe_events(
            {
                "oversight.grant": _("ให้สิทธิ์กำกับดูแลแก่ %(user)s (%(level)s %(area)s)"),
                "oversight.change": _("เปลี่ยนสิทธิ์ตรวจความสอดคล้องของ %(user)s (%(level)s %(area)s)"),
                "oversight.revoke": _("ยกเลิกสิทธิ์กำกับดูแลของ %(user)s (%(level)s %(area)s)"),
            }
        )
        audit_state.register()
        hooks.connect()
