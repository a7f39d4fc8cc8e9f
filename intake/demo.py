# ruff: noqa: E501  (a table reads better one row per line)
"""Demo intake requests for the demo association, in different states, made through the services.

Invented first names and example addresses only. Idempotent: each request has a fixed
submission token, so running the demo again creates nothing more.
"""

from datetime import timedelta

from network.demo import demo_step

# (token, first name, phone, e-mail, theme slug or None, town, relationship, call times, days ago, steps)
REQUESTS = [
    ("demo-intake-1", "Giulia", "333 000 0001", "", "lutto", "Trento", "affected", 4, 0, []),
    ("demo-intake-2", "Paolo", "", "paolo@example.org", None, "Rovereto", "family", 1, 3, []),
    ("demo-intake-3", "Sara", "333 000 0003", "", "gioco-azzardo", "Pergine Valsugana", "family", 6, 2, ["contact"]),
    ("demo-intake-4", "Luca", "333 000 0004", "luca@example.org", "alcol", "Trento", "affected", 4, 5, ["contact", "propose"]),
    ("demo-intake-5", "Anna", "333 000 0005", "", "lutto", "Lavis", "affected", 2, 6, ["contact", "propose", "introduce"]),
    ("demo-intake-6", "Marta", "333 000 0006", "", "parkinson", "Cles", "family", 1, 20, ["contact", "wait"]),
    ("demo-intake-7", "Teo", "333 000 0007", "", "parkinson", "Cles", "affected", 4, 25, ["contact", "wait"]),
    ("demo-intake-8", "Rita", "", "rita@example.org", "solitudine", "Arco", "affected", 2, 40, ["contact", "propose", "introduce", "joined"]),
]  # fmt: skip


@demo_step(40)
def intake_demo(result: dict, *, today=None) -> None:
    from django.db import transaction
    from django.utils import timezone

    from intake import services
    from intake.consent import CURRENT_CONSENT_VERSION
    from intake.models import IntakeRequest, Outcome
    from network.models import Theme

    association = result["association"]
    groups = result["groups"]
    operator = result["users"].get("intake")
    # The demo facilitator's groups, so their home shows a newcomer.
    facilitated = groups[:2]
    now = timezone.now()
    with transaction.atomic():
        for token, name, phone, email, theme_slug, town, relationship, times, days_ago, steps in REQUESTS:
            if IntakeRequest.objects.filter(submission_token=token).exists():
                continue
            theme = Theme.objects.filter(slug=theme_slug).first() if theme_slug else None
            request, _created = services.request_submit(
                association=association,
                first_name=name,
                phone=phone,
                email=email,
                theme=theme,
                town=town,
                relationship=relationship,
                call_times=times,
                consent_version=CURRENT_CONSENT_VERSION,
                submission_token=token,
                now=now - timedelta(days=days_ago),
            )
            group = next((item for item in facilitated if theme in item.themes.all()), facilitated[0])
            for step in steps:
                if step == "contact":
                    services.request_contact(
                        request=request, by=operator, now=now - timedelta(days=max(days_ago - 1, 0))
                    )
                elif step == "propose":
                    services.request_propose(request=request, group=group, by=operator)
                elif step == "introduce":
                    services.request_introduce(request=request, by=operator)
                elif step == "wait":
                    services.request_wait(request=request, by=operator)
                elif step == "joined":
                    services.request_close(request=request, outcome=Outcome.JOINED, by=operator)


from intake import demo_demand  # noqa: E402, F401  unmet demand and the figures: registers its @demo_step
