"""A group being started by open invitation, with all its agreements, and helpers to read its PDFs."""

import io
from datetime import date, datetime, time, timedelta

import pypdf
import pypdfium2
import zxingcpp
from django.utils import timezone

from accounts.models import Profile
from accounts.services import account_create
from founding.services import founding_start
from network import services
from network.agreements import group_agreements_set
from network.models import Group, GroupMembership, GroupRole, GroupStatus, Joining, StartMode
from network.tests.factories import AssociationFactory, ThemeFactory, VenueFactory

# A participant's and a facilitator's details: they must never reach a document.
FACILITATOR_NICKNAME = "Ginevra Bortolotti"
FACILITATOR_PHONE = "347 555 0199"


def first_meeting_at(days: int = 20) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(18, 30)))


def starting_group(
    *,
    association=None,
    language: str = "it",
    own_rules: str = "Si spengono i telefoni.\nSi arriva puntuali.",
    association_name: str = "Associazione Auto Mutuo Aiuto Trento",
    group_name: str = "Lutto, Rovereto",
    description: str = "Per chi ha perso una persona cara e cerca un luogo dove parlarne.",
    venue_name: str = "Casa delle associazioni",
    entry_moments: str = "",
    with_agreements: bool = True,
):
    """A group by open invitation, "starting soon", with every mandatory agreement and a facilitator."""
    association = association or AssociationFactory(
        name=association_name,
        slug="ama-documenti",
        city="Trento",
        public_email="accoglienza@ama-documenti.example.org",
        public_phone="0461 239 640",
        website="https://ama-documenti.example.org",
    )
    venue = VenueFactory(association=association, name=venue_name, address="Via Dante 12", comune="Rovereto")
    theme = ThemeFactory(slug="lutto-doc", name_it="Lutto", name_en="Grief")
    path = founding_start(
        association=association,
        start_mode=StartMode.OPEN_INVITATION,
        by=None,
        name=group_name,
        description=description,
        themes=[theme],
    )
    group = path.group
    Group.objects.filter(pk=group.pk).update(language=language)
    group.refresh_from_db()
    services.schedule_create(
        group=group,
        rrule="FREQ=WEEKLY;BYDAY=TH",
        start_time=time(18, 30),
        duration_minutes=90,
        starts_on=date.today() + timedelta(days=20),
        by=None,
    )
    if with_agreements:
        group_agreements_set(
            group=group,
            by=None,
            venue=venue,
            entry="closed" if entry_moments else "open",
            entry_moments=entry_moments,
            max_size=10,
            joining=Joining.INTAKE_TALK,
            family_may_attend=False,
            facilitator_count=1,
            facilitator_kind="peer",
            ama_rules_accepted=True,
            own_rules=own_rules,
            contact_through_association=True,
            self_led=True,
            meets_regularly=True,
            voluntary=True,
            not_for_profit=True,
            confidential=True,
            first_meeting_at=first_meeting_at(),
        )
        services.group_set_status(group=group, status=GroupStatus.PROMOTING, by=None)
    facilitator = account_create(email=f"ginevra.{group.slug}@example.org", password="pw-for-tests")
    Profile.objects.create(user=facilitator, nickname=FACILITATOR_NICKNAME, phone=FACILITATOR_PHONE)
    GroupMembership.objects.create(user=facilitator, group=group, role=GroupRole.FACILITATOR)
    group.refresh_from_db()
    return group


def pdf_text(pdf: bytes) -> str:
    """All the text of the document, with its lines joined (a long sentence may wrap anywhere)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def decoded_qr_codes(pdf: bytes, page: int = 0) -> list[str]:
    """The QR codes found on a page rendered to an image (as a phone's camera would see it)."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[page].render(scale=2).to_pil()
    document.close()
    return [
        barcode.text for barcode in zxingcpp.read_barcodes(image) if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]
