from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "scape.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from scape.core import signals  # noqa: F401  (connects the audit receivers)
