from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "prongsai.portal"
    label = "portal"
    verbose_name = "Public portal"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from prongsai.documents.models import PublishedDocument
        from prongsai.ita.models import Assessment
        from prongsai.portal.cache import forget_stamp
        from prongsai.reports.models import ReportRound
        from prongsai.risks.models import MonitoringRound, RiskRegister

        # What the publication stamp is made of: a save here makes this process read it again at once.
        for model in (PublishedDocument, Assessment, ReportRound, RiskRegister, MonitoringRound):
            post_save.connect(forget_stamp, sender=model, dispatch_uid=f"portal-stamp-save-{model.__name__}")
            post_delete.connect(
                forget_stamp, sender=model, dispatch_uid=f"portal-stamp-delete-{model.__name__}"
            )
