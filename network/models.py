"""The network core: associations, themes, venues, groups, schedules, meetings, roles and the activity log.

Every write to these models goes through network/services.py."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from network import recurrence
from privacy.fields import EncryptedTextField


class Association(models.Model):
    """An umbrella association; a regional coordination is an association too."""

    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("identificativo"), max_length=100, unique=True)
    # A coordination (regional, national…) is an association whose members point at it;
    # nesting may go to any depth.
    coordination = models.ForeignKey(
        "self",
        verbose_name=_("coordinamento"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    city = models.CharField(_("città"), max_length=100, blank=True)
    # The association's own public contact: groups are reached only through it.
    public_email = models.EmailField(_("e-mail pubblica"), blank=True)
    public_phone = models.CharField(_("telefono pubblico"), max_length=40, blank=True)
    website = models.URLField(_("sito web"), blank=True)
    # Shown on the public "chi siamo" page, in plain words.
    about = models.TextField(
        _("chi siamo"),
        blank=True,
        help_text=_("Poche righe per chi cerca un gruppo: chi siete, dove operate, come funziona il primo contatto."),
    )
    about_en = models.TextField(_("chi siamo (inglese)"), blank=True)
    # Shown on the home and group pages: groups are not an emergency service.
    urgent_numbers = models.TextField(
        _("numeri per l'aiuto urgente"),
        blank=True,
        help_text=_(
            "Uno per riga: il numero, poi un trattino e a chi risponde. Per esempio: «1522 – antiviolenza e stalking». "
            "Il 112 c'è sempre."
        ),
    )
    urgent_numbers_en = models.TextField(
        _("numeri per l'aiuto urgente (inglese)"),
        blank=True,
        help_text=_(
            "Le stesse righe con la descrizione in inglese, per chi legge le pagine in inglese. "
            "Per esempio: «1522 – violence against women and stalking». Dove manca, si mostra quella italiana."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("associazione")
        verbose_name_plural = _("associazioni")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def about_local(self) -> str:
        if _english() and self.about_en:
            return self.about_en
        return self.about

    @property
    def urgent_help(self) -> list["UrgentNumber"]:
        """112 first, then the association's own numbers (lines the form has checked)."""
        return urgent_help(self.urgent_numbers, self.urgent_numbers_en)


def _english() -> bool:
    return (get_language() or "it").startswith("en")


class UrgentNumber(NamedTuple):
    number: str
    label: str

    @property
    def tel(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


EMERGENCY = UrgentNumber("112", "")  # the label is translated where it is shown
_DASHES = ("–", "—", "-", ":")


def urgent_line_parse(line: str) -> UrgentNumber | None:
    """ "1522 – antiviolenza" → UrgentNumber("1522", "antiviolenza"); None when the line gives no number."""
    line = line.strip()
    separator = next((dash for dash in _DASHES if dash in line), None)
    number, label = (part.strip() for part in line.split(separator, 1)) if separator else (line, "")
    # Hyphens may group digits ("800-86-00-22") unless a hyphen is what separates the label.
    allowed = " +./" if separator == "-" else " +./-"
    if not any(ch.isdigit() for ch in number) or not all(ch.isdigit() or ch in allowed for ch in number):
        return None
    return UrgentNumber(number, label)


def urgent_numbers_parse(text: str) -> list[UrgentNumber]:
    """The numbers to show: 112 always first, then the association's own (lines without a number are left out)."""
    numbers = [EMERGENCY]
    for line in (text or "").splitlines():
        parsed = urgent_line_parse(line)
        if parsed is not None and parsed.tel not in {known.tel for known in numbers}:
            numbers.append(parsed)
    return numbers


def urgent_help(italian: str, english: str = "") -> list[UrgentNumber]:
    """The numbers to show in the current language: on English pages a number the English lines
    also give is described in English, and numbers only those lines give are added."""
    numbers = urgent_numbers_parse(italian)
    if not _english() or not english.strip():
        return numbers
    described = {item.tel: item for item in urgent_numbers_parse(english) if item is not EMERGENCY}
    shown = [described.pop(item.tel, item) for item in numbers]
    return shown + list(described.values())


class Theme(models.Model):
    """An *area tematica*. Themes are data: an association may have 40 or more."""

    slug = models.SlugField(_("identificativo"), max_length=80, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=120)
    name_en = models.CharField(_("nome (inglese)"), max_length=120, blank=True)
    # How people also call the theme: spelling variants and synonyms, one per line or
    # separated by commas ("alcool", "ludopatia"). Folded into the groups' search text.
    synonyms = models.TextField(
        _("varianti e sinonimi"),
        blank=True,
        db_default="",  # rows written without it (raw SQL, older code) stay valid
        help_text=_(
            "Altri modi in cui le persone chiamano questo tema, separati da virgole: per esempio «alcool, alcolismo»."
        ),
    )

    class Meta:
        verbose_name = _("area tematica")
        verbose_name_plural = _("aree tematiche")
        ordering = ["name_it"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "it").startswith("en") and self.name_en:
            return self.name_en
        return self.name_it

    @property
    def synonym_list(self) -> list[str]:
        return split_synonyms(self.synonyms)


def split_synonyms(text: str) -> list[str]:
    """The variants typed in a theme's synonyms field, one per comma or line, in order, without repeats."""
    seen: list[str] = []
    for part in text.replace("\n", ",").replace(";", ",").split(","):
        word = " ".join(part.split())
        if word and word.lower() not in {each.lower() for each in seen}:
            seen.append(word)
    return seen


class Venue(models.Model):
    association = models.ForeignKey(
        Association, verbose_name=_("associazione"), on_delete=models.CASCADE, related_name="venues"
    )
    name = models.CharField(_("nome"), max_length=200)
    address = models.CharField(_("indirizzo"), max_length=200)
    comune = models.CharField(_("comune"), max_length=100)
    province = models.CharField(_("provincia"), max_length=2, help_text=_("Sigla, per esempio TN."))
    latitude = models.FloatField(_("latitudine"))
    longitude = models.FloatField(_("longitudine"))
    step_free = models.BooleanField(_("accesso senza gradini"), default=False)
    transport_notes = models.CharField(_("come arrivare con i mezzi pubblici"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # two people editing at once: the second is told

    class Meta:
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")
        ordering = ["comune", "name"]
        # Place search looks venues up by comune, case-insensitively, on every query.
        indexes = [models.Index(Lower("comune"), name="venue_comune_lower")]

    def __str__(self) -> str:
        return f"{self.name} ({self.comune})"

    @property
    def geo_uri(self) -> str:
        """RFC 5870 link: phones open it in their own map application."""
        return f"geo:{self.latitude:.6f},{self.longitude:.6f}?q={self.latitude:.6f},{self.longitude:.6f}"

    @property
    def osm_url(self) -> str:
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude:.6f}&mlon={self.longitude:.6f}"
            f"#map=17/{self.latitude:.6f}/{self.longitude:.6f}"
        )


class Audience(models.TextChoices):
    AFFECTED = "affected", _("persone che vivono il problema")
    FAMILY = "family", _("familiari")
    BOTH = "both", _("persone che vivono il problema e familiari")


class FacilitatorKind(models.TextChoices):
    PEER = "peer", _("facilitatore pari")
    NON_PEER = "non_peer", _("facilitatore non pari (volontario formato o professionista)")


class Entry(models.TextChoices):
    OPEN = "open", _("aperto: si può entrare a ogni incontro")
    CLOSED = "closed", _("chiuso: si entra in momenti stabiliti")


class GroupStatus(models.TextChoices):
    PLANNED = "planned", _("in progetto")
    PROMOTING = "promoting", _("in promozione")
    FIRST_MEETING_HELD = "first_meeting_held", _("primo incontro fatto")
    ACTIVE = "active", _("attivo")
    SUSPENDED = "suspended", _("sospeso")
    CLOSED = "closed", _("chiuso")
    GEMMATED = "gemmated", _("gemmato")


class StartMode(models.TextChoices):
    ON_REQUEST = "on_request", _("su richiesta")
    TARGETED = "targeted", _("inviti mirati")
    OPEN_INVITATION = "open_invitation", _("invito aperto")
    FOURTH_WAY = "fourth_way", _("la quarta via")
    SPONTANEOUS = "spontaneous", _("nascita spontanea")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("in presenza")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("ibrido")


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("mattina")
    AFTERNOON = "afternoon", _("pomeriggio")
    EVENING = "evening", _("sera")

    @classmethod
    def of(cls, hour: int) -> "PartOfDay":
        if hour < 12:
            return cls.MORNING
        if hour < 18:
            return cls.AFTERNOON
        return cls.EVENING


# Where groups appear: active ones in the directory, those being started as "starting soon".
STARTING_STATUSES = (GroupStatus.PROMOTING, GroupStatus.FIRST_MEETING_HELD)
PUBLIC_STATUSES = (GroupStatus.ACTIVE, *STARTING_STATUSES)


_PART_INDEX = {PartOfDay.MORNING: 0, PartOfDay.AFTERNOON: 1, PartOfDay.EVENING: 2}


def slot_bit(isoweekday: int, part: str) -> int:
    """One bit per (weekday, part of day): 21 bits, Monday morning first."""
    return 1 << ((isoweekday - 1) * 3 + _PART_INDEX[part])


def slots_mask(*, weekday: int | None = None, part: str | None = None, weekdays=(), parts=()) -> int:
    """The slots a search accepts: "Tuesday evening" is one bit, "evening" seven,
    "Tuesday or Thursday, morning or evening" four."""
    days = list(weekdays) or ([weekday] if weekday else list(range(1, 8)))
    chosen = list(parts) or ([part] if part else list(_PART_INDEX))
    return sum(slot_bit(day, each) for day in set(days) for each in set(chosen))


class GroupQuerySet(models.QuerySet):
    def public(self):
        """Groups a newcomer may find: those meeting and those being started ("starting soon")."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def with_format(self, format: str):
        has_venue = Q(venue__isnull=False)
        has_link = ~Q(online_url="")
        return self.filter(
            {
                Format.IN_PERSON: has_venue & ~has_link,
                Format.ONLINE: ~has_venue & has_link,
                Format.HYBRID: has_venue & has_link,
            }[format]
        )

    def for_audience(self, audience: str):
        if audience == Audience.BOTH:
            return self.filter(audience=Audience.BOTH)
        return self.filter(audience__in=[audience, Audience.BOTH])


class Group(models.Model):
    association = models.ForeignKey(
        Association, verbose_name=_("associazione"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("identificativo"), max_length=120, unique=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("aree tematiche"), related_name="groups")
    description = models.TextField(
        _("descrizione pubblica"),
        help_text=_("Chi può partecipare e cosa aspettarsi. Non indicare mai nomi o recapiti personali."),
    )
    audience = models.CharField(_("per chi è"), max_length=20, choices=Audience.choices, default=Audience.AFFECTED)
    facilitator_kind = models.CharField(
        _("facilitazione"), max_length=20, choices=FacilitatorKind.choices, default=FacilitatorKind.PEER
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("sede"), null=True, blank=True, on_delete=models.PROTECT, related_name="groups"
    )
    # Never shown on public pages: the association sends it to people it has welcomed.
    online_url = models.URLField(_("link per gli incontri online"), blank=True)
    language = models.CharField(_("lingua degli incontri"), max_length=10, default="it")
    accessibility_notes = models.CharField(_("note sull'accessibilità"), max_length=300, blank=True)
    # English text for the /en/ pages and the API; where it is missing the Italian is shown.
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)
    description_en = models.TextField(_("descrizione pubblica (inglese)"), blank=True)
    accessibility_notes_en = models.CharField(_("note sull'accessibilità (inglese)"), max_length=300, blank=True)
    entry = models.CharField(_("ingresso"), max_length=10, choices=Entry.choices, default=Entry.OPEN)
    accepting_newcomers = models.BooleanField(_("accoglie nuove persone ora"), default=True)
    max_size = models.PositiveSmallIntegerField(_("numero massimo di partecipanti"), default=12)
    status = models.CharField(_("stato"), max_length=20, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    start_mode = models.CharField(_("come è nato"), max_length=20, choices=StartMode.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("gruppo di origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Search columns, derived by services.group_refresh_search_fields so that the
    # directory search is one indexed query: coordinates copied from the venue,
    # weekday and (weekday, part-of-day) bitmasks of upcoming meetings, folded search text.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    meeting_weekdays = models.PositiveSmallIntegerField(default=0, editable=False)
    # (weekday, part of day) pairs, so "Tuesday evening" never matches a group that
    # meets on Tuesday morning and Thursday evening.
    meeting_slots = models.PositiveIntegerField(default=0, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppo")
        verbose_name_plural = _("gruppi")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="group_coordinates"),
            models.Index(fields=["status"], name="group_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:group", kwargs={"slug": self.slug})

    # The group's public text in the language of the request: English where written, else Italian.
    @property
    def name_local(self) -> str:
        return self.name_en if _english() and self.name_en else self.name

    @property
    def description_local(self) -> str:
        return self.description_en if _english() and self.description_en else self.description

    @property
    def accessibility_notes_local(self) -> str:
        if _english() and self.accessibility_notes_en:
            return self.accessibility_notes_en
        return self.accessibility_notes

    @property
    def name_language(self) -> str:
        return "en" if _english() and self.name_en else "it"

    @property
    def text_language(self) -> str:
        """The language the name and description are shown in (for `lang` attributes)."""
        return "en" if _english() and self.description_en else "it"

    @property
    def lacks_english(self) -> bool:
        """On an English page, the description is only in Italian."""
        return _english() and not self.description_en

    def get_calendar_url(self) -> str:
        return reverse("calendar", kwargs={"slug": self.slug})

    @property
    def format(self) -> str:
        if self.venue_id and self.online_url:
            return Format.HYBRID
        if self.online_url:
            return Format.ONLINE
        return Format.IN_PERSON

    def get_format_display(self) -> str:
        return Format(self.format).label


class ScheduleQuerySet(models.QuerySet):
    def current(self, today=None):
        """Schedules still running: not ended before today."""
        today = today or timezone.localdate()
        return self.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today))


class Schedule(models.Model):
    """When a group meets: an RFC 5545 recurrence rule in the group's local time.

    A schedule belongs to its group for life. A new rhythm ends the old schedule and
    starts a new one, so the meetings already held keep the rule they were held under.
    """

    group = models.ForeignKey(Group, verbose_name=_("gruppo"), on_delete=models.PROTECT, related_name="schedules")
    rrule = models.CharField(
        _("regola di ricorrenza"),
        max_length=300,
        help_text=_("Regola RFC 5545, per esempio FREQ=MONTHLY;BYDAY=2TU,4TU."),
    )
    starts_on = models.DateField(_("a partire dal"))
    start_time = models.TimeField(_("ora di inizio"))
    duration_minutes = models.PositiveSmallIntegerField(_("durata (minuti)"), default=120)
    timezone = models.CharField(_("fuso orario"), max_length=60, default=settings.CERCHIO_DEFAULT_TIMEZONE)
    ends_on = models.DateField(_("fino al"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendario")
        verbose_name_plural = _("calendari")
        ordering = ["group", "start_time"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        return recurrence.describe(self.rrule, self.start_time)


class ScheduleException(models.Model):
    """One date that differs from the rule: cancelled, or moved in time or place."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("annullato")
        CHANGED = "changed", _("spostato o cambiato")

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("calendario"), on_delete=models.CASCADE, related_name="exceptions"
    )
    original_date = models.DateField(_("data prevista"))
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.CANCELLED)
    new_date = models.DateField(_("nuova data"), null=True, blank=True)
    new_start_time = models.TimeField(_("nuova ora"), null=True, blank=True)
    new_venue = models.ForeignKey(
        Venue, verbose_name=_("sede diversa"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_note = models.CharField(_("nota pubblica"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("eccezione")
        verbose_name_plural = _("eccezioni")
        ordering = ["original_date"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "original_date"], name="one_exception_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.original_date:%Y-%m-%d} – {self.get_kind_display()}"


class Pause(models.Model):
    """A period with no meetings ("no meetings from 1 to 31 August")."""

    group = models.ForeignKey(Group, verbose_name=_("gruppo"), on_delete=models.PROTECT, related_name="pauses")
    starts_on = models.DateField(_("dal"))
    ends_on = models.DateField(_("al"))
    public_note = models.CharField(_("nota pubblica"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pausa")
        verbose_name_plural = _("pause")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="pause_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def scheduled(self):
        """Occurrences the rule still gives (cancelled ones included: people must see those)."""
        return self.filter(is_scheduled=True)

    def of_groups_between(self, groups, start, end=None):
        """Meetings of some groups not yet over at `start` (and starting before `end`), for lists."""
        meetings = self.filter(group__in=groups, is_scheduled=True, ends_at__gte=start)
        if end is not None:
            meetings = meetings.filter(starts_at__lt=end)
        return meetings.select_related("group", "venue", "schedule").order_by("starts_at")


class Meeting(models.Model):
    """One occurrence of a schedule: identified by the schedule and the date the rule gives.

    Rows are updated in place when the schedule changes, so what hangs on a meeting
    (reminders, attendance counts, introductions) keeps pointing at the same row. An
    occurrence the rule no longer gives stays as a row marked not scheduled when it is
    past or something hangs on it. It never holds what is said in the meeting.
    """

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="meetings")
    # The date the rule gives: the meeting's identity within its schedule.
    original_date = models.DateField()
    # The start the rule gives (RECURRENCE-ID in the calendar feed).
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_cancelled = models.BooleanField(default=False)
    is_changed = models.BooleanField(default=False)
    # False once the rule no longer gives this date (the row is kept for history).
    is_scheduled = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "original_date"], name="one_meeting_per_occurrence"),
        ]
        indexes = [
            models.Index(fields=["group", "starts_at"], name="meeting_group_start"),
            # The directory walks upcoming meetings in time order to rank many groups at once.
            models.Index(fields=["starts_at", "id"], name="meeting_start"),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_moved(self) -> bool:
        return self.is_changed and self.starts_at != self.original_start

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


# --- Roles -------------------------------------------------------------------


class AssociationRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinatore")
    INTAKE = "intake", _("operatore dell'accoglienza")
    # A social worker or clinic, registered by the association, who refers people with their consent.
    REFERRER = "referrer", _("professionista inviante")


class GroupRole(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitatore")
    PARTICIPANT = "participant", _("partecipante")


class AssociationMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="association_memberships")
    association = models.ForeignKey(
        Association, verbose_name=_("associazione"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=AssociationRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ruolo nell'associazione")
        verbose_name_plural = _("ruoli nelle associazioni")
        constraints = [
            models.UniqueConstraint(fields=["user", "association", "role"], name="one_association_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.association}"


class GroupMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    group = models.ForeignKey(Group, verbose_name=_("gruppo"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("ruolo"), max_length=20, choices=GroupRole.choices, default=GroupRole.FACILITATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ruolo nel gruppo")
        verbose_name_plural = _("ruoli nei gruppi")
        constraints = [models.UniqueConstraint(fields=["user", "group", "role"], name="one_group_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.group}"


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation by e-mail to take a role: the link creates the account and the role.

    Only a keyed hash of the token is stored, so a database copy cannot be used to
    accept an invitation. The address is encrypted and erased once accepted.
    """

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="invitations")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("ruolo"), max_length=20)
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    # The token in the link is derived from the id, this salt and the site's secret key, so
    # it is stored nowhere (not even in the outbox); only its hash is kept, to find the row.
    salt = models.CharField(max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.role} – {self.group or self.association}"

    @property
    def role_label(self) -> str:
        choices = dict(AssociationRole.choices) | dict(GroupRole.choices)
        return str(choices.get(self.role, self.role))

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.withdrawn_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


# --- Activity log --------------------------------------------------------------


class Activity(models.Model):
    """What was done through a service: who, what, on which object, when.

    The payload is short and structured (dates, field names, states); it never holds
    contact details in clear nor anything said in a group. Erasing a person redacts
    the actor; the row stays, so counts and figures do not change.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    action = models.CharField(max_length=60)
    association = models.ForeignKey(
        Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("attività")
        verbose_name_plural = _("registro delle attività")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["association", "-at"], name="activity_association_at"),
            models.Index(fields=["group", "-at"], name="activity_group_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


# --- Agreements (accordi) ----------------------------------------------------------


class Joining(models.TextChoices):
    """How a new member joins a group."""

    INTAKE_TALK = "intake_talk", _("dopo un breve colloquio con l'associazione")
    CONTACT_FIRST = "contact_first", _("contattando prima l'associazione, poi direttamente all'incontro")


class GroupAgreements(models.Model):
    """What a group has agreed beyond its public card: the *accordi* of chapter 3.

    Place, schedule, entry, audience, facilitator kind and maximum size live on the
    group and its schedule; these are the rest. Activation reads them
    (network.agreements.missing_agreements); the founding path fills them in.
    Never anything said in a meeting, never a personal name.
    """

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="agreements")
    # For a closed group: when new members may enter ("a gennaio e a settembre").
    entry_moments = models.CharField(_("momenti di ingresso (gruppo chiuso)"), max_length=200, blank=True)
    joining = models.CharField(_("come entrano le nuove persone"), max_length=20, choices=Joining.choices, blank=True)
    # None: not yet decided.
    family_may_attend = models.BooleanField(_("possono partecipare i familiari"), null=True, blank=True)
    facilitator_count = models.PositiveSmallIntegerField(_("numero di facilitatori"), null=True, blank=True)
    ama_rules_accepted = models.BooleanField(_("il gruppo adotta le regole dell'auto mutuo aiuto"), default=False)
    own_rules = models.TextField(
        _("regole proprie del gruppo"),
        blank=True,
        help_text=_("Solo regole di funzionamento: mai nomi né ciò che si dice negli incontri."),
    )
    contact_through_association = models.BooleanField(
        _("il pubblico contatta il gruppo sempre tramite l'associazione"), default=False
    )
    # The listing criteria (Selbsthilfe Schweiz), confirmed by the group.
    self_led = models.BooleanField(_("è autogestito"), default=False)
    meets_regularly = models.BooleanField(_("si incontra regolarmente"), default=False)
    voluntary = models.BooleanField(_("la partecipazione è libera e volontaria"), default=False)
    not_for_profit = models.BooleanField(_("è gratuito e senza scopo di lucro"), default=False)
    confidential = models.BooleanField(_("mantiene la riservatezza verso l'esterno"), default=False)
    first_meeting_at = models.DateTimeField(_("data e ora del primo incontro"), null=True, blank=True)
    # Where the first meeting is, when not at the group's usual venue (a founding meeting in a hall).
    first_meeting_venue = models.ForeignKey(
        Venue,
        verbose_name=_("sede del primo incontro"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    CRITERIA = ("self_led", "meets_regularly", "voluntary", "not_for_profit", "confidential")

    class Meta:
        verbose_name = _("accordi del gruppo")
        verbose_name_plural = _("accordi dei gruppi")

    def __str__(self) -> str:
        return f"{self.group}"

    @property
    def criteria_confirmed(self) -> bool:
        return all(getattr(self, name) for name in self.CRITERIA)

    @property
    def first_meeting_place(self) -> "Venue | None":
        return self.first_meeting_venue or self.group.venue
