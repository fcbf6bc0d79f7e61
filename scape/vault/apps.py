from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "scape.vault"
    label = "vault"
    verbose_name = _("Evidence vault")

    def ready(self) -> None:
        from datetime import timedelta

        from scape.core import demo, schedule
        from scape.vault import (
            jobs,
            tasks,  # noqa: F401 - connects item_ingested to media production
        )
        from scape.vault.demo import demo_loader

        demo.register("vault", demo_loader, order=20)
        schedule.register("vault.verify", timedelta(days=1), jobs.verify_all)
        schedule.register("vault.retention", timedelta(hours=1), jobs.retention)
        schedule.register("vault.uploads", timedelta(hours=1), jobs.expire_uploads)
        schedule.register("vault.exports", timedelta(hours=1), jobs.expire_exports)
        schedule.register("vault.sweep_staging", timedelta(hours=1), jobs.sweep_staging)
