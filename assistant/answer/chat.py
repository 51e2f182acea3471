"""Conversation: turn a follow-up ("and what did Putin say about it?") into a standalone
question before retrieval, so that the search sees what the user means.

Offline there is no model to rewrite the question, so the rule is transparent: a question that
leans on earlier turns (it opens with a connective such as "and" / "what about", or it refers
back with a pronoun and names little itself) is searched together with the user's previous
question(s). The UI shows the rewritten question, so the user can see what was searched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgumentError
from ..schema import Turn
from ..text import question_terms, sex_by_title, surname, untitled, words
from .question import PLACE_PREPOSITIONS, asks_for

_CONNECTIVE = re.compile(r"^\s*(and|but|also|so|then|what about|how about|and what|what else|why|how come)\b", re.I)
# "Why did he quit?" is a question of its own whose "he" is resolved (merged with the earlier
# turns, their words won and the reply was repeated); "Why did it fall?" is merged as before: "it"
# and "they" after a why are as often the earlier question's topic as any name nearby.
_WHY = re.compile(r"^\s*(why|how come)\b", re.I)
_REFERENCE = frozenset(["he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "there", "then"])
_PERSON = frozenset({"PERSON"})
_THING = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP", "GPE", "FAC"})
_PLACE = frozenset({"GPE", "LOC", "FAC"})
_DESCRIBING = frozenset({"GPE", "LOC", "NORP", "ORG"})  # names that describe a thing ("a New York studio", "the EU treaty")


@dataclass(frozen=True, slots=True)
class Reference:
    """A word of the question that points outside it, and the kind of thing it points at."""

    start: int  # character offsets in the question
    end: int
    text: str
    kinds: frozenset[str]
    possessive: bool


def references(question: str, nlp: Callable[[str], Any] | None) -> list[Reference] | None:
    """The pronouns of a question that need an earlier turn, or None without a parser.

    "Summarize what Putin said in his interview" names its own subject: "his" is Putin.
    "What did Zelensky ask him for?" does not: "him" is never the subject of its own clause.
    So: subject and object pronouns always point back; possessives and "that deal" only when
    the question names nobody before them; "there" only when it names no place (and is not
    the "there" of "is there"). "That deal" is a thing of its own, not a name ("When was that
    deal signed?" is not "When was Glazer signed?"): it is never replaced, and the question is
    searched with the earlier one."""
    if nlp is None:
        return None
    doc = nlp(question)
    out: list[Reference] = []
    for t in doc:
        w = t.lower_
        # A nationality or a number describes; it does not name ("Which Argentine rapper is doing well
        # on that site?" still points back).
        named_before = any(e.end <= t.i and e.label_ in _NAMING for e in doc.ents) or any(
            x.pos_ == "PROPN" and x.ent_type_ not in _NOT_NAMING for x in doc[: t.i] if x.i > 0)
        if w in ("he", "him", "she") or (w == "her" and t.dep_ != "poss"):
            out.append(Reference(t.idx, t.idx + len(t), t.text, _PERSON, False))
        elif w in ("they", "them"):
            out.append(Reference(t.idx, t.idx + len(t), t.text, _PERSON | _THING, False))
        elif w in ("his", "her", "its", "their") and not named_before:
            kinds = _PERSON if w in ("his", "her") else _PERSON | _THING if w == "their" else _THING
            out.append(Reference(t.idx, t.idx + len(t), t.text, kinds, True))
        elif w == "it" and t.dep_ not in ("expl",):
            out.append(Reference(t.idx, t.idx + len(t), t.text, _THING, False))
        elif w == "there" and t.dep_ != "expl" and not any(e.label_ in _PLACE for e in doc.ents):
            out.append(Reference(t.idx, t.idx + len(t), t.text, _PLACE, False))
        elif w in ("that", "this", "these", "those") and t.dep_ == "det" and not named_before:
            head = t.head
            out.append(Reference(t.idx, head.idx + len(head), question[t.idx : head.idx + len(head)], frozenset(), False))
        elif w in ("that", "this") and t.tag_ == "DT" and t.dep_ in _ARGUMENT:
            # "When did that happen?": an event, not a name; no name can stand in for it, so the
            # question is searched with the earlier one (an empty kind never resolves).
            out.append(Reference(t.idx, t.idx + len(t), t.text, frozenset(), False))
    return out


_ARGUMENT = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr"})
_NAMING = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
_NOT_NAMING = frozenset({"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})


def names_nothing(question: str, nlp: Callable[[str], Any]) -> bool:
    """No name, proper noun or number of its own: "How many job losses had been expected?"
    asked after a question about Oracle is about Oracle."""
    doc = nlp(question)
    return not doc.ents and not any(t.pos_ in ("PROPN", "NUM") for t in doc)


def is_follow_up(question: str, nlp: Callable[[str], Any] | None = None) -> bool:
    """Does the question lean on earlier turns? With a parser: it opens with a connective and
    says little itself, or it has a pronoun that points outside it (see `references`).
    Without one: the older rule, a pronoun in a question that names little."""
    if _CONNECTIVE.match(question) and len(question_terms(question)) <= 4:
        return True
    if nlp is not None:
        return bool(references(question, nlp)) or names_nothing(question, nlp)
    return bool(_REFERENCE.intersection(words(question))) and len(question_terms(question)) <= 3


def _antecedent(kinds: frozenset[str], turns: Sequence[Turn], nlp: Callable[[str], Any], *, plural: bool = False,
                sex: str | None = None, bodies: frozenset[str] = frozenset()) -> str:
    """The most salient name of the right kind in the latest turns: the user's previous
    question first (what the conversation is about), then the answer to it. "They" after a
    question that names two people ("What did Xi and Putin discuss?") is both of them. "She"
    is never a person the turns call "Mr" ("Mr Glazer"): with no one else to be, the question
    is searched with the earlier one instead. Nor is "he" one of the `bodies` (see `_bodies`) that
    only a reply names: a name the user asks about as a person is taken as one."""
    said = " ".join(t.content[:2000] for t in turns)
    docs = {id(t): nlp(t.content[:2000]) for t in turns}
    people_named = {e.text for d in docs.values() for e in d.ents if e.label_ == "PERSON"}
    # the people the user's question names only to set the scene, in a turn of either side
    scene = {surname(e.text) for t in turns if t.role == "user" for e in docs[id(t)].ents
             if e.label_ == "PERSON" and _in_a_side_clause(e)} if kinds == _PERSON else set()
    for turn in sorted(turns, key=lambda t: t.role != "user"):
        doc = docs[id(turn)]
        # The small model tags some towns as people ("a world record in Lievin"): see _in_place.
        found = [e for e in map(_before_a_verb, doc.ents) if e is not None and e.label_ in kinds and not (e.label_ == "PERSON" and _in_place(e))
                 and any(c.isupper() for c in e.text)  # a name ("eBay" too), not "km/h" or "five years"
                 # whose guitarist or boss the question asks about ("Korn's guitarist") is not who "he" is
                 and not (kinds == _PERSON and e.root.dep_ == "poss" and asks_for(e.root.head.text) == "person")
                 and not (kinds == _PERSON and turn.role != "user" and _POSSESSIVE.sub("", e.text) in bodies)
                 and not (sex and e.label_ == "PERSON" and _of_sex(e, said, people_named) not in (None, sex))
                 and not (kinds == _PERSON and e.label_ == "PERSON" and surname(e.text) in scene)]
        # "Andy" (a quote's) or "Vickery" is "Andy Robinson" or "Phil Vickery", named in full elsewhere
        # in the turn: the full name stands for both, and the short mention counts as one of it
        # ("… following Phil Vickery's broken arm. After the game, Vickery spoke …": the subject).
        full = {id(e): next((o.text for o in found if len(o) > 1 and e.text in o.text.split()), e.text) if len(e) == 1 else e.text
                for e in found}
        people = list(dict.fromkeys(full[id(e)] for e in found if e.label_ == "PERSON"))
        if plural and len(people) >= 2:
            return f"{people[0]} and {people[1]}"
        if found:
            # A name that is a clause's subject or object, named again (a reply to "Who is the home
            # secretary?" names the holder twice, anyone else in passing), of a specific kind (a
            # club rather than the country in "the US tycoon"), and earlier in the text, is the
            # salient one.
            best = min(found, key=lambda e: (-_mentions(e, doc), e.root.dep_ in ("compound", "amod", "poss"),
                                             _SALIENCE.get(e.label_, 9), e.start))
            return _POSSESSIVE.sub("", _described(best) if kinds == _THING else full[id(best)])
    return ""


def _in_a_side_clause(entity: Any) -> bool:
    """Is a name of the question in a clause that only sets the scene ("Who will run Nissan once
    Carlos Ghosn takes over at Renault?")? Then "he" in the next question is someone else: the
    person the reply gives ("Toshiyuki Shiga will run Nissan …, although Mr Ghosn …")."""
    return any(t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children) for t in entity.root.ancestors)


def _bodies(turns: Sequence[Turn], nlp: Callable[[str], Any]) -> frozenset[str]:
    """The names the conversation gives as a body or a place. The small model tags a band or a
    party as a person in one sentence and as what it is in another ("US rock band Korn" … "named
    by Korn"): such a name is not who "he" is."""
    return frozenset(_POSSESSIVE.sub("", e.text) for t in turns for e in nlp(t.content[:2000]).ents if e.label_ in _NOT_A_PERSON)


def _mentions(entity: Any, doc: Any) -> int:
    """How often a text names someone: by their last name ("Home Secretary David Blunkett" …
    "David Blunkett" … "Mr Blunkett")."""
    last = next((t.text for t in reversed(entity) if not _POSSESSIVE.fullmatch(t.text)), entity[-1].text)  # "Phil Vickery's"
    return sum(1 for t in doc if t.text == last)


_SEX = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def _before_a_verb(entity: Any) -> Any:
    """The small model runs some names on into a verb ("Wasps played Leicester" as one name): the
    name is the part before it (None when nothing is left)."""
    verb = next((t for t in entity if t.pos_ in ("VERB", "AUX") and t.is_lower), None)  # "Will Young", "Meet the Fockers" are names
    if verb is None:
        return entity
    if verb.i == entity.start:
        return None
    from spacy.tokens import Span  # only here: the parser that made `entity` has loaded spaCy

    return Span(entity.doc, entity.start, verb.i, label=entity.label_)


def _of_sex(person: Any, said: str, people: set[str]) -> str | None:
    """"m", "f" or None (unknown), from the title the conversation gives a person ("Mr Glazer",
    "Ms Essex"). A pronoun near a name is no cue ("Ozzy gave her the rings"), nor a title on a
    surname two people share ("Mr Williams" of Serena and her father)."""
    last = surname(person.text)
    if len({untitled(p)[0] for p in people if len(untitled(p)) > 1 and surname(p) == last}) > 1:  # Serena and Venus Williams
        return None
    return sex_by_title(said, last)


def _described(entity: Any) -> str:
    """A place, nationality or body that only describes a thing ("Which New York recording
    studio …?", "the new EU constitution treaty"): "it" is the studio, not New York, so it
    stands for the whole noun phrase ("the New York recording studio"). A person or a plural is
    never "it": a club that describes someone ("the Chelsea manager") or some things ("the
    Apple shares") is itself what "it" means."""
    head = entity.root.head
    if (entity.label_ not in _DESCRIBING or entity.root.dep_ not in ("compound", "amod") or head.tag_ != "NN"
            or asks_for(head.text) == "person"
            or _participle(head)):
        return entity.text
    chunk = next((c for c in entity.doc.noun_chunks if c.start <= entity.start and head.i < c.end), None)
    if chunk is None:
        return entity.text
    start = chunk.start + 1 if chunk[0].tag_ in ("WDT", "DT", "PRP$") else chunk.start  # "Which", "the", "its"
    return f"the {entity.doc[start : chunk.end].text}" if start < chunk.end else entity.text


def _participle(word: Any) -> bool:
    """"Which routes is British Airways dropping?": the small model tags the verb as a noun. A
    word in -ing that ends the question after "is" is the verb ("Which London building is the
    tallest?" and "Is the BBC funding enough?" keep their nouns)."""
    rest = [t for t in word.doc[word.i + 1 :] if not t.is_punct]
    return word.lower_.endswith("ing") and not rest and word.head.lemma_ == "be" and word.head.i < word.i


def _in_place(entity: Any) -> bool:
    """A one-word "person" after "in", "at" or "near" ("a world record in Lievin") is a town the
    small model mislabelled, and one after "over" or "against" ("Gloucester's win over Bath") a
    team; a full name there ("confidence in Boris Johnson") is a person."""
    return len(entity) == 1 and entity.root.dep_ == "pobj" and entity.root.head.lower_ in (*PLACE_PREPOSITIONS, *_OPPONENT)


_OPPONENT = ("over", "against", "versus", "vs", "v")



_POSSESSIVE = re.compile(r"\s*['’]s?$")  # the parser can take "Makarov's" in "Viktor Makarov's case" as the name


_NOT_A_PERSON = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC"})
_SALIENCE = {"PERSON": 0, "ORG": 0, "PRODUCT": 1, "WORK_OF_ART": 1, "EVENT": 1, "LAW": 1, "FAC": 2, "GPE": 3, "LOC": 3, "NORP": 4}


def standalone_question(question: str, history: Sequence[Turn], max_turns: int, nlp: Callable[[str], Any] | None = None) -> str:
    """The question to search for. With a parser, pronouns are replaced by the name they point
    at in the previous exchange ("How much did he pay?" → "How much did Malcolm Glazer pay?").
    What cannot be resolved that way (a connective question such as "And about Libya?", or a
    pronoun with no name of its kind nearby) is searched together with the user's earlier
    question(s), back to the first one that stands on its own."""
    question = question.strip()
    if not history or max_turns == 0 or not is_follow_up(question, nlp):
        return question
    refs = references(question, nlp) or []
    if nlp is not None and refs and (not _CONNECTIVE.match(question) or (_WHY.match(question) and all(r.kinds == _PERSON for r in refs))):
        resolved, offset, complete, used = question, 0, True, set()
        bodies = _bodies(history[-2 * max_turns :], nlp) if any(r.kinds == _PERSON for r in refs) else frozenset()
        turns = [t for t in history if t.content.strip()]
        # the previous exchange first; for "he" or "she", when it names no one, the one before it ("What's
        # his name?" answered without a name the model tags, then "How old is he?"), back to max_turns: a
        # conversation stays with its person ("it" that far back is as often something never named)
        exchanges = [turns[max(0, end - 2) : end] for end in range(len(turns), max(0, len(turns) - 2 * max_turns), -2)]
        for ref in refs:
            name = next((found for exchange in (exchanges if ref.kinds == _PERSON else exchanges[:1]) if (found := _antecedent(
                ref.kinds, exchange, nlp, plural=ref.text.lower() in ("they", "them", "their"), sex=_SEX.get(ref.text.lower()), bodies=bodies))), "")
            if not name:
                complete = False
                continue
            if name in used:
                continue  # "Where had she set her record?", "… after a friend betrayed him?": the one just named
            used.add(name)
            words_ = (f"{name}'" if name.endswith("s") else f"{name}'s") if ref.possessive else f"in {name}" if ref.kinds == _PLACE else name
            resolved = resolved[: ref.start + offset] + words_ + resolved[ref.end + offset :]
            offset += len(words_) - (ref.end - ref.start)
        if complete:
            return resolved
    earlier = [t.content.strip() for t in history if t.role == "user" and t.content.strip()][-max_turns:]
    context: list[str] = []
    for prev in reversed(earlier):
        context.insert(0, prev)
        if not is_follow_up(prev, nlp):
            break
    return " ".join([*context, question])


DECLINED = "The indexed articles do not say"  # how every abstention opens (answering.abstention_text)


@dataclass(frozen=True, slots=True)
class PreviousExchange:
    """The user's last question and the reply to it: what a follow-up's conversation article
    is searched by (see Assistant._in_conversation)."""

    question: str
    reply: str  # "" when the history holds no reply to it


_MARKERS = re.compile(r"\s*\[\d+\]")
_EXCHANGE_CHARS = 1000  # each side: an answer's first sentences say which article it quotes


def previous_exchange(history: Sequence[Turn]) -> PreviousExchange | None:
    """The last question and its reply, each cut to its first 1,000 characters. None when there
    is no earlier question, or when the reply declined to answer it: a question the articles do
    not answer found no article for the conversation to be about."""
    turns = [t for t in history if t.content.strip()]
    asked = max((i for i, t in enumerate(turns) if t.role == "user"), default=None)
    if asked is None:
        return None
    replies = [t.content.strip() for t in turns[asked + 1 :] if t.role == "assistant"]
    if any(r.startswith(DECLINED) for r in replies):
        return None
    reply = _MARKERS.sub("", " ".join(replies))  # "[1]" is ours, not the article's
    return PreviousExchange(turns[asked].content.strip()[:_EXCHANGE_CHARS], " ".join(reply.split())[:_EXCHANGE_CHARS])


def as_turns(history: Sequence[object] | None) -> list[Turn]:
    """Accept Turn objects, {"role", "content"} dicts (OpenAI/Gradio messages) or
    (user, assistant) pairs, so every caller can pass what it naturally has."""
    turns: list[Turn] = []
    for item in history or []:
        if isinstance(item, Turn):
            turns.append(Turn(item.role, _text(item.content)))
        elif isinstance(item, dict) and item.get("role") in ("user", "assistant"):
            content = item.get("content")
            if isinstance(content, list):  # Gradio multimodal messages
                content = " ".join(str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content)
            turns.append(Turn(role=item["role"], content=_text(content)))
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            user, bot = item
            if user:
                turns.append(Turn("user", _text(user)))
            if bot:
                turns.append(Turn("assistant", _text(bot)))
        else:
            raise InvalidArgumentError(f"history items must be Turn, {{'role', 'content'}} dicts or (user, assistant) pairs, not {type(item).__name__}")
    return turns


def _text(content: object) -> str:
    """A turn's text as the parser and the model can read it: a lone surrogate (valid in JSON,
    "\\ud800") is not a character, and becomes "?"."""
    return str(content or "").encode("utf-8", "replace").decode("utf-8")
