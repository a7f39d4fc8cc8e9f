from datetime import date, time

import factory

from network.models import Association, Group, Schedule, Theme, Venue
from network.services import group_sync_meetings


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Associazione {n}")
    slug = factory.Sequence(lambda n: f"associazione-{n}")
    city = "Trento"
    public_email = "accoglienza@example.org"
    public_phone = "0461 000 000"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"tema-{n}")
    name_it = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    association = factory.SubFactory(AssociationFactory)
    name = "Casa del volontariato"
    address = "Via Roma 1"
    comune = "Trento"
    province = "TN"
    latitude = 46.06787
    longitude = 11.12108


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Gruppo {n}")
    slug = factory.Sequence(lambda n: f"gruppo-{n}")
    description = "Un gruppo di auto mutuo aiuto."
    venue = factory.SubFactory(VenueFactory, association=factory.SelfAttribute("..association"))


def make_group(
    *,
    rule: str = "FREQ=WEEKLY;BYDAY=TU",
    at: time = time(20, 30),
    themes: list[Theme] = (),
    starts_on: date = date(2025, 1, 1),
    today: date | None = None,
    **fields,
) -> Group:
    """A group with one schedule whose meetings are already generated."""
    group = GroupFactory(**fields)
    group.themes.set(themes)
    Schedule.objects.create(group=group, rrule=rule, starts_on=starts_on, start_time=at)
    group_sync_meetings(group=group, today=today)
    group.refresh_from_db()
    return group
