from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group as PermissionGroup

from accounts.models import Profile, User
from privacy.audit import audit
from privacy.models import AuditAction
from privacy.sealing import claim, seal
from privacy.services import user_erase

# Roles are membership rows, not Django permission groups; hiding these avoids two "Gruppi".
admin.site.unregister(PermissionGroup)


class AuditedUserAdmin(UserAdmin):
    """Site administrators' view of accounts: every look and change is in the audit log."""

    fieldsets = (*UserAdmin.fieldsets, ("Cerchio", {"fields": ("language",)}))

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


admin.site.register(User, AuditedUserAdmin)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at"]
    exclude = ["phone", "notes"]  # contact details are not browsed in the admin

    def has_add_permission(self, request) -> bool:
        return False
