"""Read a phrase: the signs it names, the signs it denies, and the words cart could not read.

The steps (docs/own-words.md explains them for people):

1. Fold the text for matching (``normalise.fold``) and split it into words and clauses.
2. Read each word by its stem (``lexicon.stem``); a word cart does not know that is one or two
   typing slips from a word it does ("siezure", "collasped") is read as that word, and the
   reading says so (``guesses``).
3. Find the concepts (``concepts.CONCEPTS``) whose patterns the words fit, clause by clause.
   A concept found inside a more urgent one is left out ("swollen" inside "swollen lips").
4. Negation and hedges (NegEx, Chapman 2001; ConText, Harkema 2009; docs/clinical-basis.md
   T25): a negative word before a sign in the same clause, not past "and", "but" and the like,
   denies it ("no fever"); a hedge ("maybe", "a bit", "?") keeps it. A concept that is a
   negative form itself ("can't wake him") always counts. Denied and hedged at once counts
   (the higher reading wins).
5. Every other word that is not a small word is "unread": cart shows it and may ask about it.

``read`` is a pure function of the text, cached, and costs well under a millisecond for a
short phrase once the patterns are built (on first use).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from cart_cli.language.concepts import (
    BY_NAME,
    CONCEPTS,
    NEAR_WINDOW,
    NOT_A_SIGN,
    Concept,
    concept_for_symptom,
)
from cart_cli.language.lexicon import (
    CLASSES,
    COMMON_WORDS,
    DENIAL_WORDS,
    HEDGE_WORDS,
    HEDGES_AFTER,
    NEGATION_REACH,
    NEUTRAL_WORDS,
    PSEUDO_NEGATION_NEXT,
    SCOPE_ENDS,
    SKIPPABLE,
    STOPWORDS,
    stem,
)
from cart_cli.language.normalise import CLAUSE_BREAKS, fold, tokens
from cart_cli.levels import Level

PRESENT, HEDGED, DENIED = "present", "hedged", "denied"

# Whole phrases read as other words before matching (abbreviations people type).
_REWRITES = (
    (re.compile(r"\bd\s*(?:&|and|\+|n)\s*v\b"), "diarrhoea and vomiting"),
    (re.compile(r"\bn\s*(?:&|and|\+)\s*v\b"), "nausea and vomiting"),
    (re.compile(r"\bshort of breathe?\b"), "short of breath"),
    (re.compile(r"\bs\.o\.b\b"), "sob"),
)
# Words after a sign that say it is not there now (ConText post-triggers), within two words.
_POST_DENIALS = frozenset({"normal", "fine", "ok", "okay", "gone", "settled", "resolved", "none", "nil"})


class Mention(NamedTuple):  # never replaced or compared with a tuple: cheaper to define
    """A concept found in the text: the words that matched (folded), and whether it counts.

    ``status`` is "present", "hedged" (counts: "maybe a temp") or "denied" (does not count:
    "no fever").
    """

    concept: Concept
    words: str
    status: str

    @property
    def counts(self) -> bool:
        return self.status != DENIED


class Reading(NamedTuple):  # never replaced or compared with a tuple: cheaper to define
    """How a phrase reads: its mentions (one per concept, most urgent first), the words cart
    could not read, and typing slips read as the word they are close to."""

    text: str
    mentions: tuple[Mention, ...]
    unread: tuple[str, ...]
    guesses: tuple[tuple[str, str], ...]

    @property
    def counted(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.counts)

    @property
    def denied(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if not m.counts)

    @property
    def level(self) -> Level:
        """The most urgent level the counted signs name, else AMBER: words are never lower."""
        levels = [m.concept.level for m in self.counted]
        return max(levels, key=lambda level: level.rank) if levels else Level.AMBER


# -- patterns ------------------------------------------------------------------------------


class _Element(NamedTuple):  # a NamedTuple: about a thousand are built at start-up
    stems: frozenset[str]
    optional: bool
    gap: int  # other words allowed before it


_Part = tuple[_Element, ...]


class _Pattern(NamedTuple):
    concept: Concept
    parts: tuple[_Part, ...]  # one part: a sequence; more: all within NEAR_WINDOW, any order
    anchors: tuple[frozenset[str], ...]  # each part's first required element, for a quick skip
    negative_form: bool


@cache
def _class_stems() -> dict[str, frozenset[str]]:
    return {name: frozenset(stem(fold(word)) for word in words) for name, words in CLASSES.items()}


def blocking_stems_of() -> frozenset[str]:
    """Words a pattern never skips over: a negation, and every thing and state word."""
    stems = {"not"}
    for name, found in _class_stems().items():
        if name not in {"neg", "one_side"}:
            stems |= found
    return frozenset(stems)


@cache
def _blocking_stems() -> frozenset[str]:
    """``blocking_stems_of``, read from ``patterns_data``."""
    from cart_cli.language.patterns_data import BLOCKING_STEMS

    return frozenset(BLOCKING_STEMS)


@cache
def _gap_stems() -> frozenset[str]:
    """Known words a pattern may still skip over ("hasn't had a wee", "can't get him to wake")."""
    return frozenset(
        stem(word) for word in ["had", "have", "has", "been", "done", "gone", "got", "get", "for", "time"]
    )


_PLAIN_WORD = re.compile(r"[a-z]+")


@cache
def _word_stems(raw: str) -> frozenset[str]:
    """The stems one pattern word stands for: ``a|b``, ``@class``, or a plain word."""
    stems: set[str] = set()
    for alternative in raw.split("|"):
        if alternative.startswith("@"):
            stems |= _class_stems()[alternative[1:]]
        else:
            stems.add(stem(alternative if _PLAIN_WORD.fullmatch(alternative) else fold(alternative)))
    return frozenset(stems)


def _compile_part(text: str) -> _Part:
    elements: list[_Element] = []
    gap = 0
    for raw in text.split():
        if raw.startswith("~"):
            gap = int(raw[1:])
            continue
        optional = raw.endswith("?")
        raw = raw.rstrip("?")
        if raw.startswith("@") or "|" in raw or _PLAIN_WORD.fullmatch(raw):
            words = [raw]
        else:  # a word of a vocabulary name with punctuation: "flu-like", "can't"
            words = [w for w in tokens(fold(raw)) if w not in CLAUSE_BREAKS]
        for number, word in enumerate(words):
            elements.append(_Element(_word_stems(word), optional, gap if number == 0 else 0))
        gap = 0
    return tuple(elements)


def _compile(concept: Concept, pattern: str) -> _Pattern:
    parts = [part for part in (_compile_part(text) for text in pattern.split(" + ")) if part]
    anchors = tuple(next(e.stems for e in part if not e.optional) for part in parts)
    return _Pattern(concept, tuple(parts), anchors, "@neg" in pattern)


def compile_patterns() -> tuple[_Pattern, ...]:
    """Every pattern of every concept, and every vocabulary name and alias as a pattern of
    the concept that equals its symptom, compiled from the tables (``concepts``, ``lexicon``,
    ``symptoms``). ``_patterns`` reads the same from ``patterns_data`` instead."""
    from cart_cli.symptoms import VOCABULARY

    compiled = [_compile(concept, pattern) for concept in CONCEPTS for pattern in concept.patterns]
    by_symptom = concept_for_symptom()
    for symptom in VOCABULARY:
        concept = by_symptom[symptom.name]
        for word in (symptom.name, *symptom.aliases):
            compiled.append(_compile(concept, word))
    return tuple(compiled)


def patterns_data(patterns: tuple[_Pattern, ...]) -> dict[str, object]:
    """``patterns`` as plain literals (``patterns_data.py``), each thing once: the distinct stem
    sets (sorted), elements (stem set number, optional, gap) and parts (element numbers), and
    each pattern as (its concept: a number in ``CONCEPTS`` or a vocabulary symptom's name, its
    part numbers, whether it is a negative form)."""
    numbers = {id(concept): number for number, concept in enumerate(CONCEPTS)}
    stem_sets: dict[frozenset[str], int] = {}
    elements: dict[tuple[int, bool, int], int] = {}
    parts: dict[tuple[int, ...], int] = {}
    rows: list[object] = []
    for pattern in patterns:
        concept: int | str | None = numbers.get(id(pattern.concept), pattern.concept.symptom)
        part_numbers = []
        for part in pattern.parts:
            keys = [(stem_sets.setdefault(e.stems, len(stem_sets)), e.optional, e.gap) for e in part]
            element_numbers = tuple(elements.setdefault(key, len(elements)) for key in keys)
            part_numbers.append(parts.setdefault(element_numbers, len(parts)))
        rows.append((concept, tuple(part_numbers), pattern.negative_form))
    return {
        "STEM_SETS": tuple(tuple(sorted(stems)) for stems in stem_sets),
        "ELEMENTS": tuple(elements),
        "PARTS": tuple(parts),
        "PATTERNS": tuple(rows),
        "INDEX": pattern_index_of(patterns),
        "KNOWN_STEMS": tuple(sorted(known_stems_of(patterns))),
        "BLOCKING_STEMS": tuple(sorted(blocking_stems_of())),
    }


class _StoredPatterns:
    """``compile_patterns``, read from ``patterns_data`` (literals loaded with the module's
    bytecode: compiling a thousand patterns took about 9 ms of the first phrase read). A
    pattern is built the first time a phrase's words can start it (a phrase meets a few
    hundred of the thousand), each stem set, element and part once. tests/test_language.py
    checks that every one of them is what the tables compile to."""

    def __init__(self) -> None:
        from cart_cli.language.patterns_data import ELEMENTS, PARTS, PATTERNS, STEM_SETS

        self._tables = (STEM_SETS, ELEMENTS, PARTS, PATTERNS)
        self._stem_sets: dict[int, frozenset[str]] = {}
        self._elements: dict[int, _Element] = {}
        self._parts: dict[int, tuple[_Part, frozenset[str]]] = {}
        self._built: list[_Pattern | None] = [None] * len(PATTERNS)

    def __len__(self) -> int:
        return len(self._built)

    def __iter__(self) -> Iterator[_Pattern]:
        return (self[number] for number in range(len(self._built)))

    def __getitem__(self, number: int) -> _Pattern:
        pattern = self._built[number]
        if pattern is None:
            concept, numbers, negative_form = self._tables[3][number]
            parts = [self._part(part) for part in numbers]
            pattern = self._built[number] = _Pattern(
                CONCEPTS[concept] if isinstance(concept, int) else concept_for_symptom()[concept],
                tuple(part for part, _ in parts),
                tuple(anchor for _, anchor in parts),
                negative_form,
            )
        return pattern

    def _part(self, number: int) -> tuple[_Part, frozenset[str]]:
        """A part (its elements) and its anchor (the stems of its first required element)."""
        made = self._parts.get(number)
        if made is None:
            part = tuple(self._element(element) for element in self._tables[2][number])
            made = self._parts[number] = (part, next(e.stems for e in part if not e.optional))
        return made

    def _element(self, number: int) -> _Element:
        element = self._elements.get(number)
        if element is None:
            stems, optional, gap = self._tables[1][number]
            stem_set = self._stem_sets.get(stems)
            if stem_set is None:
                stem_set = self._stem_sets[stems] = frozenset(self._tables[0][stems])
            element = self._elements[number] = _Element(stem_set, optional, gap)
        return element


@cache
def _patterns() -> _StoredPatterns:
    return _StoredPatterns()


@cache
def _pattern_index() -> dict[str, tuple[int, ...]]:
    """``pattern_index_of`` the patterns, read from ``patterns_data``."""
    from cart_cli.language.patterns_data import INDEX

    return INDEX


def pattern_index_of(patterns: tuple[_Pattern, ...]) -> dict[str, tuple[int, ...]]:
    """Each stem, and the patterns (by number) whose first part begins with it: a phrase is
    matched only against the patterns its own words can start."""
    index: dict[str, list[int]] = {}
    for number, pattern in enumerate(patterns):
        for word_stem in pattern.anchors[0]:
            index.setdefault(word_stem, []).append(number)
    return {word_stem: tuple(numbers) for word_stem, numbers in index.items()}


@cache
def known_stems() -> frozenset[str]:
    """``known_stems_of`` the patterns, read from ``patterns_data``."""
    from cart_cli.language.patterns_data import KNOWN_STEMS

    return frozenset(KNOWN_STEMS)


def known_stems_of(patterns: tuple[_Pattern, ...]) -> frozenset[str]:
    """Every stem a pattern names, for spelling tolerance and for telling read from unread."""
    found: set[str] = set()
    for pattern in patterns:
        for part in pattern.parts:
            for element in part:
                found |= element.stems
    return frozenset(found)


# -- spelling tolerance: one or two slips, by a deletion index (SymSpell) -------------------

FUZZY_MIN_CHARS = 5  # shorter words are too easily confused with each other


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _fuzzy_index() -> dict[str, frozenset[str]]:
    """Each known word (as typed in the patterns and word classes), and each form of it with
    one letter removed, mapped to the known words it comes from."""
    from cart_cli.symptoms import VOCABULARY

    words: set[str] = set()
    for concept in CONCEPTS:
        for pattern in concept.patterns:
            words |= set(re.findall(r"[a-z]+", pattern))
    for class_words in CLASSES.values():
        words |= set(class_words)
    for symptom in VOCABULARY:
        for alias in (symptom.name, *symptom.aliases):
            words |= set(re.findall(r"[a-z]+", alias))
    index: dict[str, set[str]] = {}
    for word in words:
        if len(word) < FUZZY_MIN_CHARS - 1:
            continue
        for key in {word, *_deletes(word)}:
            index.setdefault(key, set()).add(word)
    return {key: frozenset(found) for key, found in index.items()}


def _close_word(word: str) -> str | None:
    """The known word ``word`` is one slip from (a letter missing, added, changed, or two
    swapped), when exactly one is; else None."""
    index = _fuzzy_index()
    found: set[str] = set()
    for key in {word, *_deletes(word)}:
        found |= index.get(key, frozenset())
    found = {candidate for candidate in found if _one_slip(word, candidate)}
    stems = {stem(candidate) for candidate in found}
    if len(stems) != 1:
        return None
    return min(found, key=len)


def _one_slip(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(long) - len(short) == 1 and short in _deletes(long)


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Token:
    """One word of the text: as typed (folded), its stem, and the clause it is in."""

    text: str  # folded, as in the text
    stem: str
    clause: int


def _tokens(folded: str) -> tuple[list[_Token], list[tuple[str, str]], set[int]]:
    """The words with their stems and clause numbers, the typing slips read, and the
    clauses that end with a question mark (a hedge)."""
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    found: list[_Token] = []
    guesses: list[tuple[str, str]] = []
    questions: set[int] = set()
    clause = 0
    known = known_stems()
    for word in tokens(folded):
        if word in CLAUSE_BREAKS:
            if word == "?":
                questions.add(clause)
            if found and found[-1].clause == clause:
                clause += 1
            continue
        stemmed = stem(word)
        plain = word.replace("'", "")
        if (
            stemmed not in known
            and plain not in STOPWORDS
            and plain not in COMMON_WORDS
            and len(plain) >= FUZZY_MIN_CHARS
            and plain.isalpha()
        ):
            close = _close_word(plain)
            if close is not None:
                guesses.append((word, close))
                stemmed = stem(close)
        found.append(_Token(word, stemmed, clause))
    return found, guesses, questions


def _match_part(part: _Part, words: list[_Token], start: int) -> list[int] | None:
    """Positions of a sequence starting at ``start`` (its first element there), else None."""
    positions: list[int] = []
    index = start
    for number, element in enumerate(part):
        if number == 0:
            if words[index].stem not in element.stems:
                if element.optional:
                    continue
                return None
            positions.append(index)
            index += 1
            continue
        others = 0
        probe = index
        hit = None
        while probe < len(words):
            token = words[probe]
            if token.stem in element.stems:
                hit = probe
                break
            if token.text.replace("'", "") in SKIPPABLE:
                probe += 1
                continue
            if token.stem in _blocking_stems() or (
                token.stem in known_stems() and token.stem not in _gap_stems()
            ):
                break  # "no trouble waking him" is not "not waking", "no blood in poo" not "no poo"
            others += 1
            if others > element.gap:
                break
            probe += 1
        if hit is None:
            if element.optional:
                continue
            return None
        positions.append(hit)
        index = hit + 1
    return positions or None


def _match(pattern: _Pattern, words: list[_Token]) -> list[int] | None:
    """The positions of one match of ``pattern`` in one clause's words, else None."""
    spans: list[list[list[int]]] = []
    for part in pattern.parts:
        first = part[0]
        starts = [i for i, w in enumerate(words) if first.optional or w.stem in first.stems]
        found = [m for start in starts if (m := _match_part(part, words, start)) is not None]
        if not found:
            return None
        spans.append(found)
    if len(spans) == 1:
        return spans[0][0]
    # every part once, at distinct positions, all within the window
    best: list[int] | None = None

    def combine(index: int, chosen: list[int]) -> None:
        nonlocal best
        if best is not None:
            return
        if index == len(spans):
            if max(chosen) - min(chosen) <= NEAR_WINDOW:
                best = sorted(chosen)
            return
        for span in spans[index]:
            if not set(span) & set(chosen):
                combine(index + 1, chosen + span)

    combine(0, [])
    return best


def _negated(words: list[_Token], first: int, consumed: set[int], used: set[int]) -> bool:
    """Is there a denial before position ``first`` in its clause, within reach? A denial
    reaches past another sign only through "or" / "nor" ("no fever or cough")."""
    joined = False
    for back in range(first - 1, max(first - 1 - NEGATION_REACH, -1), -1):
        token = words[back]
        plain = token.text.replace("'", "")
        if plain in SCOPE_ENDS:
            return False
        if plain in {"or", "nor"}:
            joined = True
        if back in consumed:
            continue
        if back in used and not joined:
            return False
        if token.stem == "not" or token.text in DENIAL_WORDS:
            following = words[back + 1].stem if back + 1 < len(words) else ""
            if following in _pseudo_negation_next() or (
                token.text == "without" and following in {"get", "be", "feel"}
            ):
                continue
            return True
    return False


def _denied_inside(words: list[_Token], positions: list[int], consumed: set[int]) -> bool:
    """A denial between the words of a sign ("lips not blue", "light doesn't hurt his eyes")."""
    for inside in range(min(positions) + 1, max(positions)):
        token = words[inside]
        if inside in positions or inside in consumed:
            continue
        if token.stem == "not" or token.text in DENIAL_WORDS:
            following = words[inside + 1].stem if inside + 1 < len(words) else ""
            if inside + 1 in positions or following not in _pseudo_negation_next():
                return True
    return False


def _post_denied(words: list[_Token], last: int) -> bool:
    for forward in range(last + 1, min(last + 3, len(words))):
        if words[forward].text.replace("'", "") in SCOPE_ENDS:
            return False
        if words[forward].text in _POST_DENIALS:
            # "fever gone", "temp normal now"; not "handwriting gone odd"
            after = words[forward + 1].text if forward + 1 < len(words) else ""
            return after in {"", "now", "away", "again", "completely", "today"}
    return False


@cache
def _pseudo_negation_next() -> frozenset[str]:
    return frozenset(stem(word) for word in PSEUDO_NEGATION_NEXT)


HEDGE_REACH = 3  # a hedge word this close before a sign (or two after) hedges it


def _hedged(words: list[_Token], first: int, last: int, clause_has_question: bool) -> bool:
    """A hedge word just before the sign, "maybe" and the like just after it, or a question."""
    if clause_has_question:
        return True
    before = range(max(first - HEDGE_REACH, 0), first)
    after = range(last + 1, min(last + 3, len(words)))
    return any(words[i].text.replace("'", "") in HEDGE_WORDS for i in before) or any(
        words[i].text.replace("'", "") in HEDGES_AFTER for i in after
    )


@lru_cache(maxsize=4096)
def read(text: str) -> Reading:
    """Read ``text`` (as typed): see the module docstring. Never raises."""
    words, guesses, questions = _tokens(fold(text))
    clauses: dict[int, list[_Token]] = {}
    for token in words:
        clauses.setdefault(token.clause, []).append(token)
    found: list[tuple[Concept, list[int], int, bool]] = []  # concept, positions, clause, negative form
    patterns, index = _patterns(), _pattern_index()
    for clause, clause_words in clauses.items():
        present = {w.stem for w in clause_words}
        candidates: set[int] = set()
        for word_stem in present:
            candidates.update(index.get(word_stem, ()))
        for number in sorted(candidates):  # in the table's order: it breaks ties between concepts
            pattern = patterns[number]
            if not all(anchor & present for anchor in pattern.anchors):
                continue
            positions = _match(pattern, clause_words)
            if positions is not None:
                found.append((pattern.concept, positions, clause, pattern.negative_form))
    # A concept inside a more urgent (or as urgent, earlier) one is left out, and so is one
    # inside an everyday phrase that only looks like a sign ("fit and well", "a hot bath").
    everyday = [
        (set(positions), clause) for concept, positions, clause, _ in found if concept.name == NOT_A_SIGN
    ]
    found = [
        item
        for item in found
        if item[0].name != NOT_A_SIGN
        and not any(set(item[1]) <= span and item[2] == c for span, c in everyday)
    ]
    kept: list[tuple[Concept, list[int], int, bool]] = []
    for number, (concept, positions, clause, negative) in enumerate(found):
        span = set(positions)
        inside = False
        for other_number, (other, other_positions, other_clause, _) in enumerate(found):
            if other_clause != clause:
                continue
            other_span = set(other_positions)
            more_urgent = other is concept or other.level.rank >= concept.level.rank
            if span <= other_span and more_urgent and (span < other_span or other_number < number):
                inside = True
                break
        if not inside:
            kept.append((concept, positions, clause, negative))
    consumed_by_clause: dict[int, set[int]] = {}
    used_by_clause: dict[int, set[int]] = {}
    for span, clause in everyday:  # read, as naming no sign
        used_by_clause.setdefault(clause, set()).update(span)
    for _concept, positions, clause, negative in kept:
        used_by_clause.setdefault(clause, set()).update(positions)
        if negative:
            consumed_by_clause.setdefault(clause, set()).update(positions)
    statuses: dict[str, tuple[Concept, str, str, tuple[int, int]]] = {}
    rank = {DENIED: 0, HEDGED: 1, PRESENT: 2}
    for concept, positions, clause, negative in kept:
        clause_words = clauses[clause]
        hedged = _hedged(clause_words, min(positions), max(positions), clause in questions)
        others = used_by_clause.get(clause, set()) - set(positions)
        denied = not negative and (
            _negated(clause_words, min(positions), consumed_by_clause.get(clause, set()), others)
            or _denied_inside(clause_words, positions, consumed_by_clause.get(clause, set()))
            or _post_denied(clause_words, max(positions))
        )
        status = HEDGED if hedged else (DENIED if denied else PRESENT)
        matched = " ".join(clause_words[p].text for p in sorted(positions))
        previous = statuses.get(concept.name)
        if previous is None or rank[status] > rank[previous[1]]:
            statuses[concept.name] = (concept, status, matched, (clause, min(positions)))
    # counted first, most urgent first, then in the order they were written
    ordered = sorted(statuses.values(), key=lambda s: (s[1] == DENIED, -s[0].level.rank, s[3]))
    mentions = [Mention(concept, matched, status) for concept, status, matched, _ in ordered]
    unread = []
    for clause, clause_words in clauses.items():
        used = used_by_clause.get(clause, set())
        for position, token in enumerate(clause_words):
            plain = token.text.replace("'", "")
            if position in used or plain in STOPWORDS or plain in SKIPPABLE or plain in NEUTRAL_WORDS:
                continue
            if token.stem == "not" or plain in HEDGE_WORDS or plain in DENIAL_WORDS or plain in SCOPE_ENDS:
                continue
            if plain in _POST_DENIALS or not plain.isalpha():
                continue
            unread.append(token.text)
    return Reading(text, tuple(mentions), tuple(dict.fromkeys(unread)), tuple(guesses))


def concept_named(name: str) -> Concept:
    """The concept with this name (KeyError if there is none)."""
    if name in BY_NAME:
        return BY_NAME[name]
    for concept in concept_for_symptom().values():
        if concept.name == name:
            return concept
    raise KeyError(name)
