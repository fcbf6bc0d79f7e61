from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "scape.traffic"
    label = "traffic"
    verbose_name = _("Traffic cameras and plate reading")

    def ready(self) -> None:
        from datetime import timedelta

        from scape.core import demo, panels, schedule
        from scape.traffic import tasks  # noqa: F401  (connects the evidence-read receiver)
        from scape.traffic.actions import expire_reads
        from scape.traffic.demo import demo_loader
        from scape.traffic.home import panel_context

        demo.register("traffic", demo_loader, order=60)
        panels.register("traffic", "traffic/home_panel.html", panel_context, order=35)
        schedule.register("traffic.expire_reads", timedelta(hours=1), expire_reads)
