"""The workspace's navigation, shaped by the person's capabilities.

Feature apps (intake, the companion, starting groups, figures) add their entries
here with the capability they need; a person sees only what they can use.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.access import Access, Cap


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    caps: tuple[Cap, ...]


NAVIGATION: list[NavItem] = [
    NavItem("workspace:home", _("Oggi"), ()),
    NavItem("workspace:groups", _("Gruppi"), (Cap.GROUP_VIEW,)),
    NavItem("workspace:intake_queue", _("Accoglienza"), (Cap.INTAKE_WORK,)),
    NavItem("workspace:intake_referred", _("Persone inviate"), (Cap.INTAKE_REFER,)),
    NavItem("workspace:founding_board", _("Nuovi gruppi"), (Cap.ASSOCIATION_MANAGE_GROUPS,)),
    NavItem("workspace:meetings", _("Incontri della rete"), (Cap.NETWORK_VIEW_MEETINGS,)),
    NavItem("workspace:venues", _("Sedi"), (Cap.ASSOCIATION_MANAGE_GROUPS,)),
    NavItem("workspace:themes", _("Temi"), (Cap.THEMES_EDIT,)),
    NavItem("workspace:people", _("Persone e inviti"), (Cap.ASSOCIATION_INVITE_STAFF,)),
    NavItem("workspace:history", _("Attività"), (Cap.ASSOCIATION_VIEW_ACTIVITY,)),
    NavItem("workspace:association_public", _("Pagine pubbliche"), (Cap.ASSOCIATION_MANAGE_GROUPS,)),
    # One entry for every figure: the attendance and the intake pages are tabs of "Numeri".
    NavItem("workspace:figures", _("Numeri"), (Cap.NETWORK_VIEW_FIGURES,)),
    NavItem("workspace:reflections", _("Le mie riflessioni"), (Cap.GROUP_COMPANION,)),
    NavItem("workspace:audit", _("Registro degli accessi"), (Cap.ASSOCIATION_VIEW_AUDIT,)),
    NavItem("workspace:demand", _("Richieste senza gruppo"), (Cap.NETWORK_VIEW_FIGURES,)),
]


def navigation_for(access: Access, current_path: str) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.caps and not access.has_any(*item.caps):
            continue
        url = reverse(item.url_name)
        home = item.url_name == "workspace:home"
        current = current_path == url if home else current_path.startswith(url)
        items.append({"url": url, "label": item.label, "current": current})
    return items
