"""Forms of the workspace: plain words, what a volunteer on a phone needs and nothing else.

Forms validate what was typed; the services decide and refuse with a reason, and
views show that reason on the form (`add_refusal`).
"""

from datetime import UTC, date, datetime, time

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from following.reminders import hours_before_label
from network import recurrence
from network.models import (
    Association,
    AssociationRole,
    Audience,
    Entry,
    FacilitatorKind,
    Group,
    GroupRole,
    GroupStatus,
    StartMode,
    Theme,
    Venue,
    urgent_line_parse,
)
from network.recurrence import WEEKDAY_CHOICES
from privacy.models import AuditAction


def add_refusal(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, keeping everything that was typed."""
    for message in error.messages:
        form.add_error(None, message)


class SeenVersionMixin:
    """Carries the edited object's `updated_at` through the page, as a hidden field.

    The service compares it with the stored one and refuses the save if someone else
    saved in between; the refused form keeps the value it was loaded with, so only a
    reload (which shows the other person's changes) lets the edit through.
    """

    def __init__(self, *args, version: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = instance.updated_at
        self.fields["seen_version"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["seen_version"].initial = version.isoformat() if version else ""
        self.expected_updated_at: datetime | None = None

    def clean(self):
        data = super().clean()
        seen = (data.pop("seen_version", "") or "").strip()
        if seen:
            try:
                self.expected_updated_at = datetime.fromisoformat(seen)
            except ValueError:
                # A mangled value matches no version: the save is refused, never forced through.
                self.expected_updated_at = datetime.min.replace(tzinfo=UTC)
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("label", _("Avviso pubblico"))  # the form adds "(facoltativo)"
        kwargs.setdefault("help_text", _("Si vede sulla pagina del gruppo. Non scrivere nomi né motivi personali."))
        super().__init__(**kwargs)


class CancelMeetingForm(forms.Form):
    note = NoteField()


class MoveMeetingForm(forms.Form):
    new_date = forms.DateField(label=_("Nuova data"), widget=DateInput())
    new_time = forms.TimeField(label=_("Nuova ora"), widget=TimeInput())
    note = NoteField()


class MeetingVenueForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("Sede per questo incontro"), queryset=Venue.objects.none())
    note = NoteField()

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues


class PauseForm(forms.Form):
    starts_on = forms.DateField(label=_("Dal"), widget=DateInput())
    ends_on = forms.DateField(label=_("Al (compreso)"), widget=DateInput())
    note = NoteField(help_text=_("Per esempio: «Pausa estiva: ci rivediamo a settembre»."))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La pausa deve finire dopo l'inizio."))
        return data


# The usual choices for "also some hours before"; the service accepts any whole hour from 1 to 24.
HOURS_BEFORE_CHOICES = (1, 2, 3, 4, 6, 12, 24)


class ReminderPlanForm(forms.Form):
    """When a group's followers are reminded. Both optional here: the service asks for at least one."""

    day_before_at = forms.TimeField(
        label=_("Il giorno prima, alle"),
        required=False,
        widget=TimeInput(),
        help_text=_("Lascia vuoto per non mandare il promemoria del giorno prima."),
        error_messages={"invalid": _("Scrivi l'ora così: 18:00.")},
    )
    hours_before = forms.IntegerField(
        label=_("Anche qualche ora prima"),
        required=False,
        widget=forms.Select,
        help_text=_("Un altro promemoria, contando le ore dall'inizio dell'incontro."),
        error_messages={"invalid": _("Le ore prima dell'incontro vanno da 1 a 24.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hours = set(HOURS_BEFORE_CHOICES)
        stored = self.initial.get("hours_before")
        if stored:
            hours.add(stored)  # a value chosen elsewhere (the admin) is shown, never silently dropped
        self.fields["hours_before"].widget.choices = [("", _("No"))] + [
            (number, hours_before_label(number)) for number in sorted(hours)
        ]


PATTERN_CHOICES = [
    (recurrence.Pattern.WEEKLY, _("ogni settimana")),
    (recurrence.Pattern.BIWEEKLY, _("ogni due settimane")),
    (recurrence.Pattern.MONTHLY, _("certe settimane del mese (per esempio il 2° e il 4° martedì)")),
    (recurrence.Pattern.MONTH_DAY, _("una volta al mese, in un giorno fisso (per esempio il 15)")),
]


class RhythmForm(SeenVersionMixin, forms.Form):
    """The facilitator picks a rhythm in words; the form writes the rule, which nobody sees."""

    pattern = forms.ChoiceField(label=_("Ogni quanto"), choices=PATTERN_CHOICES, widget=forms.RadioSelect)
    weekday = forms.TypedChoiceField(label=_("Giorno della settimana"), choices=WEEKDAY_CHOICES, coerce=int)
    ordinals = forms.TypedMultipleChoiceField(
        label=_("Settimane del mese"),
        choices=list(recurrence.ORDINALS.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Solo per «certe settimane del mese»: puoi sceglierne più d'una."),
    )
    month_day = forms.TypedChoiceField(
        label=_("Giorno del mese"),
        choices=[("", "—")] + [(day, str(day)) for day in range(1, 29)],
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Solo per «una volta al mese, in un giorno fisso»."),
    )
    start_time = forms.TimeField(label=_("Ora di inizio"), widget=TimeInput())
    duration_minutes = forms.TypedChoiceField(
        label=_("Durata"),
        choices=[(60, _("1 ora")), (90, _("1 ora e mezza")), (120, _("2 ore")), (150, _("2 ore e mezza"))],
        coerce=int,
        initial=120,
    )
    starts_on = forms.DateField(
        label=_("A partire dal"),
        widget=DateInput(),
        required=False,
        help_text=_("Lascia vuoto per oggi."),
    )

    @classmethod
    def initial_for(cls, schedule) -> dict:
        if schedule is None:
            return {"pattern": recurrence.Pattern.MONTHLY, "start_time": time(20, 30), "duration_minutes": 120}
        parsed = recurrence.friendly(schedule.rrule)
        initial = {
            "pattern": parsed.pattern,
            "ordinals": parsed.ordinals,
            "start_time": schedule.start_time,
            "duration_minutes": schedule.duration_minutes,
        }
        if parsed.weekday is not None:
            initial["weekday"] = parsed.weekday + 1
        if parsed.month_day is not None:
            initial["month_day"] = parsed.month_day
        return initial

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (self.data.get("pattern") or self.initial.get("pattern")) == recurrence.Pattern.MONTH_DAY:
            self.fields["weekday"].required = False

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        if pattern == recurrence.Pattern.MONTHLY and not data.get("ordinals"):
            self.add_error("ordinals", _("Scegli almeno una settimana del mese."))
        if pattern == recurrence.Pattern.MONTH_DAY and not data.get("month_day"):
            self.add_error("month_day", _("Scegli il giorno del mese."))
        if pattern in (recurrence.Pattern.WEEKLY, recurrence.Pattern.BIWEEKLY, recurrence.Pattern.MONTHLY) and (
            data.get("weekday") is None
        ):
            self.add_error("weekday", _("Scegli il giorno dell'incontro."))
        starts_on = data.get("starts_on")
        if starts_on is not None and starts_on < timezone.localdate():
            self.add_error("starts_on", _("Scegli oggi o una data futura."))
        if not self.errors:
            weekday = data.get("weekday")
            data["rrule"] = recurrence.FriendlyRule(
                pattern,
                weekday - 1 if weekday else None,
                data.get("ordinals") or [],
                month_day=data.get("month_day"),
            ).to_rrule()
        return data


ENGLISH_HELP = _(
    "Facoltativo: si vede sulle pagine in inglese. Se manca, chi legge in inglese vede il testo italiano "
    "e l'avviso che il gruppo si svolge in italiano."
)


class GroupDayToDayForm(SeenVersionMixin, forms.ModelForm):
    """What a facilitator keeps up to date."""

    class Meta:
        model = Group
        fields = [
            "description",
            "accessibility_notes",
            "accepting_newcomers",
            "description_en",
            "accessibility_notes_en",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "description_en": ENGLISH_HELP,
            "accepting_newcomers": _(
                "Togli la spunta quando il gruppo è al completo: resta visibile, ma si sa che ora non accoglie."
            ),
            "accessibility_notes": _("Per esempio: sala al piano terra, ascensore, bagno accessibile."),
        }


class GroupForm(SeenVersionMixin, forms.ModelForm):
    """Everything a coordinator sets about a group (its lifecycle has its own page)."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Aree tematiche"), queryset=Theme.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "themes",
            "description",
            "audience",
            "facilitator_kind",
            "entry",
            "accepting_newcomers",
            "max_size",
            "venue",
            "online_url",
            "language",
            "accessibility_notes",
            "start_mode",
            "parent",
            "name_en",
            "description_en",
            "accessibility_notes_en",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "audience": forms.RadioSelect,
            "facilitator_kind": forms.RadioSelect,
            "entry": forms.RadioSelect,
        }
        help_texts = {
            "online_url": _("Mai mostrato sulle pagine pubbliche: l'associazione lo manda a chi ha accolto."),
            "venue": _("Lascia vuoto per un gruppo solo online."),
            "description_en": ENGLISH_HELP,
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["venue"].queryset = Venue.objects.filter(association=association)
        self.fields["venue"].required = False
        parents = Group.objects.filter(association=association)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["audience"].choices = Audience.choices
        self.fields["facilitator_kind"].choices = FacilitatorKind.choices
        self.fields["entry"].choices = Entry.choices
        self.fields["start_mode"].choices = [("", _("non indicato"))] + list(StartMode.choices)
        self.fields["online_url"].assume_scheme = "https"
        self.fields["language"].widget = forms.Select(choices=[("it", _("italiano")), ("en", _("inglese"))])

    def clean_max_size(self) -> int:
        size = self.cleaned_data["max_size"]
        if not 3 <= size <= 30:
            raise ValidationError(_("Un gruppo va da 3 a 30 persone (di solito non più di 12)."))
        return size

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not data.get("online_url"):
            self.add_error("venue", _("Indica la sede o, per un gruppo online, il link degli incontri."))
        return data

    def service_fields(self) -> dict:
        """The cleaned values as the group services take them."""
        data = dict(self.cleaned_data)
        data.pop("themes", None)
        return data


def today() -> date:
    return timezone.localdate()


# --- The coordinator's pages ----------------------------------------------------

# A new group never starts "active": it gets there through its founding path, once its
# agreements are complete (a group that already meets takes the "nascita spontanea" way).
NEW_GROUP_STATUSES = [GroupStatus.PLANNED, GroupStatus.PROMOTING]


class GroupFilterForm(forms.Form):
    """Filters of the group list: a GET form, so it works without JavaScript and can be bookmarked."""

    status = forms.ChoiceField(label=_("Stato"), required=False)
    theme = forms.ModelChoiceField(
        label=_("Area tematica"), queryset=Theme.objects.none(), required=False, empty_label=_("tutte")
    )
    town = forms.ChoiceField(label=_("Comune"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("tutti"))] + list(GroupStatus.choices)
        self.fields["theme"].queryset = Theme.objects.filter(groups__in=groups).distinct().order_by("name_it")
        towns = sorted(
            set(groups.exclude(venue=None).values_list("venue__comune", flat=True)), key=lambda town: town.lower()
        )
        self.fields["town"].choices = [("", _("tutti"))] + [(town, town) for town in towns]

    def apply(self, groups):
        if not self.is_valid():
            return groups
        data = self.cleaned_data
        if data.get("status"):
            groups = groups.filter(status=data["status"])
        if data.get("theme"):
            groups = groups.filter(themes=data["theme"])
        if data.get("town"):
            groups = groups.filter(venue__comune=data["town"])
        return groups


class NewGroupForm(GroupForm):
    """A new group: everything about it, and where it starts from in its life."""

    status = forms.ChoiceField(
        label=_("Da dove parte"),
        choices=[(status.value, status.label) for status in NEW_GROUP_STATUSES],
        initial=GroupStatus.PLANNED,
        widget=forms.RadioSelect,
        help_text=_(
            "«In progetto» non compare nella ricerca pubblica; «in promozione» sì, come gruppo in avvio. "
            "Un gruppo diventa attivo dal suo percorso di avvio, quando gli accordi sono completi: "
            "anche un gruppo che si incontra già (la via «nascita spontanea»)."
        ),
    )

    def service_fields(self) -> dict:
        data = super().service_fields()
        data.pop("status", None)
        return data


class GroupStatusForm(forms.Form):
    # Any state is accepted here: the service decides which moves are allowed and says why not.
    status = forms.ChoiceField(choices=GroupStatus.choices)
    confirm = forms.BooleanField(required=False)


class VenueForm(SeenVersionMixin, forms.ModelForm):
    """A venue; the coordinates can be filled from the comune (the "Trova le coordinate" button)."""

    class Meta:
        model = Venue
        fields = ["name", "address", "comune", "province", "latitude", "longitude", "step_free", "transport_notes"]
        help_texts = {
            "latitude": _("Per esempio 46.0679. Lascia vuoto e usa «Trova le coordinate dal comune»."),
            "longitude": _("Per esempio 11.1211."),
            "transport_notes": _("Per esempio: autobus 5, fermata Piazza Dante; parcheggio in cortile."),
        }
        error_messages = {
            "province": {"max_length": _("Scrivi la sigla della provincia: due lettere, per esempio TN.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].error_messages["required"] = _(
                "Servono le coordinate: scrivile o usa «Trova le coordinate dal comune»."
            )
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        self.fields["province"].widget.attrs.update({"maxlength": 2, "autocapitalize": "characters", "size": 2})

    def clean_province(self) -> str:
        province = self.cleaned_data["province"].strip().upper()
        if len(province) != 2 or not province.isalpha():
            raise ValidationError(_("Scrivi la sigla della provincia: due lettere, per esempio TN."))
        return province

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise ValidationError(_("La latitudine va da -90 a 90 (in Italia è tra 35 e 48)."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise ValidationError(_("La longitudine va da -180 a 180 (in Italia è tra 6 e 19)."))
        return value


INVITE_ROLES = [
    (GroupRole.FACILITATOR, _("facilitatore di un gruppo")),
    (AssociationRole.INTAKE, _("operatore dell'accoglienza")),
    (AssociationRole.COORDINATOR, _("coordinatore dell'associazione")),
    (AssociationRole.REFERRER, _("professionista inviante (servizi, medici)")),
]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail della persona"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Serve solo per mandare l'invito: dopo l'accettazione viene cancellata dall'invito."),
    )
    role = forms.ChoiceField(label=_("Ruolo"), choices=INVITE_ROLES, widget=forms.RadioSelect)
    group = forms.ModelChoiceField(
        label=_("Gruppo"),
        queryset=Group.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"required": _("Scegli il gruppo che la persona facilita.")},
        help_text=_("Solo per chi facilita un gruppo: gli altri ruoli valgono per tutta l'associazione."),
    )
    language = forms.ChoiceField(
        label=_("Lingua dell'e-mail"), choices=[("it", _("italiano")), ("en", _("inglese"))], initial="it"
    )
    once = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(association=association).order_by("name")
        # Needed for a facilitator only: the other roles take the whole association.
        self.fields["group"].required = self.data.get("role", GroupRole.FACILITATOR) == GroupRole.FACILITATOR

    def clean(self):
        data = super().clean()
        role, group = data.get("role"), data.get("group")
        if role == GroupRole.FACILITATOR and group is None and "group" not in self.errors:
            self.add_error("group", _("Scegli il gruppo che la persona facilita."))
        if role and role != GroupRole.FACILITATOR:
            data["group"] = None
        return data


class InvitationAcceptForm(forms.Form):
    nickname = forms.CharField(
        label=_("Come vuoi essere chiamato"),
        required=False,
        max_length=60,
        help_text=_("Basta un nome di fantasia: lo vedono le persone con cui lavori."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1 = forms.CharField(
        label=_("Scegli una password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Almeno 10 caratteri. Una frase facile da ricordare va benissimo."),
    )
    password2 = forms.CharField(
        label=_("Ripeti la password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    language = forms.ChoiceField(label=_("Lingua"), choices=[("it", "Italiano"), ("en", "English")])

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Le due password non sono uguali."))
        elif first:
            try:
                password_validation.validate_password(first)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class AuditFilterForm(forms.Form):
    """Filters of the audit log: a GET form, so it works without JavaScript and can be bookmarked."""

    association = forms.ChoiceField(label=_("Associazione"), required=False)
    person = forms.ChoiceField(label=_("Persona (chi agisce o di cui sono i dati)"), required=False)
    action = forms.ChoiceField(label=_("Azione"), required=False)
    object_type = forms.ChoiceField(label=_("Tipo di oggetto"), required=False)
    object_id = forms.CharField(label=_("Oggetto (numero o pagina)"), required=False, max_length=200)
    since = forms.DateField(label=_("Dal"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Al (compreso)"), required=False, widget=DateInput())

    def __init__(self, *args, associations, everything: bool, people, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = ([("", _("tutte"))] if everything else []) + [
            (str(association.pk), association.name) for association in associations
        ]
        if not everything and len(associations) < 2:
            del self.fields["association"]
        self.fields["person"].choices = [("", _("tutte"))] + list(people)
        self.fields["action"].choices = [("", _("tutte"))] + list(AuditAction.choices)
        self.fields["object_type"].choices = [("", _("tutti"))] + list(object_types)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("La data finale viene prima di quella iniziale."))
        return data

    def apply(self, events):
        """The events that pass the filters (none while the form has errors)."""
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data.get("person"):
            person = int(data["person"])
            events = events.filter(Q(actor_id=person) | Q(subject_id=person))
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"])
        if data.get("object_id"):
            events = events.filter(object_id=data["object_id"].strip())
        if data.get("since"):
            events = events.filter(at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(at__date__lte=data["until"])
        return events

    @property
    def filtered(self) -> bool:
        return self.is_bound and self.is_valid() and any(v for k, v in self.cleaned_data.items() if k != "association")


class ThemeSynonymsForm(forms.Form):
    synonyms = forms.CharField(
        label=_("Altri modi di chiamare questo tema"),
        help_text=_(
            "Varianti di scrittura e sinonimi che le persone usano quando cercano, separati da virgole: "
            "per esempio «alcool, alcolismo» oppure «azzardo, ludopatia». Non scrivere nomi di persone."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )


class AssociationPublicForm(forms.ModelForm):
    """What the public pages say about the association: contact, "chi siamo", urgent-help numbers."""

    website = forms.URLField(label=_("sito web"), required=False, assume_scheme="https")

    class Meta:
        model = Association
        fields = ["public_phone", "public_email", "website", "about", "about_en", "urgent_numbers", "urgent_numbers_en"]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 6}),
            "about_en": forms.Textarea(attrs={"rows": 6}),
            "urgent_numbers": forms.Textarea(attrs={"rows": 4}),
            "urgent_numbers_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "public_phone": _("Il numero a cui risponde l'accoglienza: compare su ogni pagina di gruppo."),
            "about_en": _("Facoltativo: si vede sulla pagina «chi siamo» in inglese."),
        }

    def clean_urgent_numbers(self) -> str:
        return _urgent_lines_checked(self.cleaned_data["urgent_numbers"])

    def clean_urgent_numbers_en(self) -> str:
        return _urgent_lines_checked(self.cleaned_data["urgent_numbers_en"])


def _urgent_lines_checked(text: str) -> str:
    """The lines without blanks; each one must start with a telephone number."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        # Each line on its own must give a number (112 is always shown and may be repeated).
        if urgent_line_parse(line) is None:
            raise ValidationError(
                _("La riga «%(line)s» non inizia con un numero di telefono. Scrivi per esempio «1522 – antiviolenza».")
                % {"line": line[:80]}
            )
    return "\n".join(lines)
