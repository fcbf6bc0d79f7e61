"""The admin's two shapes, and the core records in it.

Every model in the admin uses one of two bases:

- ``ReadOnlyAdmin``: records written by the actions (grants, people, jobs,
  evidence, …). The admin shows them; it adds, changes and deletes nothing, so
  no check of an action (ranks, sharing rules, the audit chain) is bypassed.
  Where the admin offers a change, it is an admin action that calls the same
  action as the pages (``GrantAdmin`` revokes through ``do_revoke_grant``).
- ``AuditedAdmin``: reference data with no page of its own (competencies,
  incident types, emission factors, indicators). Every save and delete, inline
  rows included, is recorded in the audit chain with the fields changed.

``tests/core/test_admin.py`` fails if a model is registered with another base.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from scape.core import audit
from scape.core.actions import do_revoke_grant
from scape.core.models import AuditEvent, Grant, Job, SignInLink, WorkerHeartbeat


class _AsksBeforeLooking(admin.ModelAdmin):
    """Refuse a record's history to staff who may not see the model before looking it up.

    Django's history page looks the record up first: a missing one redirects,
    an existing one answers 403, which tells staff without the right which
    records exist. The change and delete pages already ask first.
    """

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class ReadOnlyAdmin(_AsksBeforeLooking):
    """Show records written by the actions; nobody adds, changes or deletes them here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under a read-only record, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _action(obj: models.Model, verb: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}_{verb}"


class AuditedAdmin(_AsksBeforeLooking):
    """Record every save and delete made in the admin in the audit chain, inlines included."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                _action(obj, "changed" if change else "created"),
                obj=obj,
                actor=request.user,
                details={"fields": sorted(form.changed_data), "via": "admin"},
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            for row in formset.deleted_forms:
                if row.instance.pk is not None:
                    audit.record(
                        _action(row.instance, "deleted"), obj=row.instance, actor=request.user
                    )
            instances = formset.save()
            for obj in instances:
                row = next((f for f in formset.forms if f.instance is obj), None)
                created = row is not None and not row.initial
                audit.record(
                    _action(obj, "created" if created else "changed"),
                    obj=obj,
                    actor=request.user,
                    details={"fields": sorted(row.changed_data) if row else [], "via": "admin"},
                )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(_action(obj, "deleted"), obj=obj, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # "Delete selected" records each row, as deleting it from its page would.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only everywhere, the admin included."""

    list_display = ["id", "time", "actor_username", "actor_org", "action", "object_type", "outcome"]
    list_filter = ["outcome", "actor_org"]
    search_fields = ["actor_username", "action", "object_id"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    """Grants are the legal basis of each disclosure: made on the record's page, revoked here or there."""

    list_display = ["content_type", "object_id", "owner", "grantee", "expires_at", "revoked_at"]
    list_filter = ["grantee", "owner"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected shares"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Grant]) -> None:
        done = 0
        for grant in queryset.filter(revoked_at__isnull=True):
            try:
                do_revoke_grant(grant, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{grant}: {' '.join(exc.messages)}", messages.ERROR)
            except PermissionDenied:
                self.message_user(
                    request, f"{grant}: {_('Your role may not do this.')}", messages.ERROR
                )
            else:
                done += 1
        self.message_user(request, _("Shares revoked: %(count)s.") % {"count": done})


@admin.register(SignInLink)
class SignInLinkAdmin(AuditedAdmin):
    """Links are made by their owner only (profile); an administrator may remove one, recorded."""

    list_display = ["user", "subject", "linked_at"]
    search_fields = ["user__username", "subject"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "progress", "heartbeat_at", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]


# --- Other packages' models: the same two shapes ------------------------------


def _reregister(model: type[models.Model], admin_class: type[admin.ModelAdmin]) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


def _register_packages() -> None:
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth import get_user_model
    from django.contrib.auth.admin import GroupAdmin, UserAdmin
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult
    from rest_framework.authtoken.models import TokenProxy

    class AuditedUserAdmin(AuditedAdmin, UserAdmin):
        """Accounts: every change recorded (a superuser flag above all), the password too."""

        def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, id)
                audit.record("auth.user_password_set", obj=user, actor=request.user)
            return response

    class AuditedAccessAttemptAdmin(AuditedAdmin, AccessAttemptAdmin):
        """Failed logins: deleting one unlocks an account, so each deletion is recorded."""

    class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
        """Groups carry admin permissions: every change recorded."""

    class LoginLogAdmin(ReadOnlyAdmin, AccessLogAdmin):
        pass

    class FailureLogAdmin(ReadOnlyAdmin, AccessFailureLogAdmin):
        pass

    class TaskResultAdmin(ReadOnlyAdmin):
        list_display = ["id", "task_path", "status", "enqueued_at", "finished_at"]
        list_filter = ["status"]

    _reregister(get_user_model(), AuditedUserAdmin)
    _reregister(Group, AuditedGroupAdmin)
    _reregister(AccessLog, LoginLogAdmin)
    _reregister(AccessFailureLog, FailureLogAdmin)
    _reregister(AccessAttempt, AuditedAccessAttemptAdmin)
    _reregister(DBTaskResult, TaskResultAdmin)
    # API tokens carry a scope and an expiry chosen on the profile page, and an
    # authenticator is enrolled with an administrator's leave: neither is made here.
    for model in (TokenProxy, TOTPDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_register_packages()
