from django.core.management import call_command

from intake.models import DemandRecord, IntakeRequest, Introduction, RequestState


def test_the_demo_adds_requests_in_every_state_once(db):
    call_command("seed_demo")
    states = set(IntakeRequest.objects.values_list("state", flat=True))
    assert {RequestState.NEW, RequestState.CONTACTED, RequestState.PROPOSED, RequestState.INTRODUCED} <= states
    assert {RequestState.WAITING, RequestState.CLOSED} <= states
    counts = (IntakeRequest.objects.count(), DemandRecord.objects.count(), Introduction.objects.count())
    call_command("seed_demo")
    assert (IntakeRequest.objects.count(), DemandRecord.objects.count(), Introduction.objects.count()) == counts
    # The eight requests of intake's own demo (unmet demand adds its own, see test_demand_demo.py).
    assert IntakeRequest.objects.filter(submission_token__startswith="demo-intake-").count() == 8
    assert counts[1] >= 2 and counts[2] == 2
