"""Newcomers' requests (*accoglienza*), introductions to a group and unmet demand.

A newcomer contacts the association, never the group: the request lives in the
association's queue, its contact details encrypted, and only a first name reaches the
group's facilitator. When no group fits, an anonymous demand record is kept; it
outlives the request's personal data.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Association, Group, Meeting, Theme
from privacy.fields import EncryptedTextField


class RequestState(models.TextChoices):
    NEW = "new", _("nuova")
    CONTACTED = "contacted", _("contattata")
    PROPOSED = "proposed", _("gruppo proposto")
    INTRODUCED = "introduced", _("presentata al facilitatore")
    WAITING = "waiting", _("in attesa di un gruppo")
    CLOSED = "closed", _("chiusa")


class Outcome(models.TextChoices):
    JOINED = "joined", _("entrata in un gruppo")
    NOT_INTERESTED = "not_interested", _("non interessata")
    UNREACHABLE = "unreachable", _("non raggiungibile")
    REFERRED = "referred", _("indirizzata a un altro servizio")
    WITHDRAWN = "withdrawn", _("ritirata dalla persona")


class Relationship(models.TextChoices):
    AFFECTED = "affected", _("per me")
    FAMILY = "family", _("per un mio familiare o una persona cara")


class Source(models.TextChoices):
    PUBLIC = "public", _("dal sito")
    REFERRER = "referrer", _("da un professionista inviante")
    STAFF = "staff", _("registrata dall'accoglienza")


class CallTime(models.IntegerChoices):
    """When the person prefers to be called (a bitmask on the request and the demand record)."""

    MORNING = 1, _("mattina")
    AFTERNOON = 2, _("pomeriggio")
    EVENING = 4, _("sera")


def call_time_labels(mask: int) -> list[str]:
    return [str(label) for value, label in CallTime.choices if mask & value]


# The state machine: from each open state, the states a request may move to.
# Closing (with an outcome) is separate: see CLOSE_FROM.
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestState.NEW: frozenset({RequestState.CONTACTED}),
    RequestState.CONTACTED: frozenset({RequestState.PROPOSED, RequestState.WAITING}),
    RequestState.PROPOSED: frozenset({RequestState.PROPOSED, RequestState.INTRODUCED, RequestState.WAITING}),
    RequestState.INTRODUCED: frozenset({RequestState.PROPOSED, RequestState.WAITING}),
    RequestState.WAITING: frozenset({RequestState.PROPOSED}),
    RequestState.CLOSED: frozenset(),
}
# Which open states each outcome may close a request from.
_TALKED_TO = frozenset({RequestState.CONTACTED, RequestState.PROPOSED, RequestState.INTRODUCED, RequestState.WAITING})
CLOSE_FROM: dict[str, frozenset[str]] = {
    Outcome.JOINED: frozenset({RequestState.INTRODUCED}),
    Outcome.NOT_INTERESTED: _TALKED_TO,
    Outcome.REFERRED: _TALKED_TO,
    Outcome.UNREACHABLE: _TALKED_TO | {RequestState.NEW},
    # The person may withdraw at any time (after closing, withdrawing erases the data and keeps the outcome).
    Outcome.WITHDRAWN: _TALKED_TO | {RequestState.NEW},
}
OPEN_STATES = frozenset(set(RequestState.values) - {RequestState.CLOSED})


class IntakeSettings(models.Model):
    """An association's own rules for its intake: response-time target and demand threshold."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="intake_settings")
    response_working_days = models.PositiveSmallIntegerField(
        _("primo contatto entro (giorni lavorativi)"), default=2, help_text=_("Sabato, domenica e festivi esclusi.")
    )
    demand_threshold = models.PositiveSmallIntegerField(
        _("richieste per proporre un nuovo gruppo"), default=6, help_text=_("Per uno stesso tema, nella stessa zona.")
    )
    demand_radius_km = models.PositiveSmallIntegerField(_("raggio della zona (km)"), default=30)
    demand_window_months = models.PositiveSmallIntegerField(_("periodo considerato (mesi)"), default=6)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("impostazioni dell'accoglienza")
        verbose_name_plural = _("impostazioni dell'accoglienza")

    def __str__(self) -> str:
        return str(self.association)


class IntakeRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=RequestState.CLOSED)

    def overdue(self, now=None):
        """Waiting for a first contact past the deadline."""
        return self.filter(first_contact_at__isnull=True, deadline_at__lt=now or timezone.now(), state=RequestState.NEW)


class IntakeRequest(models.Model):
    """One person asking to be put in touch with a group (or for a group that does not exist yet).

    Contact details are encrypted (never filterable); the keyed hashes find a person's
    requests for export, erasure and rate limits. Erasing the personal data
    (`redacted_at`) keeps the row's dates, state and theme for the association's figures.
    """

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="intake_requests")
    reference = models.CharField(_("riferimento"), max_length=16, unique=True)
    # The token of the form that created it: a double tap or a reload creates nothing more.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    source = models.CharField(_("provenienza"), max_length=10, choices=Source.choices, default=Source.PUBLIC)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inviata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_requests_referred",
    )
    # A referrer files on the person's behalf only with their agreement: when it was given.
    person_agreed_at = models.DateTimeField(_("consenso della persona raccolto il"), null=True, blank=True)
    # The group page the request was made from, if any.
    asked_group = models.ForeignKey(
        Group, verbose_name=_("gruppo richiesto"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("tema"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null: "I don't know"
    town = models.CharField(_("comune"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)  # of the town, from the gazetteer
    longitude = models.FloatField(null=True, blank=True)
    relationship = models.CharField(
        _("per chi"), max_length=10, choices=Relationship.choices, default=Relationship.AFFECTED
    )
    # Personal data, encrypted at rest.
    first_name = EncryptedTextField(_("nome o soprannome"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField(_("telefono"), blank=True)
    call_times = models.PositiveSmallIntegerField(_("quando chiamare"), default=0)  # CallTime bitmask
    call_note = EncryptedTextField(_("note sugli orari"), blank=True)
    message = EncryptedTextField(_("messaggio"), blank=True)
    language = models.CharField(_("lingua"), max_length=8, default="it")
    consent_version = models.CharField(_("versione del consenso"), max_length=20)
    consent_at = models.DateTimeField(_("consenso dato il"))
    # Where the request stands.
    state = models.CharField(_("stato"), max_length=12, choices=RequestState.choices, default=RequestState.NEW)
    outcome = models.CharField(_("esito"), max_length=16, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("ricevuta il"), default=timezone.now, db_index=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(_("primo contatto entro"))
    first_contact_at = models.DateTimeField(_("primo contatto il"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assegnata a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_requests_assigned",
    )
    proposed_group = models.ForeignKey(
        Group, verbose_name=_("gruppo proposto"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the personal data was erased (withdrawal, retention); the row stays for the figures.
    redacted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IntakeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("richiesta di accoglienza")
        verbose_name_plural = _("richieste di accoglienza")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["association", "state", "created_at"], name="intake_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="closed", outcome__gt="") | (~models.Q(state="closed") & models.Q(outcome="")),
                name="intake_outcome_iff_closed",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state != RequestState.CLOSED

    @property
    def warning_at(self):
        """75 % of the time to the first-contact deadline."""
        return self.created_at + (self.deadline_at - self.created_at) * 0.75

    def timing(self, now=None) -> str:
        """ "ok", "warning" (75 % of the time gone), "overdue", or "met" once contacted in time."""
        now = now or timezone.now()
        if self.first_contact_at is not None:
            return "met" if self.first_contact_at <= self.deadline_at else "late"
        if self.state != RequestState.NEW:
            return "met"
        if now > self.deadline_at:
            return "overdue"
        if now >= self.warning_at:
            return "warning"
        return "ok"

    @property
    def retention_ends_at(self):
        if self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=settings.CERCHIO_RETENTION_DAYS["intake_closed_request"])


class Introduction(models.Model):
    """The newcomer is announced to the facilitators of a group: first name and first time, nothing else."""

    request = models.ForeignKey(IntakeRequest, on_delete=models.CASCADE, related_name="introductions")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="introductions")
    # The meeting they may come to (the next one when introduced); kept if the date moves.
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="introductions")
    first_time = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("presentazione a un gruppo")
        verbose_name_plural = _("presentazioni a un gruppo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.request} → {self.group}"


class DemandRecord(models.Model):
    """Anonymous unmet demand: a theme in an area, for whom, when, in which month.

    Written when a request moves to "waiting for a group". It keeps no personal data and
    stays after the request's data is erased; the link to the request is cut then.
    """

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="demand_records")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.CharField(_("zona"), max_length=100, blank=True)  # the town's name
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    audience = models.CharField(_("per chi"), max_length=10, choices=Relationship.choices)
    availability = models.PositiveSmallIntegerField(_("disponibilità"), default=0)  # CallTime bitmask
    month = models.DateField(_("mese"))  # the first day of the month
    created_at = models.DateTimeField(default=timezone.now)
    # While the request waits (so its person can be told when a group starts); cut on erasure.
    request = models.OneToOneField(
        IntakeRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="demand"
    )
    # The group started on request that answered this demand, if any.
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("domanda senza gruppo")
        verbose_name_plural = _("domande senza gruppo")
        ordering = ["-month", "-created_at"]
        indexes = [models.Index(fields=["association", "theme", "month"], name="intake_demand")]

    def __str__(self) -> str:
        return f"{self.theme or '?'} – {self.area} – {self.month:%Y-%m}"
