from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentConfig(AppConfig):
    name = "scape.equipment"
    label = "equipment"
    verbose_name = _("Equipment and eco-fleet")

    def ready(self) -> None:
        from scape.core import demo, panels, schedule
        from scape.equipment.demo import demo_loader
        from scape.equipment.home import panel_context
        from scape.equipment.jobs import send_reminders

        demo.register("equipment", demo_loader, order=30)
        schedule.register("equipment.maintenance_reminders", timedelta(hours=1), send_reminders)
        panels.register(
            "equipment.maintenance", "equipment/home_panel.html", panel_context, order=30
        )
