"""The vault in the admin: its settings shown, its evidence not at all.

Evidence, cases, links, uploads and redactions are written only by the vault's
actions, which keep the custody chain, the hashes and the audit trail; and
looking at them is a consultation that the pages record with its reason. So
they are not in the admin, where neither would hold. Categories and retention
rules are shown read-only: a custodian sets them on the retention page.
"""

from django.contrib import admin

from scape.core.admin import ReadOnlyAdmin
from scape.vault.models import Category, RetentionPolicy


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "organization", "name_en"]
    list_filter = ["organization"]


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ReadOnlyAdmin):
    list_display = ["organization", "category", "source_type", "keep_days"]
    list_filter = ["organization"]
