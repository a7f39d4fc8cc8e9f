from django.core.management import call_command

from network.models import AssociationMembership, Group, GroupMembership, Meeting, Schedule, ScheduleException, Theme


def test_seed_demo_loads_a_realistic_association_and_is_idempotent(db, capsys):
    call_command("seed_demo")
    counts = [Group.objects.count(), Theme.objects.count(), Schedule.objects.count(), Meeting.objects.count()]
    call_command("seed_demo")
    assert [Group.objects.count(), Theme.objects.count(), Schedule.objects.count(), Meeting.objects.count()] == counts

    assert 35 <= counts[0] <= 45 and 12 <= counts[1] <= 18
    rules = set(Schedule.objects.values_list("rrule", flat=True))
    assert {
        "FREQ=WEEKLY;BYDAY=MO",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "FREQ=MONTHLY;BYDAY=2TU,4TU",
        "FREQ=MONTHLY;BYDAY=-1FR",
    } <= rules
    formats = {group.format for group in Group.objects.all()}
    assert formats == {"in_person", "online", "hybrid"}
    assert ScheduleException.objects.filter(kind="cancelled").count() == 1
    # Other apps' demo steps may change meetings of their own (following moves one, so its
    # demo followers get a notice); the network's own demo adds one of each.
    assert ScheduleException.objects.filter(kind="changed").count() >= 1
    assert Meeting.objects.filter(is_cancelled=True).count() == 1
    assert Meeting.objects.filter(is_changed=True).count() >= 1
    assert AssociationMembership.objects.filter(role="coordinator").count() == 1
    assert GroupMembership.objects.filter(role="facilitator").exists()
    output = capsys.readouterr().out
    assert "coordinatrice@demo.cerchio.it" in output and "cerchio-demo" in output
