"""Where the network's groups meet, said in words, from the data itself.

"I gruppi si incontrano in provincia di Trento: a Trento, Rovereto, Arco e in altri 12
comuni. Alcuni si incontrano online." It changes only when groups or venues do, so it
is cached for a few minutes rather than counted on every page.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network.models import Group, Venue

CACHE_KEY = "directory:area"
CACHE_SECONDS = 10 * 60
TOWNS_NAMED = 5
PROVINCES_NAMED = 3


@dataclass(frozen=True)
class Area:
    provinces: list[str]  # names, most groups first
    province_count: int
    towns: list[str]  # the towns with most groups
    town_count: int
    online: int  # groups meeting online only

    @property
    def other_towns(self) -> int:
        return max(0, self.town_count - len(self.towns))

    @property
    def is_empty(self) -> bool:
        return not self.town_count and not self.online

    def describe(self) -> str:
        """One or two sentences, in the current language."""
        sentences = []
        if self.town_count:
            if self.province_count == 1:
                where = _("in provincia di %(province)s") % {"province": self.provinces[0]}
            elif 1 < self.province_count <= PROVINCES_NAMED:
                where = _("nelle province di %(provinces)s") % {"provinces": _join(self.provinces)}
            elif self.province_count:
                where = ngettext("in %(count)s provincia", "in %(count)s province", self.province_count) % {
                    "count": self.province_count
                }
            else:
                where = ngettext("in %(count)s comune", "in %(count)s comuni", self.town_count) % {
                    "count": self.town_count
                }
            towns = list(self.towns)
            if self.other_towns:
                towns.append(
                    ngettext("in %(count)s altro comune", "in altri %(count)s comuni", self.other_towns)
                    % {"count": self.other_towns}
                )
            sentences.append(
                _("I gruppi della rete si incontrano %(where)s: a %(towns)s.") % {"where": where, "towns": _join(towns)}
            )
        if self.online:
            sentences.append(_("Alcuni gruppi si incontrano online: si partecipa da qualsiasi luogo."))
        return " ".join(sentences)


def _join(items: list[str]) -> str:
    """ "a, b e c" / "a, b and c"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s e %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Province abbreviations (TN) → names (Trento), from the comuni data shipped with the CAPs."""
    from directory.places import postcode_records

    return {
        record["sigla_provincia"]: record["provincia"] for record in postcode_records() if record["sigla_provincia"]
    }


def _compute() -> Area:
    public = Group.objects.public()
    rows = list(
        Venue.objects.filter(groups__in=public)
        .values("province", "comune")
        .annotate(groups=Count("groups"))
        .order_by("-groups", "comune")
    )
    by_province: dict[str, int] = {}
    by_town: dict[str, int] = {}
    for row in rows:
        if row["province"]:
            by_province[row["province"]] = by_province.get(row["province"], 0) + row["groups"]
        by_town[row["comune"]] = by_town.get(row["comune"], 0) + row["groups"]
    names = province_names()
    provinces = sorted(by_province, key=lambda code: (-by_province[code], code))
    towns = sorted(by_town, key=lambda town: (-by_town[town], town))
    return Area(
        provinces=[names.get(code.upper(), code) for code in provinces[:PROVINCES_NAMED]],
        province_count=len(provinces),
        towns=towns[:TOWNS_NAMED],
        town_count=len(towns),
        online=public.filter(venue__isnull=True).exclude(online_url="").count(),
    )


def network_area() -> Area:
    area = cache.get(CACHE_KEY)
    if area is None:
        area = _compute()
        cache.set(CACHE_KEY, area, CACHE_SECONDS)
    return area
