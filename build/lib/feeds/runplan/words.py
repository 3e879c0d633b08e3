"""The words running plans use for long, hard, easy and rest days, in six languages.

Matching is on case-folded text without accents, from the start of a word; a trailing `*`
lets a stem match longer words (German and Dutch compounds, plurals). "Dauerlauf" and
"duurloop" alone are easy continuous runs; only with "lang-" are they the long run (the week's
longest run is found from its distance or duration anyway).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..placement import RunDay

WORDS: dict[RunDay, tuple[str, ...]] = {
    RunDay.LONG: (
        # English
        "long run*", "long-run*", "longrun*", "long slow", "long easy", "long aerobic", "lsd",
        # German
        "langer lauf", "langen lauf", "langer dauerlauf", "langen dauerlauf", "lange einheit",
        "long jog",
        # Spanish
        "tirada larga", "tirada", "rodaje largo", "fondo largo", "largo",
        # French
        "sortie longue", "longue",
        # Italian
        "lungo", "lunghissimo", "corsa lunga",
        # Dutch
        "lange duurloop", "lange loop",
    ),
    RunDay.HARD: (
        # English
        "interval*", "repeats", "reps", "tempo*", "threshold", "lactate", "fartlek*", "hill*",
        "race pace", "marathon pace", "half marathon pace", "goal pace", "10k pace", "5k pace",
        "mp", "hmp", "speed*", "track", "vo2*", "cruise", "progression", "yasso*", "race",
        "time trial", "parkrun", "marathon", "half marathon", "halbmarathon", "maraton",
        "semi marathon", "maratona", "mezza maratona", "halve marathon",
        # German
        "intervall*", "tdl", "schwelle*", "fahrtspiel", "berglauf*", "bergsprint*", "hugel*",
        "wettkampf*", "renntempo", "marathontempo",
        # Spanish
        "series", "umbral", "ritmo de carrera", "ritmo maraton", "ritmo de competicion",
        "cuestas", "cambios de ritmo", "competicion",
        # French
        "fractionne*", "seuil", "allure specifique", "allure marathon", "allure semi", "vma",
        "cotes", "competition",
        # Italian
        "ripetute", "soglia", "medio", "progressivo", "salite", "ritmo gara", "ritmo maratona",
        "gara",
        # Dutch
        "drempel*", "heuvel*", "wedstrijd*",
    ),
    RunDay.EASY: (
        # English
        "easy", "recovery", "jog*", "aerobic", "base", "shakeout", "shake out", "steady",
        "zone 2", "z2",
        # German
        "locker*", "regeneration*", "regenerativ*", "dauerlauf", "ga1", "ruhig*", "auslaufen",
        "erholung*",
        # Spanish
        "suave", "rodaje", "recuperacion", "regenerativo", "trote",
        # French
        "footing", "recuperation", "endurance fondamentale", "decrassage",
        # Italian
        "lento", "facile", "rigenerante", "recupero", "corsa lenta", "defaticante",
        # Dutch
        "rustig*", "herstel*", "duurloop", "losloop*", "los lopen",
    ),
    RunDay.REST: (
        "rest", "rest day", "day off", "off",
        "ruhetag", "ruhe", "pause", "frei", "kein training",
        "descanso",
        "repos",
        "riposo",
        "rust", "rustdag",
    ),
}  # fmt: skip

# "6x800m", "5 x 1 km", "3x10'": repetitions are a hard session in any language.
REPETITIONS = re.compile(r"(?<![\w.])\d+\s?[x\u00d7]\s?\d")
ORDER = (RunDay.LONG, RunDay.HARD, RunDay.EASY, RunDay.REST)


def plain(text: str) -> str:
    """Case-folded text without accents, so "Fractionné" and "fractionne" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _pattern(kind: RunDay) -> re.Pattern[str]:
    parts = []
    for word in sorted(WORDS[kind], key=len, reverse=True):
        stem = re.escape(plain(word.rstrip("*"))).replace(r"\ ", r"[\s-]+")
        parts.append(stem + (r"\w*" if word.endswith("*") else r"(?!\w)"))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


def read_words(text: str) -> tuple[RunDay, str] | None:
    """The kind of run `text` names and the word that says so; long over hard over easy."""
    flat = plain(text)
    for kind in ORDER:
        found = _pattern(kind).search(flat)
        if kind is RunDay.HARD and found is None:
            found = REPETITIONS.search(flat)
        if found:
            return kind, found.group(0)
    return None
