from allauth.mfa.models import Authenticator
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


# allauth registers Authenticator with every field, its secrets among them.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Second factors, read-only and without their secrets; each look is in the audit log."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    fields = readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # Each look is written by privacy.middleware.AuditPersonalPagesMiddleware, like every MFA page.

    def delete_model(self, request, obj):
        # A person who lost their phone: the administrator removes the factor, and it is logged.
        audit(AuditAction.MFA_REMOVED, actor=request.user, subject=obj.user, target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for authenticator in list(queryset):
            self.delete_model(request, authenticator)
