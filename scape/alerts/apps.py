from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "scape.alerts"
    label = "alerts"
    verbose_name = _("Public notices")

    def ready(self) -> None:
        from scape.alerts.demo import demo_loader
        from scape.core import demo

        demo.register("alerts", demo_loader, order=90)
