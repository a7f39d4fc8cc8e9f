from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.auth.models import User

from accounts.models import AssociationMembership, GroupMembership
from accounts.scopes import coordinated_associations, editable_groups
from directory.admin import ScopedAdmin
from privacy.audit import audit
from privacy.models import AuditAction
from privacy.sealing import claim, seal
from privacy.services import user_erase


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


class AuditedUserAdmin(UserAdmin):
    """Site administrators' view of accounts: every look and change is in the audit log."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        person = self.get_object(request, object_id)
        if person is not None and response.status_code == 200:
            audit(AuditAction.VIEWED, actor=request.user, subject=person, target=person)
        return response

    def save_model(self, request, obj, form, change):
        obj.email = seal(obj.email) if obj.email else obj.email  # never stored in clear
        super().save_model(request, obj, form, change)
        claim(user=obj)
        audit(AuditAction.CHANGED, actor=request.user, subject=obj, target=obj)

    def delete_model(self, request, obj):
        audit(AuditAction.DELETED, actor=request.user)
        user_erase(user=obj)

    def delete_queryset(self, request, queryset):
        # Bulk deletion erases each person completely, as a single deletion does.
        for person in list(queryset):
            self.delete_model(request, person)


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
