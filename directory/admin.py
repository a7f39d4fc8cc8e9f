"""The association's first back office, scoped by role.

Coordinators see their association (and those below a regional coordination);
facilitators see only the groups they facilitate. Out-of-scope objects simply do
not exist for them.
"""

import rules
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.scopes import coordinated_associations, editable_groups, has_back_office
from directory.forms import ScheduleExceptionForm, ScheduleForm
from directory.models import Association, Group, Meeting, Schedule, ScheduleException, Theme, Venue
from directory.services import group_refresh_search_fields, group_sync_meetings, venue_refresh_groups
from privacy.audit import audit
from privacy.models import AuditAction


def _back_office_permission(request) -> bool:
    # A role is enough to enter the back office; no separate "staff" switch to forget.
    user = request.user
    return user.is_active and (user.is_staff or has_back_office(user))


admin.site.has_permission = _back_office_permission
admin.site.site_header = _("Cerchio – amministrazione")
admin.site.site_title = _("Cerchio")
admin.site.index_title = _("Gestione della rete")


class ScopedAdmin(admin.ModelAdmin):
    """Permissions come from the person's memberships, checked through `scope()`."""

    coordinators_only = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def scope(self, request) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope(request)

    # The admin asks these for every model on every page: answer once per request.
    def _is_coordinator(self, request) -> bool:
        if not hasattr(request, "_cerchio_is_coordinator"):
            request._cerchio_is_coordinator = coordinated_associations(request.user).exists()
        return request._cerchio_is_coordinator

    def _has_back_office(self, request) -> bool:
        if not hasattr(request, "_cerchio_back_office"):
            request._cerchio_back_office = has_back_office(request.user)
        return request._cerchio_back_office

    def has_module_permission(self, request) -> bool:
        if not self._has_back_office(request):
            return False
        return not self.coordinators_only or self._is_coordinator(request)

    def _in_scope(self, request, obj) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self.scope(request).filter(pk=obj.pk).exists()

    def _allowed(self, request, action: str, obj) -> bool:
        """Object permissions declared with django-rules win where they exist (accounts/rules.py)."""
        if obj is not None and rules.perm_exists(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}"):
            return self.has_module_permission(request) and request.user.has_perm(
                f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", obj
            )
        return self._in_scope(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request, "view", obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, "change", obj)

    def has_add_permission(self, request) -> bool:
        return self._is_coordinator(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_coordinator(request) and self._in_scope(request, obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self._has_back_office(request):
            # The object exists but lies outside the person's scope: a refused access.
            field = self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
            try:
                exists = self.model._default_manager.filter(**{field.name: field.to_python(object_id)}).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                audit(AuditAction.AUTHORIZATION_FAILED, actor=request.user)
        return obj


class ScopedInline:
    """Inlines follow the permissions of the object they sit in."""

    def _parent_allows(self, request, obj) -> bool:
        parent_admin = self.admin_site._registry[self.parent_model]
        return parent_admin.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._parent_allows(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._parent_allows(request, obj)


@admin.register(Theme)
class ThemeAdmin(ScopedAdmin):
    list_display = ["name_it", "name_en", "slug"]
    search_fields = ["name_it", "name_en"]
    prepopulated_fields = {"slug": ["name_it"]}

    def scope(self, request):
        return Theme.objects.all()

    # Themes are shared by the whole network: only site administrators edit them.
    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Association)
class AssociationAdmin(ScopedAdmin):
    coordinators_only = True
    list_display = ["name", "city", "coordination"]
    prepopulated_fields = {"slug": ["name"]}

    def scope(self, request):
        return coordinated_associations(request.user)

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Venue)
class VenueAdmin(ScopedAdmin):
    list_display = ["name", "comune", "province", "step_free"]
    list_filter = ["province", "step_free"]
    search_fields = ["name", "comune", "address"]

    def scope(self, request):
        associations = coordinated_associations(request.user).values("pk")
        used = editable_groups(request.user).values("venue_id")
        return Venue.objects.filter(association__in=associations) | Venue.objects.filter(pk__in=used)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "association":
            kwargs["queryset"] = coordinated_associations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        venue_refresh_groups(venue=obj)


class ScheduleInline(ScopedInline, admin.StackedInline):
    model = Schedule
    form = ScheduleForm
    extra = 0
    show_change_link = True


@admin.register(Group)
class GroupAdmin(ScopedAdmin):
    list_display = ["name", "association", "status", "accepting_newcomers"]
    list_filter = ["status", "themes", "audience", "accepting_newcomers"]
    search_fields = ["name", "description"]
    # Checkboxes work on a phone; an association has a few dozen themes.
    formfield_overrides = {
        **ScopedAdmin.formfield_overrides,
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ScheduleInline]
    fieldsets = [
        (None, {"fields": ["association", "name", "slug", "themes", "description", "status"]}),
        (_("Chi e come"), {"fields": ["audience", "facilitator_kind", "entry", "accepting_newcomers", "max_size"]}),
        (_("Dove"), {"fields": ["venue", "online_url", "language", "accessibility_notes"]}),
        (_("Storia"), {"fields": ["start_mode", "parent"]}),
    ]

    def scope(self, request):
        return editable_groups(request.user).select_related("association")

    def get_readonly_fields(self, request, obj=None):
        # A facilitator runs the group's day-to-day; where it belongs is the association's call.
        if obj is not None and not self._is_coordinator(request):
            return ["association", "slug", "status", "start_mode", "parent"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if "slug" in self.get_readonly_fields(request, obj) else super().get_prepopulated_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "association":
            kwargs["queryset"] = coordinated_associations(request.user)
        elif db_field.name == "venue":
            kwargs["queryset"] = self.admin_site._registry[Venue].scope(request)
        elif db_field.name == "parent":
            kwargs["queryset"] = self.scope(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group_sync_meetings(group=form.instance)


class ScheduleExceptionInline(ScopedInline, admin.TabularInline):
    model = ScheduleException
    form = ScheduleExceptionForm
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "new_venue":
            kwargs["queryset"] = self.admin_site._registry[Venue].scope(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Schedule)
class ScheduleAdmin(ScopedAdmin):
    form = ScheduleForm
    list_display = ["group", "__str__", "starts_on"]
    inlines = [ScheduleExceptionInline]

    def scope(self, request):
        return Schedule.objects.filter(group__in=editable_groups(request.user)).select_related("group")

    def has_add_permission(self, request):
        return self._has_back_office(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = editable_groups(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return ["group", *ScheduleForm.Meta.fields]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group_sync_meetings(group=form.instance.group)

    def delete_model(self, request, obj):
        group = obj.group
        super().delete_model(request, obj)
        group_refresh_search_fields(group=group)

    def delete_queryset(self, request, queryset):
        groups = list(Group.objects.filter(schedules__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for group in groups:
            group_refresh_search_fields(group=group)


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["group", "starts_at", "is_cancelled", "is_changed"]
    list_filter = ["is_cancelled", "is_changed"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "group",
        "schedule",
        "original_start",
        "starts_at",
        "ends_at",
        "venue",
        "is_cancelled",
        "is_changed",
        "note",
    ]

    def scope(self, request):
        return Meeting.objects.filter(group__in=editable_groups(request.user)).select_related("group")

    # Meetings follow from schedules and their exceptions; they are not edited one by one.
    # Deleting is allowed only as part of deleting their group or schedule.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
