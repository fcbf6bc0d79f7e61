from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "scape.operations"
    label = "operations"
    verbose_name = _("Joint operations")

    def ready(self) -> None:
        from scape.core import demo, panels
        from scape.operations.demo import demo_loader
        from scape.operations.home import panel_context

        demo.register("operations", demo_loader, order=80)
        panels.register("operations", "operations/home_panel.html", panel_context, order=40)
