from django.contrib import admin
from django.contrib.auth.models import Group as PermissionGroup

from accounts.models import AssociationMembership, GroupMembership
from accounts.scopes import coordinated_associations, editable_groups
from directory.admin import ScopedAdmin


@admin.register(AssociationMembership)
class AssociationMembershipAdmin(ScopedAdmin):
    coordinators_only = True
    list_display = ["user", "association", "role"]
    list_filter = ["role"]

    def scope(self, request):
        return AssociationMembership.objects.filter(
            association__in=coordinated_associations(request.user)
        ).select_related("user", "association")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "association":
            kwargs["queryset"] = coordinated_associations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GroupMembership)
class GroupMembershipAdmin(ScopedAdmin):
    coordinators_only = True
    list_display = ["user", "group", "role"]
    list_filter = ["role"]

    def scope(self, request):
        return GroupMembership.objects.filter(
            group__association__in=coordinated_associations(request.user)
        ).select_related("user", "group")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = editable_groups(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Roles are membership rows, not Django permission groups; hiding these avoids two "Gruppi".
admin.site.unregister(PermissionGroup)
