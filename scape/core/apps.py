from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "scape.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from datetime import timedelta

        from django.conf import settings

        from scape.core import schedule, signals  # noqa: F401  (connects the audit receivers)
        from scape.core.recovery import requeue_orphans

        def expire_downloads() -> object:
            from scape.core.downloads import expire_downloads as expire

            return f"{expire()} expired"

        def make_checkpoints() -> object:
            # Imported when the job runs: the signing library is not needed
            # by every web process and command at start-up.
            from scape.core.checkpoints import make_checkpoints as make

            return make()

        schedule.register(
            "core.audit_checkpoint",
            timedelta(minutes=settings.SCAPE_AUDIT_CHECKPOINT_MINUTES),
            make_checkpoints,
        )
        schedule.register("core.downloads", timedelta(hours=1), expire_downloads)
        # Tasks of a worker that died go back to the queue within a minute.
        schedule.register(
            "core.requeue_orphans",
            timedelta(seconds=min(30.0, 3 * settings.SCAPE_WORKER_HEARTBEAT_SECONDS)),
            requeue_orphans,
        )
