"""The Django admin: for site administrators only.

Coordinators and facilitators work in the workspace. Here every change still goes
through network.services, so the admin keeps meetings, search columns and the
activity log right exactly as the workspace does; no business logic lives here.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from network import services
from network.models import (
    Activity,
    Association,
    AssociationMembership,
    Group,
    GroupMembership,
    Invitation,
    Meeting,
    Pause,
    Schedule,
    ScheduleException,
    Theme,
    Venue,
)

admin.site.site_header = _("Cerchio – amministrazione del sito")
admin.site.site_title = _("Cerchio")
admin.site.index_title = _("Amministrazione del sito")


def _site_admin(request) -> bool:
    return request.user.is_active and request.user.is_superuser


# Only site administrators enter the Django admin.
admin.site.has_permission = _site_admin


class SiteAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request) -> bool:
        return _site_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _site_admin(request)

    def has_add_permission(self, request) -> bool:
        return _site_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _site_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the network closes and ends things; it does not delete them


class ReadOnlyAdmin(SiteAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def _changes(form, fields) -> dict:
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


class ThemeAdminForm(forms.ModelForm):
    def clean_synonyms(self) -> str:
        try:
            return services.clean_synonyms(self.cleaned_data["synonyms"])
        except services.Refused as refusal:
            raise forms.ValidationError(refusal.messages) from refusal


@admin.register(Theme)
class ThemeAdmin(SiteAdmin):
    form = ThemeAdminForm
    list_display = ["name_it", "name_en", "synonyms", "slug"]
    search_fields = ["name_it", "name_en", "synonyms"]
    fields = ["slug", "name_it", "name_en", "synonyms"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            theme = Theme.objects.get(pk=obj.pk)
            if (theme.name_it, theme.name_en) != (data["name_it"], data["name_en"]):
                theme = services.theme_rename(
                    theme=theme, name_it=data["name_it"], name_en=data["name_en"], by=request.user
                )
            services.theme_set_synonyms(theme=theme, synonyms=data["synonyms"], by=request.user)
        else:
            created = services.theme_create(
                slug=data["slug"],
                name_it=data["name_it"],
                name_en=data["name_en"],
                synonyms=data["synonyms"],
                by=request.user,
            )
            obj.pk = created.pk


@admin.register(Association)
class AssociationAdmin(SiteAdmin):
    list_display = ["name", "city", "coordination"]
    fields = [
        "name",
        "slug",
        "coordination",
        "city",
        "public_email",
        "public_phone",
        "website",
        "about",
        "about_en",
        "urgent_numbers",
        "urgent_numbers_en",
    ]

    def save_model(self, request, obj, form, change):
        fields = _changes(form, self.fields)
        if change:
            original = Association.objects.get(pk=obj.pk)
            services.association_update(association=original, by=request.user, **fields)
        else:
            obj.pk = services.association_create(by=request.user, **fields).pk


@admin.register(Venue)
class VenueAdmin(SiteAdmin):
    list_display = ["name", "comune", "province", "association"]
    list_filter = ["province", "association"]
    search_fields = ["name", "comune", "address"]
    fields = ["association", *sorted(services.VENUE_FIELDS)]

    def get_readonly_fields(self, request, obj=None):
        return ["association"] if obj else []

    def save_model(self, request, obj, form, change):
        fields = _changes(form, services.VENUE_FIELDS)
        if change:
            services.venue_update(venue=Venue.objects.get(pk=obj.pk), by=request.user, **fields)
        else:
            association = form.cleaned_data["association"]
            obj.pk = services.venue_create(association=association, by=request.user, **fields).pk


class GroupAdminForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["association", "themes", "status", *sorted(services.GROUP_FIELDS)]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def clean(self):
        # The services' rules, checked before anything is written (the admin would otherwise 500).
        data = super().clean()
        association = data.get("association") or getattr(self.instance, "association", None)
        venue = data.get("venue")
        if venue is not None and association is not None and venue.association_id != association.pk:
            self.add_error("venue", _("La sede appartiene a un'altra associazione."))
        parent = data.get("parent")
        if parent is not None and association is not None and parent.association_id != association.pk:
            self.add_error("parent", _("Scegli come origine un altro gruppo della stessa associazione."))
        if self.instance.pk and data.get("status"):
            current = Group.objects.get(pk=self.instance.pk).status
            if data["status"] != current and data["status"] not in services.STATUS_TRANSITIONS.get(current, set()):
                self.add_error("status", _("Da questo stato il gruppo non può passare a quello scelto."))
            elif data["status"] != current:
                group = Group.objects.get(pk=self.instance.pk)
                try:
                    services.refuse_unready(group=group, status=data["status"])
                except services.Refused as refused:
                    self.add_error("status", refused.messages)
        return data


class ScheduleInline(admin.TabularInline):
    """Schedules with their RRULE: only site administrators ever see the rule itself."""

    model = Schedule
    fields = ["rrule", "starts_on", "ends_on", "start_time", "duration_minutes", "timezone"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Group)
class GroupAdmin(SiteAdmin):
    form = GroupAdminForm
    list_display = ["name", "association", "status", "accepting_newcomers"]
    list_filter = ["status", "association", "themes"]
    search_fields = ["name", "description"]
    inlines = [ScheduleInline]

    def get_readonly_fields(self, request, obj=None):
        return ["association"] if obj else []

    def save_model(self, request, obj, form, change):
        pass  # the services below write the group, its themes and what follows from them

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            # The schedules are read-only here and never saved; the change message
            # still reads what each formset saved.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        data = form.cleaned_data
        fields = _changes(form, services.GROUP_FIELDS)
        if change:
            group = Group.objects.get(pk=form.instance.pk)
            services.group_update(group=group, by=request.user, themes=data["themes"], **fields)
            services.group_set_status(group=group, status=data["status"], by=request.user)
        else:
            group = services.group_create(
                association=data["association"],
                by=request.user,
                themes=data["themes"],
                status=data["status"],
                **fields,
            )
            form.instance.pk = group.pk


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ["group", "rrule", "start_time", "starts_on", "ends_on"]
    search_fields = ["group__name"]


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(ReadOnlyAdmin):
    list_display = ["schedule", "original_date", "kind", "new_date", "new_start_time", "new_venue"]


@admin.register(Pause)
class PauseAdmin(ReadOnlyAdmin):
    list_display = ["group", "starts_on", "ends_on"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["group", "original_date", "starts_at", "is_cancelled", "is_changed", "is_scheduled"]
    list_filter = ["is_cancelled", "is_changed", "is_scheduled"]
    date_hierarchy = "starts_at"


class MembershipAdmin(SiteAdmin):
    list_filter = ["role"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return _site_admin(request)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        scope = {self.scope_field: data[self.scope_field]}
        obj.pk = services.membership_grant(user=data["user"], role=data["role"], by=request.user, **scope).pk

    def delete_model(self, request, obj):
        services.membership_end(membership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in list(queryset):
            services.membership_end(membership=membership, by=request.user)


@admin.register(AssociationMembership)
class AssociationMembershipAdmin(MembershipAdmin):
    list_display = ["user", "association", "role"]
    scope_field = "association"
    raw_id_fields = ["user"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(MembershipAdmin):
    list_display = ["user", "group", "role"]
    scope_field = "group"
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["association", "group", "role", "created_at", "expires_at", "accepted_at", "withdrawn_at"]
    exclude = ["email", "token_hash"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "association", "group", "object_type", "object_id"]
    list_filter = ["action"]
    date_hierarchy = "at"
