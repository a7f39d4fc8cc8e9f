# ruff: noqa: E501  (prose that reads better on one line)
"""The demo network: a realistic umbrella association in the province of Trento.

Everything here is invented except the towns and their coordinates.
"""

THEMES = [
    # (slug, Italian name, English name, how else people call it: variants and synonyms)
    ("alcol", "Alcol", "Alcohol", "alcool, alcolismo, alcoolismo, alcolisti, bere, alcolici"),
    ("gioco-azzardo", "Gioco d'azzardo", "Gambling", "azzardo, ludopatia, gioco patologico, slot, scommesse, gambling"),
    ("fumo", "Smettere di fumare", "Quitting smoking", "fumo, sigarette, tabagismo, nicotina, tabacco"),
    ("lutto", "Lutto", "Grief", "perdita, morte, perdita di una persona cara, vedovanza, bereavement"),
    (
        "separazione-divorzio",
        "Separazione e divorzio",
        "Separation and divorce",
        "separati, divorziati, fine di una relazione",
    ),
    (
        "disturbi-alimentari",
        "Disturbi del comportamento alimentare",
        "Eating disorders",
        "DCA, anoressia, bulimia, binge eating, alimentazione",
    ),
    (
        "ansia-depressione",
        "Ansia, depressione e attacchi di panico",
        "Anxiety, depression and panic",
        "ansia, depressione, panico, attacchi di panico, tristezza",
    ),
    ("tumore", "Vivere con un tumore", "Living with cancer", "cancro, tumore, oncologia, malattia oncologica"),
    ("dolore-cronico", "Dolore cronico", "Chronic pain", "fibromialgia, dolore, chronic pain"),
    ("parkinson", "Parkinson", "Parkinson's", "morbo di Parkinson, malattia di Parkinson"),
    (
        "alzheimer-demenze",
        "Familiari di persone con Alzheimer o demenza",
        "Carers of people with Alzheimer's or dementia",
        "Alzheimer, demenza, demenze, caregiver, familiari",
    ),
    ("genitorialita", "Essere genitori", "Parenting", "genitori, mamme, papà, figli, genitorialità"),
    ("solitudine", "Solitudine", "Loneliness", "isolamento, sentirsi soli"),
    (
        "difficolta-lavorativa",
        "Difficoltà lavorativa",
        "Work-related distress",
        "lavoro, disoccupazione, mobbing, stress lavoro, burnout",
    ),
    (
        "dipendenza-affettiva",
        "Dipendenza affettiva",
        "Affective dependence",
        "relazioni, dipendenza dalle relazioni, love addiction",
    ),
]

DESCRIPTIONS = {
    "alcol": "Per chi vuole liberarsi dall'alcol e per chi ci sta riuscendo. Ci si ascolta, si condividono le difficoltà e i passi avanti, senza giudizio.",
    "gioco-azzardo": "Per chi sente che il gioco d'azzardo ha preso troppo spazio nella propria vita, o in quella di una persona cara.",
    "fumo": "Per chi vuole smettere di fumare e preferisce non farlo da solo.",
    "lutto": "Per chi ha perso una persona cara. Nel gruppo si può parlare del proprio dolore con chi lo conosce, e ritrovare un po' di forza insieme.",
    "separazione-divorzio": "Per chi sta attraversando una separazione o un divorzio e cerca uno spazio per riprendere fiato.",
    "disturbi-alimentari": "Per chi vive un disturbo del comportamento alimentare o sta accanto a una persona che lo vive.",
    "ansia-depressione": "Per chi convive con ansia, depressione o attacchi di panico. Parlarne con chi capisce aiuta a sentirsi meno soli.",
    "tumore": "Per chi vive con una diagnosi di tumore, durante e dopo le cure.",
    "dolore-cronico": "Per chi convive ogni giorno con il dolore cronico e vuole condividere fatiche e strategie.",
    "parkinson": "Per persone con Parkinson e per chi le accompagna.",
    "alzheimer-demenze": "Per familiari che si prendono cura di una persona con Alzheimer o demenza: un momento per sé, tra persone che capiscono.",
    "genitorialita": "Per madri e padri che vogliono confrontarsi sulle fatiche e le gioie dell'essere genitori.",
    "solitudine": "Per chi si sente solo e desidera incontrare altre persone in un clima di ascolto.",
    "difficolta-lavorativa": "Per chi vive un disagio legato al lavoro: perdita del lavoro, conflitti, stress.",
    "dipendenza-affettiva": "Per chi riconosce nelle proprie relazioni una dipendenza affettiva e vuole cambiare.",
}

# (comune, latitude, longitude) from the GeoNames gazetteer, all in the province of Trento.
TOWNS = [
    ("Trento", 46.06787, 11.12108),
    ("Rovereto", 45.8904, 11.04053),
    ("Pergine Valsugana", 46.06434, 11.23758),
    ("Arco", 45.91772, 10.88672),
    ("Riva del Garda", 45.88577, 10.84117),
    ("Lavis", 46.14131, 11.10931),
    ("Mezzolombardo", 46.20774, 11.09636),
    ("Borgo Valsugana", 46.05119, 11.45756),
    ("Cles", 46.36294, 11.03276),
    ("Levico Terme", 46.01217, 11.30427),
    ("Ala", 45.76072, 11.00458),
    ("Mori", 45.85187, 10.98052),
    ("Tione di Trento", 46.0355, 10.72679),
    ("Cavalese", 46.29048, 11.45862),
    ("Predazzo", 46.3114, 11.5996),
]

VENUE_KINDS = [
    ("Casa del volontariato", "Via Roma 12"),
    ("Centro sociale comunale", "Piazza della Chiesa 3"),
    ("Sala della biblioteca", "Via Garibaldi 21"),
]

# (rrule, start time, duration in minutes): the rhythms AMA groups really keep.
RHYTHMS = [
    ("FREQ=MONTHLY;BYDAY=2TU,4TU", "20:30", 120),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "18:00", 90),
    ("FREQ=WEEKLY;BYDAY=MO", "20:30", 90),
    ("FREQ=MONTHLY;BYDAY=1WE,3WE", "17:30", 120),
    ("FREQ=MONTHLY;BYDAY=-1FR", "20:00", 120),
    ("FREQ=WEEKLY;BYDAY=WE", "10:00", 90),
    ("FREQ=MONTHLY;BYDAY=1SA", "10:00", 120),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "20:30", 120),
]

DEMO_PASSWORD = "cerchio-demo"
# Nicknames: how colleagues see each other in the workspace (never the address).
DEMO_NICKNAMES = {
    "admin": "Paolo",
    "coordinator": "Chiara",
    "facilitator": "Marco",
    "intake": "Sara",
    "referrer": "Elena",
}
DEMO_USERS = [
    # (e-mail, role, what they are for)
    ("admin@demo.cerchio.it", "admin", "amministratore del sito"),
    ("coordinatrice@demo.cerchio.it", "coordinator", "coordinatrice dell'associazione"),
    ("facilitatore@demo.cerchio.it", "facilitator", "facilitatore di due gruppi"),
    ("operatore@demo.cerchio.it", "intake", "operatore dell'accoglienza"),
    ("servizio@demo.cerchio.it", "referrer", "assistente sociale che invia persone"),
]

# What other apps add to the demo (intake requests, followers, a group being started…):
# each app's `demo.py` registers a step with `@demo_step(order)`; `seed_demo` the command
# finds them with `autodiscover_modules("demo")`, so this module never imports an app
# to its right. A step receives what `seed_demo()` returned and must be idempotent too.
DEMO_STEPS: list[tuple[int, object]] = []


def demo_step(order: int):
    def register(function):
        if all(existing is not function for _order, existing in DEMO_STEPS):
            DEMO_STEPS.append((order, function))
        return function

    return register


def run_demo_steps(result: dict, *, today=None) -> None:
    for _order, step in sorted(DEMO_STEPS, key=lambda item: item[0]):
        step(result, today=today)


def seed_demo(*, today=None) -> dict:
    """Create or update the demo network through the services. Safe to run again: nothing is duplicated."""
    from datetime import date, time, timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Profile
    from accounts.services import account_create
    from network import services
    from network.models import (
        Association,
        AssociationMembership,
        AssociationRole,
        Audience,
        Entry,
        FacilitatorKind,
        Group,
        GroupMembership,
        GroupRole,
        GroupStatus,
        ScheduleException,
        StartMode,
        Theme,
        Venue,
    )

    today = today or timezone.localdate()
    with transaction.atomic():
        coordination = Association.objects.filter(slug="coordinamento-ama-triveneto-demo").first()
        if coordination is None:
            coordination = services.association_create(
                by=None,
                slug="coordinamento-ama-triveneto-demo",
                name="Coordinamento AMA del Triveneto (demo)",
                city="Padova",
            )
        association = Association.objects.filter(slug="ama-trentino-demo").first()
        if association is None:
            association = services.association_create(
                by=None,
                slug="ama-trentino-demo",
                name="Associazione AMA Trentino (demo)",
                coordination=coordination,
                city="Trento",
                public_email="accoglienza@ama-trentino.example",
                public_phone="0461 000 000",
                website="https://ama-trentino.example",
            )
        themes = {}
        for slug, name_it, name_en, synonyms in THEMES:
            theme = Theme.objects.filter(slug=slug).first()
            if theme is None:
                theme = services.theme_create(slug=slug, name_it=name_it, name_en=name_en, synonyms=synonyms, by=None)
            else:
                if (theme.name_it, theme.name_en) != (name_it, name_en):
                    theme = services.theme_rename(theme=theme, name_it=name_it, name_en=name_en, by=None)
                if not theme.synonyms:  # variants the association has edited stay theirs
                    theme = services.theme_set_synonyms(theme=theme, synonyms=synonyms, by=None)
            themes[slug] = theme
        venues = {}
        for index, (comune, lat, lon) in enumerate(TOWNS):
            kinds = VENUE_KINDS[: 2 if index < 3 else 1]
            for number, (kind, address) in enumerate(kinds):
                # Venues sit a few hundred metres apart inside the town.
                fields = {
                    "address": address,
                    "province": "TN",
                    "latitude": round(lat + 0.003 * number, 5),
                    "longitude": round(lon - 0.002 * number, 5),
                    "step_free": number == 0,
                    "transport_notes": "Fermata dell'autobus a 200 metri." if number == 0 else "",
                }
                venue = Venue.objects.filter(association=association, name=kind, comune=comune).first()
                if venue is None:
                    venue = services.venue_create(association=association, by=None, name=kind, comune=comune, **fields)
                else:
                    venue = services.venue_update(venue=venue, by=None, **fields)
                venues.setdefault(comune, []).append(venue)

        theme_slugs = [slug for slug, *_rest in THEMES]
        groups = []
        for index in range(40):
            theme_slug = theme_slugs[index % len(theme_slugs)]
            comune = TOWNS[(index * 7 + index // len(THEMES)) % len(TOWNS)][0]
            venue = venues[comune][index % len(venues[comune])]
            online_only = index % 10 == 9
            hybrid = index % 10 == 4
            audience = [Audience.AFFECTED, Audience.BOTH, Audience.FAMILY][index % 3]
            if theme_slug == "alzheimer-demenze":
                audience = Audience.FAMILY
            theme_name = themes[theme_slug].name_it
            name = f"{theme_name} – {'online' if online_only else comune}"
            if index >= len(theme_slugs) * 2:
                name += " (sera)" if index % 2 else " (mattina)"
            slug = f"demo-{index + 1:02d}-{theme_slug}"
            fields = {
                "name": name,
                "description": DESCRIPTIONS[theme_slug],
                "audience": audience,
                "facilitator_kind": FacilitatorKind.PEER if index % 2 == 0 else FacilitatorKind.NON_PEER,
                "venue": None if online_only else venue,
                "online_url": "https://meet.example/ama-demo" if online_only or hybrid else "",
                "entry": Entry.CLOSED if index % 8 == 7 else Entry.OPEN,
                "accepting_newcomers": index % 11 != 10,
                "start_mode": list(StartMode.values)[index % 5],
                "accessibility_notes": "Sala al piano terra." if venue.step_free and not online_only else "",
            }
            group = Group.objects.filter(slug=slug).first()
            if group is None:
                group = services.group_create(
                    association=association,
                    by=None,
                    slug=slug,
                    themes=[themes[theme_slug]],
                    status=GroupStatus.PROMOTING if index == 39 else GroupStatus.ACTIVE,
                    **fields,
                )
            else:
                group = services.group_update(group=group, by=None, themes=[themes[theme_slug]], **fields)
            if not group.schedules.exists():
                rule, start, minutes = RHYTHMS[index % len(RHYTHMS)]
                if index >= len(theme_slugs) * 2:
                    start = "20:30" if index % 2 else "09:30"
                services.schedule_create(
                    group=group,
                    rrule=rule,
                    starts_on=date(2025, 9, 1),
                    start_time=time.fromisoformat(start),
                    duration_minutes=minutes,
                    by=None,
                )
            groups.append(group)

        # One cancelled and one moved meeting, a few weeks ahead, so both are visible.
        if not ScheduleException.objects.filter(schedule__group__association=association).exists():
            # Soon enough to show on the workspace's "next two weeks" and on the group pages.
            horizon = timezone.now() + timedelta(days=2)
            cancelled = groups[3].meetings.filter(starts_at__gte=horizon, is_scheduled=True).order_by("starts_at")[0]
            services.meeting_cancel(meeting=cancelled, note="Sospeso per le festività.", by=None)
            moved = groups[0].meetings.filter(starts_at__gte=horizon, is_scheduled=True).order_by("starts_at")[0]
            services.meeting_move(
                meeting=moved,
                new_date=moved.original_date,
                new_time=time(18, 0),
                note="Questa volta ci troviamo prima e in un'altra sala.",
                by=None,
            )
            services.meeting_change_venue(meeting=moved, venue=venues["Trento"][1], by=None)
        for group in groups:
            services.group_sync_meetings(group=group, today=today)

        User = get_user_model()
        users = {}
        for email, role, _description in DEMO_USERS:
            user = User.objects.filter(username=f"demo-{role}").first()
            if user is None:
                user = account_create(email=email, password=DEMO_PASSWORD, username=f"demo-{role}")
            # Only the site administrator uses the Django admin; everyone else works in the workspace.
            user.is_staff = user.is_superuser = role == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"nickname": DEMO_NICKNAMES[role]})
            users[role] = user
        grants = [(users["coordinator"], AssociationRole.COORDINATOR, {"association": association})]
        grants.append((users["intake"], AssociationRole.INTAKE, {"association": association}))
        grants.append((users["referrer"], AssociationRole.REFERRER, {"association": association}))
        grants += [(users["facilitator"], GroupRole.FACILITATOR, {"group": group}) for group in groups[:2]]
        for user, role, scope in grants:
            model = GroupMembership if "group" in scope else AssociationMembership
            if not model.objects.filter(user=user, role=role, **scope).exists():
                services.membership_grant(user=user, role=role, by=None, **scope)
    return {"association": association, "groups": groups, "users": users}
