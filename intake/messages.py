"""Intake's e-mails, registered with the outbox. Subjects are neutral: no name, no theme."""

from django.urls import reverse
from django.utils import timezone, translation

from intake.links import request_token
from intake.models import IntakeRequest, Introduction
from lib.site import absolute_url


def _request(message) -> IntakeRequest | None:
    return IntakeRequest.objects.select_related("association").filter(pk=message.context.get("request")).first()


def confirmation_wanted(message) -> bool:
    request = _request(message)
    return request is not None and request.redacted_at is None


def confirmation_context(message) -> dict:
    # The sample used by the test that renders every kind names no request (and has no database).
    request = _request(message) if message.context.get("request") else None
    if request is None:
        return {"reference": "R-ACDEFG", "association": "AMA", "deadline": timezone.localdate(), "withdraw_url": ""}
    with translation.override(message.language):
        path = reverse("intake:manage", kwargs={"token": request_token(request)})
    return {
        "reference": request.reference,
        "association": request.association.name,
        "association_phone": request.association.public_phone,
        "deadline": timezone.localtime(request.deadline_at).date(),
        "withdraw_url": absolute_url(path),
    }


def new_request_wanted(message) -> bool:
    request = _request(message)
    return request is not None and request.is_open and request.redacted_at is None


def new_request_context(message) -> dict:
    with translation.override(message.language):
        path = reverse("workspace:intake_request", kwargs={"pk": message.context.get("request") or 0})
    return {"link": absolute_url(path)}


def introduction_wanted(message) -> bool:
    return Introduction.objects.filter(
        pk=message.context.get("introduction"), request__redacted_at__isnull=True
    ).exists()


def introduction_context(message) -> dict:
    pk = message.context.get("introduction")
    introduction = Introduction.objects.filter(pk=pk).first() if pk else None
    with translation.override(message.language):
        if introduction is not None and introduction.meeting_id:
            path = reverse("workspace:meeting", kwargs={"pk": introduction.meeting_id})
        else:
            path = reverse("workspace:home")
    return {"link": absolute_url(path)}


CONFIRMATION_SAMPLE = {"request": 0}
NEW_SAMPLE = {"request": 1}
INTRODUCTION_SAMPLE = {"introduction": 0}
