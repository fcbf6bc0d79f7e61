from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "scape.activities"
    label = "activities"
    verbose_name = _("Joint trainings and events")

    def ready(self) -> None:
        from scape.activities.demo import demo_loader
        from scape.activities.home import panel_context
        from scape.core import demo, panels

        demo.register("activities", demo_loader, order=70)
        panels.register(
            "activities.upcoming", "activities/home_panel.html", panel_context, order=40
        )
