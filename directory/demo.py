"""The directory's part of the demo: the association's "chi siamo", urgent-help numbers and English group text."""

from network import services
from network.demo import demo_step
from network.models import Group

ABOUT = (
    "Dal 1996 l'associazione accompagna i gruppi di auto mutuo aiuto del Trentino: accoglie chi cerca un gruppo, "
    "forma i facilitatori e aiuta a nascere i gruppi nuovi. Il primo contatto è una telefonata o un'e-mail: "
    "ti ascoltiamo e ti diciamo quale gruppo può fare per te."
)
ABOUT_EN = (
    "Since 1996 the association has supported the self-help groups of Trentino: it welcomes people looking for a "
    "group, trains facilitators and helps new groups start. The first contact is a phone call or an email: we "
    "listen and tell you which group may suit you."
)
URGENT = "1522 – antiviolenza e stalking, gratuito, giorno e notte\n02 2327 2327 – Telefono Amico, ascolto"
URGENT_EN = (
    "1522 – violence against women and stalking, free, day and night\n"
    "02 2327 2327 – Telefono Amico, someone to listen (in Italian)"
)
# A few groups with English text; the others show the "meets in Italian" note on /en/.
ENGLISH = {
    "demo-01-": ("Alcohol – Trento", "For people who want to stop drinking, and for those who live with them."),
    "demo-02-": ("Gambling – Borgo Valsugana", "For people who gamble and cannot stop, and for their families."),
    "demo-03-": ("Quitting smoking – Predazzo", "For people who want to quit smoking, together with others."),
}


@demo_step(10)
def public_pages(result: dict, *, today=None) -> None:
    association = result["association"]
    services.association_update(
        association=association,
        by=None,
        about=ABOUT,
        about_en=ABOUT_EN,
        urgent_numbers=URGENT,
        urgent_numbers_en=URGENT_EN,
    )
    for prefix, (name_en, description_en) in ENGLISH.items():
        group = Group.objects.filter(slug__startswith=prefix, association=association).first()
        if group is not None:
            services.group_update(group=group, by=None, name_en=name_en, description_en=description_en)
