from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "scape.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from scape.directory import signals  # noqa: F401  (role changes are audited)
