"""What the facilitator reads in the room: the rules, the do / don't card, the first-meeting guide.

From the method's book (chapters 2 and 4, see docs and ../shared/domain.md). Each point of
the do / don't card has a stable code, so a self-reflection keeps meaning the same point
when a wording is improved.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Point:
    code: str
    text: Promise


# The rules every group states, at the first meeting and always.
RULES: list[tuple[Promise, Promise]] = [
    (
        _("Accoglienza, ascolto e sospensione del giudizio"),
        _("Ci si accoglie e ci si ascolta senza giudicare."),
    ),
    (
        _("Partecipazione libera e gratuita"),
        _("Nessuno è obbligato a venire sempre né a parlare."),
    ),
    (
        _("Riservatezza"),
        _(
            "Ciò che si dice nel gruppo resta nel gruppo. Si parla delle persone solo quando sono "
            "presenti. Non si rivela fuori chi partecipa."
        ),
    ),
    (
        _("Uno alla volta, in prima persona"),
        _("Si parla uno alla volta, di sé, senza interrompere. Chi vuole parlare ne ha la possibilità."),
    ),
]

DOES: list[Point] = [
    Point("do1", _("arrivare puntuale")),
    Point("do2", _("aprire l'incontro")),
    Point("do3", _("far parlare uno alla volta, in prima persona")),
    Point("do4", _("fare in modo che tutti possano parlare, se lo desiderano")),
    Point("do5", _("guardare tutto il gruppo")),
    Point("do6", _("accogliere ciò di cui le persone vogliono parlare")),
    Point("do7", _("ascoltare")),
    Point("do8", _("riformulare")),
    Point("do9", _("mettere in luce ciò che le persone hanno in comune")),
    Point("do10", _("valorizzare le differenze")),
    Point("do11", _("ricordare a tutti i prossimi incontri")),
]

DONTS: list[Point] = [
    Point("dont1", _("arrivare in ritardo")),
    Point("dont2", _("fissare un ordine del giorno")),
    Point("dont3", _("spiegare")),
    Point("dont4", _("dare consigli")),
    Point("dont5", _("valutare")),
    Point("dont6", _("giudicare")),
    Point("dont7", _("parlare troppo")),
    Point("dont8", _("zittire le persone")),
    Point("dont9", _("interrompere")),
    Point("dont10", _("prendere posizione")),
    Point("dont11", _("guardare solo chi sta parlando")),
    Point("dont12", _("essere assente dal gruppo")),
]

POINTS: dict[str, Point] = {point.code: point for point in [*DOES, *DONTS]}

# The group's first meeting (chapter 4), in order.
FIRST_MEETING: list[tuple[Promise, Promise]] = [
    (_("Ringraziare"), _("Grazie a tutti per essere venuti: non è scontato fare questo passo.")),
    (
        _("Dire lo scopo del gruppo"),
        _(
            "Ci troviamo per condividere tra pari la nostra esperienza: non ci sono esperti che danno "
            "risposte, ci si aiuta raccontando e ascoltando."
        ),
    ),
    (_("Dire le regole"), _("Leggi le quattro regole della scheda qui sotto, una alla volta.")),
    (
        _("Un giro di presentazioni"),
        _("Ciascuno dice solo il nome di battesimo, o un nome scelto per il gruppo. Nessun cognome."),
    ),
]

# How confidentiality works and its limits: told when the group starts.
CONFIDENTIALITY: list[Promise] = [
    _("Ciò che si dice qui resta qui: non se ne parla fuori, e non si dice fuori chi partecipa."),
    _("Nessuno prende appunti su ciò che le persone raccontano, nemmeno chi facilita."),
    _(
        "C'è un solo limite: se il silenzio mettesse in pericolo qualcuno, cioè un rischio per la vita "
        "o un minore in pericolo, chi facilita ne parla con l'operatore dell'associazione."
    ),
]
