"""Filler words, hedging phrases and editing terms, per language, with their rules.

Rules (applied by :mod:`vidlens.engines.delivery.phrases`):

- ``always``: counted wherever it occurs (hesitation sounds, "basically").
- ``break``: counted only when set off from the sentence: a comma, dash or pause right
  after it, or a comma, dash or pause right before it inside a sentence ("and, like,
  everyone" is a filler; "stuff like that" and "I like it" are not). ``blockers`` are
  previous words that make it literal ("I like", "do you know", "as you know").
- ``sentence_start``: counted as the first word of a sentence ("So we ..."), unless the
  next word is in ``followers`` ("So much ...").
- ``sentence_start_break``: first word of a sentence AND followed by a break ("Well, ...").
- ``sentence_end``: last word of a sentence ("..., quoi.") unless the previous word is in
  ``blockers``.
- ``not_after_determiner``: counted unless the previous word is a determiner ("kind of
  late" counts, "what kind of car" does not).

Lists are a starting point (English is the most complete); every word is normalised with
:func:`vidlens.engines.delivery.tokens.normalise_word` (so "peut-être" is "peutêtre").
"""

from __future__ import annotations

from dataclasses import dataclass

from vidlens.engines.delivery.tokens import normalise_word


@dataclass(frozen=True, slots=True)
class Entry:
    """One phrase to look for."""

    words: tuple[str, ...]
    kind: str
    rule: str
    blockers: frozenset[str] = frozenset()
    followers: frozenset[str] = frozenset()
    end_ok: bool = True
    """For ``break``: whether a sentence end right after it counts as the break."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    fillers: tuple[Entry, ...]
    hedges: tuple[Entry, ...]
    editing_terms: tuple[tuple[str, ...], ...]
    hesitations: frozenset[str]
    """Single-word hesitation sounds (skipped when looking for repetitions)."""


def _e(
    phrase: str,
    rule: str = "always",
    *,
    kind: str | None = None,
    blockers: str = "",
    followers: str = "",
    end_ok: bool = True,
) -> list[Entry]:
    """Entries for ``phrase`` and its ``|``-separated spellings, all of kind ``kind``."""
    spellings = phrase.split("|")
    canonical = kind or spellings[0]
    return [
        Entry(
            words=tuple(normalise_word(w) for w in spelling.split()),
            kind=canonical,
            rule=rule,
            blockers=frozenset(normalise_word(w) for w in blockers.split()),
            followers=frozenset(normalise_word(w) for w in followers.split()),
            end_ok=end_ok,
        )
        for spelling in spellings
    ]


def _entries(*groups: list[Entry]) -> tuple[Entry, ...]:
    flat = [entry for group in groups for entry in group]
    return tuple(sorted(flat, key=lambda e: -len(e.words)))  # longest phrase first


_DETERMINERS = (
    "a an the this that these those what which whatever any some every each no one same "
    "other another different all right wrong first new my your his her our their its"
)
_LIKE_BLOCKERS = (
    "i you we they he she it would i'd you'd we'd they'd don't didn't doesn't do does did "
    "to feel feels felt feeling look looks looked looking seem seems seemed sound sounds "
    "sounded something anything nothing more less much not was is it's that's 's are were "
    "am i'm you're we're they're be been being things stuff people ones just exactly "
    "really would've"
)

ENGLISH = Lexicon(
    language="en",
    fillers=_entries(
        _e("um|umm|ummm|uhm|erm|mmm"),
        _e("uh|uhh|uhhh"),
        _e("er|err"),
        _e("ah|ahh|aah"),
        _e("hmm|hm|hmmm"),
        _e("basically"),
        _e("actually"),
        _e("literally"),
        _e("you know what i mean"),
        _e("like", "break", blockers=_LIKE_BLOCKERS),
        _e(
            "you know|y'know",
            "break",
            blockers="do did does don't didn't doesn't if as would will can could should what how",
        ),
        _e("i mean", "break", blockers="what", end_ok=False),
        _e("sort of|sorta", "not_after_determiner", blockers=_DETERMINERS),
        _e("kind of|kinda", "not_after_determiner", blockers=_DETERMINERS),
        _e("so", "sentence_start", followers="much many far long"),
        _e("well", "sentence_start_break"),
    ),
    hedges=_entries(
        _e("i think"),
        _e("i guess"),
        _e("i suppose"),
        _e("i believe"),
        _e("i feel like"),
        _e("i'm not sure|not sure", kind="not sure"),
        _e("i would say|i'd say", kind="i would say"),
        _e("maybe"),
        _e("perhaps"),
        _e("probably"),
        _e("possibly"),
        _e("might"),
        _e("hopefully"),
        _e("somewhat"),
        _e("more or less"),
        _e("in a way"),
        _e("it seems|seems like", kind="it seems"),
        _e("a little bit|a bit|a little", kind="a bit"),
        _e("sort of|sorta", "not_after_determiner", blockers=_DETERMINERS),
        _e("kind of|kinda", "not_after_determiner", blockers=_DETERMINERS),
    ),
    editing_terms=(
        ("i", "mean"),
        ("i", "meant"),
        ("or", "rather"),
        ("rather",),
        ("sorry",),
        ("no", "wait"),
        ("wait",),
        ("no",),
        ("let", "me", "rephrase"),
        ("or", "i", "should", "say"),
        ("i", "should", "say"),
    ),
    hesitations=frozenset(
        {
            "um",
            "umm",
            "ummm",
            "uhm",
            "erm",
            "mmm",
            "uh",
            "uhh",
            "uhhh",
            "er",
            "err",
            "ah",
            "ahh",
            "aah",
            "hmm",
            "hm",
            "hmmm",
        }
    ),
)

FRENCH = Lexicon(
    language="fr",
    fillers=_entries(
        _e("euh|euuh|heu|hum|hmm"),
        _e("ben|bah", kind="ben"),
        _e("en fait"),
        _e("du coup"),
        _e("voilà"),
        _e("genre", "break", blockers="le ce un mon ton son quel"),
        _e("tu vois|vous voyez", "break", kind="tu vois"),
        _e("tu sais|vous savez", "break", kind="tu sais"),
        _e("je veux dire", "break", end_ok=False),
        _e("enfin", "break"),
        _e("bon", "sentence_start"),
        _e("alors", "sentence_start_break"),
        _e("quoi", "sentence_end", blockers="est c'est de pour à sur avec sais"),
    ),
    hedges=_entries(
        _e("je pense"),
        _e("je crois"),
        _e("je suppose"),
        _e("il me semble"),
        _e("peut-être"),
        _e("probablement"),
        _e("un peu"),
        _e("en quelque sorte"),
        _e("plus ou moins"),
        _e("je ne sais pas|je sais pas", kind="je ne sais pas"),
    ),
    editing_terms=(
        ("je", "veux", "dire"),
        ("enfin",),
        ("pardon",),
        ("ou", "plutôt"),
        ("plutôt",),
        ("non",),
    ),
    hesitations=frozenset({"euh", "euuh", "heu", "hum", "hmm"}),
)

SPANISH = Lexicon(
    language="es",
    fillers=_entries(
        _e("eh|ehm|em|mm|mmm", kind="eh"),
        _e("o sea"),
        _e("en plan"),
        _e("digamos"),
        _e("básicamente"),
        _e("literalmente"),
        _e("este", "break", blockers="en de a por para con"),
        _e("tipo", "break", blockers="el un este ese qué que del"),
        _e("sabes", "break", blockers="no tú si ya lo"),
        _e("pues", "sentence_start"),
        _e("bueno", "sentence_start_break"),
    ),
    hedges=_entries(
        _e("creo que"),
        _e("pienso que"),
        _e("supongo"),
        _e("me parece"),
        _e("quizás|quizá|quizas", kind="quizás"),
        _e("tal vez"),
        _e("a lo mejor"),
        _e("probablemente"),
        _e("un poco"),
        _e("más o menos"),
        _e("no sé|no se", kind="no sé"),
    ),
    editing_terms=(
        ("quiero", "decir"),
        ("perdón",),
        ("mejor", "dicho"),
        ("o", "sea"),
        ("digo",),
        ("no",),
    ),
    hesitations=frozenset({"eh", "ehm", "em", "mm", "mmm"}),
)

GERMAN = Lexicon(
    language="de",
    fillers=_entries(
        _e("äh|ähm|öh|öhm|ähem|hm|hmm", kind="äh"),
        _e("sozusagen"),
        _e("quasi"),
        _e("halt"),
        _e("eigentlich"),
        _e("weißt du|wissen sie", "break", kind="weißt du"),
        _e("also", "sentence_start"),
        _e("naja|na ja", "sentence_start", kind="naja"),
        _e("ne|gell|oder", "sentence_end", kind="ne", blockers="entweder"),
    ),
    hedges=_entries(
        _e("ich glaube"),
        _e("ich denke"),
        _e("ich vermute"),
        _e("vielleicht"),
        _e("wahrscheinlich"),
        _e("eventuell"),
        _e("möglicherweise"),
        _e("irgendwie"),
        _e("ein bisschen|ein wenig", kind="ein bisschen"),
        _e("mehr oder weniger"),
        _e("ich weiß nicht", kind="ich weiß nicht"),
    ),
    editing_terms=(
        ("ich", "meine"),
        ("besser", "gesagt"),
        ("beziehungsweise",),
        ("pardon",),
        ("sorry",),
        ("nein",),
    ),
    hesitations=frozenset({"äh", "ähm", "öh", "öhm", "ähem", "hm", "hmm"}),
)

LEXICONS: dict[str, Lexicon] = {lex.language: lex for lex in (ENGLISH, FRENCH, SPANISH, GERMAN)}
"""The languages with lists; any other language falls back to English (with a note)."""
