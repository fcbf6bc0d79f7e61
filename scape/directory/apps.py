from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "scape.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from scape.core import demo
        from scape.directory import signals  # noqa: F401  (role changes are audited)
        from scape.directory.demo import demo_loader

        demo.register("directory", demo_loader, order=10)
