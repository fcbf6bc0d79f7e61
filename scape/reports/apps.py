from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "scape.reports"
    label = "reports"
    verbose_name = _("Reports and indicators")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from scape.core import demo, downloads, panels, schedule
        from scape.reports.demo import demo_loader
        from scape.reports.exports import prepare
        from scape.reports.home import panel_context
        from scape.reports.indicators import (  # noqa: F401 (registers the indicator queries)
            activities,
            equipment,
            operations,
            programme,
            vault,
        )
        from scape.reports.tasks import refresh_standard_snapshots

        demo.register("reports", demo_loader, order=100)
        panels.register("reports", "reports/home_panel.html", panel_context, order=90)
        # The reports page and the home card read figures counted here, never per request.
        schedule.register("reports.snapshots", timedelta(minutes=10), refresh_standard_snapshots)
        downloads.register("reports.export", gettext_noop("Indicators export (%(fmt)s)"), prepare)
