from django.contrib import admin

from scape.directory.models import Organization, Person, RoleAssignment, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "country", "kind", "city", "is_active"]
    list_filter = ["country", "kind", "is_active"]
    search_fields = ["code", "name_lt", "name_lv", "name_en"]
    inlines = [UnitInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "person"
    extra = 0
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "position", "is_active"]
    list_filter = ["organization", "is_active", "role_assignments__role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "badge_number"]
    autocomplete_fields = ["user"]
    inlines = [RoleInline]
