"""Intake in the privacy machinery: export and erasure without an account, a staff member's own export."""

from intake import services
from intake.models import DemandRecord, IntakeRequest
from privacy import subjects
from privacy.registry import REGISTRY
from privacy.services import user_erase, user_export


def test_the_request_is_in_the_registry_and_found_by_its_address():
    entry = REGISTRY["intake.intakerequest"]
    assert entry.email_index == "email_index" and entry.email_field == "email"


def test_a_person_without_an_account_erases_their_request_by_email_and_the_demand_stays(submit, theme):
    request = submit(email="Lucia@Example.org", theme=theme)
    services.request_contact(request=request, by=None)
    services.request_wait(request=request, by=None)
    index = subjects.subject_index("lucia@example.org")
    assert subjects.subject_has_data(index=index)
    exported = subjects.subject_export(index=index)
    assert exported["data"]["intake.intakerequest"][0]["reference"] == request.reference
    subjects.subject_erase(index=index)
    assert not IntakeRequest.objects.filter(pk=request.pk).exists()
    record = DemandRecord.objects.get()
    assert record.request is None and record.theme == theme


def test_a_referrers_own_export_never_holds_the_peoples_contact_details(referrer_x, association_x):
    from intake.consent import CURRENT_CONSENT_VERSION

    services.request_submit(
        association=association_x,
        first_name="Mario",
        phone="0461 123456",
        email="mario@example.org",
        consent_version=CURRENT_CONSENT_VERSION,
        person_agreed=True,
        by=referrer_x,
    )
    exported = user_export(user=referrer_x, by=referrer_x)
    rows = exported["data"]["intake.intakerequest"]
    assert len(rows) == 1
    text = repr(rows)
    assert "Mario" not in text and "0461" not in text and "mario@example.org" not in text


def test_erasing_a_staff_account_keeps_the_requests_and_forgets_who_worked_them(intake_operator, submit):
    request = submit()
    services.request_assign(request=request, operator=intake_operator, by=intake_operator)
    user_erase(user=intake_operator)
    request.refresh_from_db()
    assert request.assigned_to is None and request.first_name == "Lucia"
