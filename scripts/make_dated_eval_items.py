"""Build the dated (Wikinews) items of evals/questions.jsonl from a compact list, with the gold
paragraph looked up in the parsed article and the quote copied verbatim from it (the first
words of the named paragraph), so gold numbers cannot drift from the corpus. Re-run after
editing ITEMS: `python scripts/make_dated_eval_items.py` rewrites the `wn-*` lines only.

The expected article is chosen by reading the corpus and the dates, not by running the
assistant: e.g. "latest on X as of D" is the newest article about X dated on or before D.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.ingest.parsing import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "evals" / "corpora" / "wikinews-2019-2020" / "articles"
SET = ROOT / "evals" / "questions.jsonl"

# (id, split, tags, question, [(doc_id, paragraph)], extra fields)
ITEMS: list[tuple[str, str, list[str], str, list[tuple[str, int]], dict[str, object]]] = [
    ("wn-001", "dev", ["latest"], "What is the latest news about COVID-19?",
     [("2020-12-26_chilean-authorities-report-first-covid-19-outbreak-in-antarctica", 2)], {}),
    ("wn-002", "test", ["latest"], "What is the latest on the Trump impeachment?",
     [("2020-01-15_u-s-house-to-decide-on-submitting-articles-of-impeachment-to-senate", 2)], {"as_of": "2020-01-31"}),
    ("wn-003", "test", ["latest"], "What is the latest on the Hong Kong protests?",
     [("2019-09-06_hong-kong-leader-announces-withdrawal-of-extradition-bill", 2)], {"as_of": "2019-09-30"}),
    ("wn-004", "dev", ["latest"], "What is the latest news about the protests in Hong Kong?",
     [("2019-08-19_hong-kong-protests-continue-through-police-opposition-rainstorms", 2)], {"as_of": "2019-08-31"}),
    ("wn-005", "test", ["latest"], "What is the most recent news about Brexit?",
     [("2019-09-24_uk-supreme-court-rules-prorogation-of-parliament-unlawful", 2)], {"as_of": "2019-09-30"}),
    ("wn-006", "dev", ["latest"], "What is the latest on the impeachment inquiry into President Trump?",
     [("2019-11-01_u-s-house-formalizes-rules-for-trump-impeachment-proceedings", 2)], {"as_of": "2019-11-15"}),
    ("wn-007", "test", ["latest"], "What is the latest news about Bernie Sanders?",
     [("2020-04-15_bernie-sanders-endorses-joe-biden-in-2020-united-states-presidential-e", 2)], {"as_of": "2020-04-15"}),
    ("wn-008", "dev", ["latest"], "Who has most recently tested positive for COVID-19?",
     [("2020-12-21_prime-minister-of-slovakia-igor-matovic-tests-positive-for-covid-19", 2)], {}),
    ("wn-009", "test", ["this-week"], "What did President Trump declare this week?",
     [("2020-03-16_us-president-trump-declares-covid-19-national-emergency", 2)], {"as_of": "2020-03-20"}),
    ("wn-010", "dev", ["this-week"], "Which sports league suspended its season this week?",
     [("2020-03-13_national-basketball-association-suspends-season-due-to-covid-19-concer", 2)], {"as_of": "2020-03-15"}),
    ("wn-011", "test", ["this-week"], "What did the World Health Organization declare this week?",
     [("2020-03-14_world-health-organization-declares-covid-19-pandemic", 2)], {"as_of": "2020-03-18"}),
    ("wn-012", "dev", ["this-week"], "Who tested positive for the coronavirus this week?",
     [("2020-10-03_us-president-donald-trump-tests-positive-for-covid-19", 2)], {"as_of": "2020-10-06"}),
    ("wn-013", "test", ["in-month"], "What did the House of Representatives do to President Trump in December 2019?",
     [("2019-12-21_us-house-of-representatives-impeaches-president-trump", 2)], {}),
    ("wn-014", "dev", ["in-month"], "What happened with the Hong Kong protests in October 2019?",
     [("2019-10-02_police-shoot-teenage-protester-as-hong-kong-demonstrations-continue", 2),
      ("2019-10-16_hong-kong-s-carrie-lam-delivers-speech-on-video-after-protests-in-legi", 2)], {}),
    ("wn-015", "test", ["in-month"], "What happened with Brexit and Parliament in August 2019?",
     [("2019-08-29_queen-elizabeth-agrees-to-suspend-uk-parliament-ahead-of-brexit-deadli", 2)], {}),
    ("wn-016", "test", ["in-month"], "Which primary did Joe Biden win in March?",
     [("2020-03-02_joe-biden-wins-2020-south-carolina-us-democratic-presidential-primary", 2),
      ("2020-03-11_joe-biden-wins-2020-us-democratic-presidential-primaries-in-michigan-m", 2)], {"as_of": "2020-04-30"}),
    ("wn-017", "dev", ["in-month"], "What did Bernie Sanders win in February 2020?",
     [("2020-02-23_bernie-sanders-wins-2020-nevada-caucuses", 2),
      ("2020-02-14_2020-united-states-presidential-election-trump-sanders-win-new-hampshi", 2)], {}),
    ("wn-018", "dev", ["in-year"], "Which party won the UK general election in 2019?",
     [("2019-12-16_conservative-party-wins-majority-in-2019-uk-general-election", 2)], {}),
    ("wn-019", "test", ["in-year"], "Which party formed a minority government after the 2019 Canadian election?",
     [("2019-10-23_canada-2019-general-election-produces-liberal-minority-government", 2)], {}),
    ("wn-020", "test", ["in-year"], "What did Iran admit in 2020?",
     [("2020-01-13_iran-admits-downing-ukrainian-jet-cites-human-error", 2)], {}),
    ("wn-021", "test", ["date-filter"], "What happened in Hong Kong?",
     [("2019-10-02_police-shoot-teenage-protester-as-hong-kong-demonstrations-continue", 2),
      ("2019-10-16_hong-kong-s-carrie-lam-delivers-speech-on-video-after-protests-in-legi", 2)],
     {"since": "2019-10-01", "until": "2019-10-31"}),
    ("wn-022", "dev", ["date-filter"], "What did President Trump announce?",
     [("2019-10-08_us-president-trump-announces-troop-withdrawal-from-syria", 2)], {"since": "2019-10-01", "until": "2019-10-09"}),
    ("wn-023", "test", ["date-filter"], "Where did a fire kill people?",
     [("2019-09-04_dozens-dead-in-california-boat-fire", 2)], {"since": "2019-09-01", "until": "2019-09-30"}),
    ("wn-024", "dev", ["date-filter"], "Where did a fire break out?",
     [("2020-01-10_fire-erupts-in-parking-structure-at-sola-airport-norway", 2)], {"since": "2020-01-01", "until": "2020-01-31"}),
    ("wn-025", "test", ["date-filter"], "Who endorsed Joe Biden?",
     [("2020-04-16_elizabeth-warren-endorses-joe-biden-in-2020-us-presidential-election", 2)], {"since": "2020-04-16", "until": "2020-04-30"}),
    ("wn-026", "test", ["timeline"], "Timeline of the Hong Kong protests",
     [("2019-06-23_hong-kong-protesters-surround-downtown-police-complex", 2)], {}),
    ("wn-027", "dev", ["timeline"], "How did the impeachment of President Trump develop?",
     [("2019-09-25_us-speaker-pelosi-announces-trump-impeachment-investigation", 2)], {}),
    ("wn-028", "test", ["timeline"], "How did the Bernie Sanders campaign develop over time?",
     [("2020-02-14_2020-united-states-presidential-election-trump-sanders-win-new-hampshi", 2)], {}),
]


# Reference answers: the fact a correct answer names.
ANSWERS = {
    "wn-001": ["Antarctica"], "wn-002": ["articles of impeachment"], "wn-003": ["extradition bill"], "wn-004": ["protest"],
    "wn-005": ["Supreme Court", "prorogation"], "wn-006": ["impeachment"], "wn-007": ["Biden"], "wn-008": ["Matovič", "Matovic"],
    "wn-009": ["national emergency"], "wn-010": ["National Basketball Association", "NBA"], "wn-011": ["pandemic"],
    "wn-012": ["Trump"], "wn-013": ["impeach"], "wn-014": ["protest"], "wn-015": ["Parliament"], "wn-016": ["South Carolina", "Michigan"],
    "wn-017": ["Nevada", "New Hampshire"], "wn-018": ["Conservative"], "wn-019": ["Liberal"], "wn-020": ["Ukrainian"],
    "wn-021": ["protest"], "wn-022": ["Syria"], "wn-023": ["boat", "California"], "wn-024": ["Sola", "parking"],
    "wn-025": ["Warren"], "wn-026": ["Hong Kong"], "wn-027": ["impeachment"], "wn-028": ["Sanders"],
}


def quote_of(doc_id: str, paragraph: int) -> str:
    path = ARTICLES / f"{doc_id}.txt"
    text = parse_bytes(path, path.read_bytes())[0].paragraph(paragraph).text
    return " ".join(text.split()[:10])


def main() -> None:
    lines = [ln for ln in SET.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith('{"id": "wn-')]
    for item_id, split, tags, question, gold, extra in ITEMS:
        item = {
            "id": item_id, "corpus": "wikinews", "question": question, "history": [], "answerable": True,
            "evidence": [{"doc_id": d, "paragraph": p, "quote": quote_of(d, p)} for d, p in gold],
            "answers": ANSWERS[item_id], "tags": ["wikinews", "time", *tags], "split": split, **extra,
        }
        lines.append(json.dumps(item, ensure_ascii=False))
    SET.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
