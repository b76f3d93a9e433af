"""Equivalence tests of the fast paths of ``imr_items``: each gives what the general code
it replaces gives (``doc.ents`` and ``span._.normalized``; ``doc.char_span``)."""

from __future__ import annotations

import re

import spacy
from conftest import LETTERS_2016, SEEDS, read

import imr_nlp
from imr_nlp.extensions import register_extensions
from imr_nlp.items import doc_drugs
from imr_nlp.normalize.drugs import DrugInfo


def _reference_drugs(doc):
    """doc_drugs as read through Spans: every DRUG entity of doc.ents with span._.normalized."""
    found = []
    for ent in doc.ents:
        if ent.label_ == "DRUG":
            values = ent._.normalized
            found.append((ent.start_char, ent.end_char, DrugInfo(ent.text, values["generic"], values["drug_class"])))
    return found


def test_doc_drugs_equals_the_drug_entities_with_their_normalized_values():
    nlp = imr_nlp.load(rules_only=True)
    docs = list(nlp.pipe([read(p) for p in SEEDS + LETTERS_2016[:20]]))
    assert sum(len(_reference_drugs(doc)) for doc in docs) > 100
    for _ in range(2):  # the second time the values come from the memo
        for doc in docs:
            assert doc_drugs(doc) == _reference_drugs(doc)
            assert doc_drugs(doc, doc.text) == _reference_drugs(doc)


def test_doc_drugs_reads_adjacent_and_multi_token_entities_as_doc_ents_does():
    register_extensions()
    doc = spacy.blank("en")("Oxycodone HCL ER Norco Zzyzx 10 mg and Lyrica then Norco")
    doc.set_ents(
        [
            doc.char_span(0, 16, label="DRUG"),  # three tokens
            doc.char_span(17, 22, label="DRUG"),  # right after: B B
            doc.char_span(23, 28, label="DRUG"),
            doc.char_span(29, 34, label="DOSE"),  # I tokens of another label follow
            doc.char_span(39, 45, label="DRUG"),
            doc.char_span(51, 56, label="DRUG"),  # the last token
        ],
        default="outside",
    )
    assert [(s, e) for s, e, _ in doc_drugs(doc)] == [(0, 16), (17, 22), (23, 28), (39, 45), (51, 56)]
    assert doc_drugs(doc) == _reference_drugs(doc)
    assert doc_drugs(spacy.blank("en")("")) == []


def _session_texts():
    """Request texts of the sample and test letters and random phrases of session words."""
    import random

    from conftest import HANDWRITTEN

    from imr_nlp.items import find_items

    texts = []
    for path in SEEDS + LETTERS_2016 + sorted(HANDWRITTEN.glob("*.txt")):
        items, _ = find_items(read(path))
        texts.extend(item["request"]["text"] for item in items)
    words = (
        "2 12 6 18 4-6 8 (8) 3x 2x4 x x6 # to or - , ; / a per each every for over the next period total of "
        "one two Six EIGHT twelve twenty-four Ten often phone tonight once twice Thrice weekly weeks wks week "
        "times time visits sessions treatments appointments injections classes additional more daily days "
        "physical therapy chiropractic acupuncture lumbar then and at".split()
    )
    rng = random.Random(14)
    texts.extend(" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(4000))
    forms = [
        "{n} {x} {per} week {for} {n} weeks",
        "{n} to {n} {s} {for} the {w}",
        "{n}-{n} {x} {per} week for {n} wks",
        "for {n} weeks, {n} {x} {per} week",
        "{adv} {per} week {for} {n} weeks",
        "PT {n} {s} {then} {n} more {s}",
        "daily for {n} days; {n}x{n}",
        "{n} {u} rental {then} {n}-{n} {u}",
        "TENS unit x {n} {u}, {n} {u} {per} week",
    ]
    fill = {
        "n": "2 6 12 eight Six twenty-four TEN one 4-6 1".split(),
        "x": ["x", "times", "visits", "X", ""],
        "per": ["a", "per", "/", "each", ""],
        "for": ["for", "x", "over", ", for", "*"],
        "s": "sessions visits treatments Appointments injections".split(),
        "w": ["lumbar spine", "knee", "next period"],
        "adv": ["once", "Twice", "thrice", "weekly"],
        "then": ["then", "and", "plus", ","],
        "u": "day days week weeks wk wks. month mos. years yr".split() + ["day supply", "days a week"],
    }
    for _ in range(3000):
        form = rng.choice(forms)
        texts.append(re.sub(r"\{(\w+)\}", lambda m: rng.choice(fill[m.group(1)]), form))
    return texts


def test_session_and_duration_searches_tried_at_lead_positions_equal_a_full_search():
    from imr_nlp.normalize import services as s

    assert s._lead_starts(s._NUMBER_LEAD, "twenty-four 12") == [0, 7, 12, 13]  # overlapping leads too
    texts = _session_texts()
    found = durations = 0
    for text in texts:
        t = s._blank(s._clean(text), s._DENOISE)
        lowered = t.lower()
        numbers = s._lead_starts(s._NUMBER_LEAD, lowered)
        leads = s._lead_starts(s._FREQ_LEAD, lowered)
        for pattern, starts in (
            (s._RANGE_SESSIONS, numbers),
            (s._RANGE_FREQ, numbers),
            (s._FREQ_WEEKS, leads),
        ):
            fast, full = s._search_led(pattern, t, starts), pattern.search(t)
            assert (fast and (fast.span(), fast.groupdict())) == (full and (full.span(), full.groupdict())), t
            found += full is not None
        fast, full = s._search_led(s._DURATION_RANGE, t, numbers), s._DURATION_RANGE.search(t)
        assert (fast and fast.span()) == (full and full.span()), t
        fast = [(m.span(), m.groupdict()) for m in s._finditer_led(s._DURATION, t, numbers)]
        assert fast == [(m.span(), m.groupdict()) for m in s._DURATION.finditer(t)], t
        durations += bool(fast)
        if not numbers:  # _sessions returns (None, None) without searching: no pattern can match
            for pattern in (s._RANGE_SESSIONS, s._EXPLICIT, s._RANGE_FREQ, s._PAREN, s._FREQ_WEEKS, s._DAILY):
                assert pattern.search(t) is None, t
            assert s._PRODUCT.search(t) is None and s._TIMES.search(t) is None, t
            assert s._DURATION_RANGE.search(t) is None and s._DURATION.search(t) is None, t
    assert found > 500 and durations > 500


def test_blanking_through_the_lowercase_twin_equals_the_pattern_sub():
    import imr_nlp
    from imr_nlp.normalize import services as s

    nlp = imr_nlp.load(rules_only=True)
    extra = [
        "Associated Surgical Services: POST-OP knee Walker rental, Pre-op labs",
        "Hand-Held shower, back up brace, L4-5 and L5-S1 on 1/12/2016, 10 MG 2.5 hours",
        "Knee scooter x 30 days; C5-6 injection 40mg; ſix sessions; KNEE Ｗalker; \u212anee ſcooter",
    ]
    with nlp.get_pipe("imr_items").using_data():
        vocab = s._vocabulary()
        blankers = [vocab.context, vocab.region_exclude, s._DENOISE]
        assert all(b.twin is not None for b in blankers)
        changed = 0
        for text in _session_texts() + extra:
            for variant in (text, text.upper(), text.title()):
                cleaned = s._clean(variant)
                for blanker in blankers:
                    full = blanker.pattern.sub(lambda m: " " * len(m.group()), cleaned)
                    assert s._blank(cleaned, blanker) == full, (blanker.pattern.pattern[:40], cleaned)
                    changed += full != cleaned
        assert changed > 150
