"""Generate synthetic IMR determination letters with exact gold entity spans.

Each letter is built from pieces ``(text, label)``; the offset of every entity is recorded
while the text is appended, never found by searching the finished text. The letter is first
built as *logical* text (one line per paragraph or header line); PDF-extraction noise is
then applied as a list of edits at known positions (a space becomes a line break, a blank
line, page furniture or nothing; a newline becomes CRLF), and every span is moved through
the same edits. Gold follows corpus/README.md (one span per mention, CITATION wins,
"Decision based on" and a leading "the" excluded, multi-line spans keep the line breaks).

    python scripts/generate_letters.py --n 200 --seed 0 --output training/generated/letters.jsonl

Vocabularies: drug names from ``imr_nlp/data/drugs.jsonl`` (rows of kind "unverified"
skipped), diagnosis heads from ``diagnoses.json``, MTUS/ACOEM/ODG names from
``guidelines.json``; strengths, sigs, guideline topics and phrase templates from
``scripts/generate_letters.json``. Output is deterministic for a given ``--seed``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from convert_corpus import validate_record

from imr_nlp.labels import REPORT_ORDER as LABELS
from imr_nlp.normalize.vocabulary import number_words

TEMPLATES = ("2013", "2014", "2015+")
GENERATOR = "scripts/generate_letters.py"
DATA_FILE = Path(__file__).with_name("generate_letters.json")

# Piece labels that are not entities: positions the noise step may touch.
_GLUE = "_glue"  # a space writers' PDFs often lose ("notmedically")
_SGAP = "_sgap"  # the space between two sentences (may become a double space)

Piece = tuple[str, str | None]
_FORM_WORDS = {"gel", "patch", "patches", "cream", "lotion", "ointment", "tablet", "tablets", "tab", "tabs",
               "capsule", "capsules", "solution", "spray", "film", "injection", "liquid", "syrup", "powder",
               "kit", "oral", "topical", "transdermal", "suspension", "drops", "suppository"}
Span = tuple[int, int, str]


def T(text: str) -> Piece:
    """Plain text piece."""
    return (text, None)


def E(label: str, text: str) -> Piece:
    """Entity piece: ``text`` becomes one gold span with ``label``."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    if not text or text != text.strip():
        raise ValueError(f"entity text must not be empty or whitespace-bounded: {text!r}")
    return (text, label)


# ---------------------------------------------------------------------------- data


@cache
def generator_data() -> dict[str, Any]:
    """The phrase templates and small vocabularies of generate_letters.json."""
    return json.loads(DATA_FILE.read_text(encoding="utf8"))


def _package_text(name: str) -> str:
    return resources.files("imr_nlp").joinpath("data", name).read_text(encoding="utf8")


@cache
def package_drugs() -> tuple[dict, ...]:
    """Usable drug rows of imr_nlp/data/drugs.jsonl (no "unverified" rows, plain names)."""
    rows = []
    for line in _package_text("drugs.jsonl").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("kind") == "unverified" or not row.get("generic"):
            continue
        if not re.fullmatch(r"[A-Za-z][A-Za-z /\-]{2,40}", row["name"]) or row["name"].endswith("-"):
            continue
        if row["name"].split()[-1].lower() in _FORM_WORDS:  # guide: dosage-form words are not DRUG
            continue
        rows.append(row)
    return tuple(rows)


@cache
def package_diagnosis_heads() -> frozenset[str]:
    """Condition heads of imr_nlp/data/diagnoses.json (lowercase)."""
    data = json.loads(_package_text("diagnoses.json"))
    return frozenset(h for group in data["heads"].values() for h in group)


@cache
def package_guidelines() -> dict[str, Any]:
    """imr_nlp/data/guidelines.json."""
    return json.loads(_package_text("guidelines.json"))


@cache
def _checked() -> bool:
    """Fail loudly when generate_letters.json names a diagnosis head the package lacks."""
    heads = package_diagnosis_heads()
    dx = generator_data()["diagnosis"]
    wanted = set(dx["level_heads"]) | set(dx["region_heads"]) | set(dx["standalone"])
    for group in dx["joint_heads"].values():
        wanted |= set(group)
    missing = sorted(h for h in wanted if h.lower() not in heads)
    if missing:
        raise RuntimeError(f"diagnosis heads not in imr_nlp/data/diagnoses.json: {missing}")
    by_generic = _names_by_generic()
    lost = [g for g in generator_data()["strengths"] if g != "_about" and g not in by_generic]
    if lost:
        raise RuntimeError(f"strength table generics without a drug name in drugs.jsonl: {lost}")
    return True


@cache
def _names_by_generic() -> dict[str, tuple[dict, ...]]:
    out: dict[str, list[dict]] = {}
    for row in package_drugs():
        out.setdefault(row["generic"], []).append(row)
    return {k: tuple(v) for k, v in out.items()}


# ---------------------------------------------------------------------------- building


@dataclass
class LogicalDoc:
    """A letter as logical lines; spans and noise candidates recorded while appending."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[Span] = field(default_factory=list)
    para_breaks: set[int] = field(default_factory=set)
    glue: list[int] = field(default_factory=list)
    sgaps: list[int] = field(default_factory=list)
    spaces: list[int] = field(default_factory=list)
    drug_dose_gaps: list[int] = field(default_factory=list)
    _single: bool = False

    def add(self, pieces: Iterable[Piece]) -> None:
        """Append pieces, recording entity spans and positions the noise step may edit."""
        prev_label: str | None = None
        for text, label in pieces:
            if not text:
                continue
            start = self.length
            if label in LABELS:
                if prev_label == "_gap_after_drug" and label == "DOSE" and not text.isdigit() and self._single:
                    self.drug_dose_gaps.append(start - 1)
                self.spans.append((start, start + len(text), label))
            elif label == _GLUE:
                if text != " ":
                    raise ValueError("a glue piece is one space")
                self.glue.append(start)
            elif label == _SGAP:
                if text != " ":
                    raise ValueError("a sentence gap is one space")
                self.sgaps.append(start)
            else:
                for m in re.finditer(r"(?<=[a-z]) (?=[a-z])", text):
                    self.spaces.append(start + m.start())
            self.parts.append(text)
            self.length += len(text)
            if label == "DRUG":
                self._single = " " not in text
                prev_label = "DRUG"
            elif prev_label == "DRUG" and label is None and text == " ":
                prev_label = "_gap_after_drug"
            else:
                prev_label = label

    def line(self, pieces: Iterable[Piece] = ()) -> None:
        """Pieces ending in a hard line break (next line of the same block)."""
        self.add(pieces)
        self.parts.append("\n")
        self.length += 1

    def para(self, pieces: Iterable[Piece] = ()) -> None:
        """Pieces ending a block: a blank line follows in the laid-out letter."""
        self.add(pieces)
        self.para_breaks.add(self.length)
        self.parts.append("\n")
        self.length += 1

    @property
    def text(self) -> str:
        return "".join(self.parts)


_MARKUP = re.compile(r"\[\[(\w+):(.*?)\]\]|\{(\w+)\}")
SlotValue = str | list[Piece] | Callable[[], list[Piece]]


def fill(template: str, slots: dict[str, SlotValue]) -> list[Piece]:
    """Pieces of a phrase template: ``[[LABEL:text]]`` fixed entities, ``{slot}`` values."""

    def scalar(s: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(slots[m.group(1)]), s)

    pieces: list[Piece] = []
    pos = 0
    for m in _MARKUP.finditer(template):
        if m.start() > pos:
            pieces.append(T(template[pos : m.start()]))
        if m.group(1):
            pieces.append(E(m.group(1), scalar(m.group(2))))
        else:
            value = slots[m.group(3)]
            if isinstance(value, str):
                pieces.append(T(value))
            elif callable(value):
                pieces.extend(value())
            else:
                pieces.extend(value)
        pos = m.end()
    if pos < len(template):
        pieces.append(T(template[pos:]))
    return pieces


def sentences(groups: list[list[Piece]]) -> list[Piece]:
    """Join sentences with a sentence-gap space (the noise step may double it)."""
    out: list[Piece] = []
    for i, group in enumerate(groups):
        if i:
            out.append((" ", _SGAP))
        out.extend(group)
    return out


def join_list(items: list[list[Piece]], conj: str = "and") -> list[Piece]:
    """'a, b and c' from piece lists."""
    out: list[Piece] = []
    for i, item in enumerate(items):
        if i and i == len(items) - 1:
            out.append(T(f" {conj} " if len(items) == 2 else f", {conj} "))
        elif i:
            out.append(T(", "))
        out.extend(item)
    return out


# ---------------------------------------------------------------------------- vocab


# Counts written as words (the words: data/number_words.json, read as the rules read them).
_WORDS = {n: word for word, n in number_words().items() if 1 <= n <= 10 or n == 12}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def fmt_date(r: random.Random, d: dt.date, style: str) -> Piece | list[Piece]:
    """A DATE piece in one of the styles the guide lists."""
    m, day, y = d.month, d.day, d.year
    shapes = {
        "mdY": f"{m:02d}/{day:02d}/{y}",
        "mdY1": f"{m}/{day}/{y}",
        "mdy": f"{m}/{day}/{y % 100:02d}",
        "mdy0": f"{m:02d}/{day:02d}/{y % 100:02d}",
        "m-d-Y": f"{m}-{day}-{y}",
        "mm-dd-Y": f"{m:02d}-{day:02d}-{y}",
        "m-d-y": f"{m}-{day}-{y % 100:02d}",
        "long": f"{_MONTHS[m - 1]} {day}, {y}",
        "abbr": f"{_MONTHS[m - 1][:3]}{'.' if m != 5 else ''} {day}, {y}",
    }
    return E("DATE", shapes[style])


def fmt_month(r: random.Random, d: dt.date) -> list[Piece]:
    """Month-precision DATE ('October 2012', '11/2016', '(11-2016)')."""
    kind = r.choice(["word", "slash", "paren"])
    if kind == "word":
        return [E("DATE", f"{_MONTHS[d.month - 1]} {d.year}")]
    if kind == "slash":
        return [E("DATE", f"{d.month}/{d.year}")]
    return [T("("), E("DATE", f"{d.month}-{d.year}"), T(")")]


@dataclass
class Drug:
    """A drug name with what the strength table says about it."""

    name: str
    generic: str
    cls: str
    strength: dict | None

    @property
    def rkey(self) -> str:
        """Key of the rationale sentence pool."""
        c = self.cls
        if c in ("topical analgesic", "local anesthetic", "compounded topical"):
            return "topical"
        if c in ("H2 blocker", "proton pump inhibitor"):
            return "proton pump inhibitor"
        if c == "benzodiazepine":
            return "sedative-hypnotic"
        if c in ("opioid", "muscle relaxant", "NSAID", "anticonvulsant", "sedative-hypnotic", "antidepressant"):
            return c
        return "any_drug"


def pick_drug(r: random.Random, with_strength: bool) -> Drug:
    """A drug name from drugs.jsonl; with a strength-table entry when asked."""
    strengths = generator_data()["strengths"]
    by_generic = _names_by_generic()
    if with_strength:
        generic = r.choice([g for g in strengths if g != "_about"])
        rows = by_generic[generic]
    else:
        rows = package_drugs()
    # Prefer brand and generic spellings; misspellings and abbreviations now and then.
    weights = [{"brand": 4, "generic": 4, "abbreviation": 1, "misspelling": 1}.get(x["kind"], 1) for x in rows]
    row = r.choices(rows, weights=weights)[0]
    name = row["name"]
    if row["kind"] == "generic" and r.random() < 0.25:
        name = name.lower()
    return Drug(name, row["generic"], row["drug_class"], strengths.get(row["generic"]))


def dose_text(r: random.Random, drug: Drug, allow_bare: bool = True) -> str | None:
    """A strength for the drug as written after its name ('10/325 mg', '350mg', '10mcg/hr', '10')."""
    s = drug.strength
    if not s:
        return None
    value = r.choice(s["doses"])
    if allow_bare and s.get("bare") and r.random() < 0.2:
        return value
    unit = s["unit"]
    if unit == "%":
        return f"{value}%"
    return f"{value}{r.choice(['', ' ', ''])}{unit}"


def quantity(r: random.Random, n: int | None = None) -> Piece:
    """A dispensed amount ('#60', '# 90', 'quantity 30', 'QTY: 120')."""
    d = generator_data()
    n = n if n is not None else r.choice(d["dispense_counts"])
    return E("QUANTITY", r.choice(d["quantity_forms"]).format(n=n))


def refills(r: random.Random, n: int | None = None) -> Piece:
    """Refills ('3 refills', 'x2 refills', 'x1 refill', 'Three refills')."""
    d = generator_data()
    n = n if n is not None else r.choice([1, 1, 2, 3, 5])
    if n == 1:
        return E("QUANTITY", r.choice(d["refill_one_forms"]))
    form = r.choice(d["refill_forms"])
    return E("QUANTITY", form.format(n=n, N=_WORDS.get(n, str(n))))


def frequency(r: random.Random, prn_ok: bool = True) -> Piece:
    """A medication schedule."""
    f = generator_data()["frequencies"]
    keys = ["daily_1", "daily_2", "daily_2", "daily_3", "daily_4"] + (["prn", "prn"] if prn_ok else [])
    return E("FREQUENCY", r.choice(f[r.choice(keys)]))


# diagnosis phrases ------------------------------------------------------------------


def dx_phrase(r: random.Random, kind: str | None = None) -> str:
    """A condition with its modifiers, built from diagnoses.json heads (one DIAGNOSIS span)."""
    _checked()
    d = generator_data()["diagnosis"]
    kind = kind or r.choice(["level", "region", "region", "joint", "joint", "pain", "pain", "standalone"])
    side = r.choice(d["sides"])
    if kind in ("level", "level_lumbar"):
        head = r.choice(d["level_heads"])
        levels = d["levels_lumbar"] if r.random() < 0.7 or kind == "level_lumbar" else d["levels_cervical"]
        lv = r.choice(levels)
        form = r.random()
        if form < 0.45:
            return f"{lv} {head}"
        if form < 0.75:
            return f"{head} at {lv}"
        lv2 = r.choice([x for x in levels if x != lv])
        return f"{lv} and {lv2} {head}"
    if kind == "region":
        head = r.choice(d["region_heads"])
        region = r.choice(d["regions"])
        pre = r.choice(["", "", "chronic ", f"{side} "]) if head in ("radiculopathy", "radiculitis") else ""
        return f"{pre}{region} {head}"
    if kind == "joint":
        joint = r.choice(list(d["joint_heads"]))
        head = r.choice(d["joint_heads"][joint])
        if head == "carpal tunnel syndrome":
            return f"{side} carpal tunnel syndrome"
        if head == "epicondylitis":
            head = r.choice(["lateral epicondylitis", "medial epicondylitis"])
        if side != "bilateral" and r.random() < 0.35:
            return f"{head} of the {side} {joint}"
        return f"{side} {joint} {head}"
    if kind == "pain":
        site = r.choice(d["pain_sites"])
        pre = r.choice(d["pain_pre"])
        if site in ("knee", "shoulder", "wrist", "hip", "ankle", "elbow", "leg", "arm"):
            site = f"{r.choice(d['sides'][:2])} {site}"
        form = r.random()
        if form < 0.6:
            return f"{pre}{site} pain"
        if form < 0.8:
            other = r.choice(["low back", "neck", "leg", "shoulder", "upper back"])
            if other in site:
                return f"{pre}{site} pain"
            return f"{pre}{site} and {other} pain"
        if site in ("lumbar", "cervical", "thoracic"):
            return f"{pre}{site} pain"
        return f"{pre}pain in the {site}"
    if kind == "sciatica":
        return f"{r.choice(['left', 'right'])} leg sciatica"
    return r.choice(d["standalone"])


def dx_list(r: random.Random, k: int) -> list[Piece]:
    """'A, B and C' of distinct diagnoses."""
    seen: list[str] = []
    while len(seen) < k:
        p = dx_phrase(r, r.choice(["level", "region", "joint", "pain", "standalone", "sciatica"]))
        if p not in seen:
            seen.append(p)
    return join_list([[E("DIAGNOSIS", p)] for p in seen])


# ---------------------------------------------------------------------------- requests


@dataclass
class Request:
    """A disputed item: how to write it (with variations) and which rationales fit."""

    kind: str
    rkey: str
    render: Callable[..., list[Piece]]
    partial: Callable[[], tuple[list[Piece], list[Piece], list[Piece]]] | None = None
    drug: Drug | None = None


def drug_request(r: random.Random) -> Request:
    """A medication request: 'Norco 10/325mg #120', 'Unknown prescription of Soma', creams, patches."""
    form = r.random()
    if form < 0.12:
        drug = pick_drug(r, with_strength=False)
        style = r.choice(["unknown", "unknown_qty"])

        def render_unknown() -> list[Piece]:
            if style == "unknown":
                return [T("Unknown prescription of "), E("DRUG", drug.name)]
            return [E("DRUG", drug.name), T(" (unknown quantity)")]

        return Request("drug", drug.rkey, render_unknown, drug=drug)
    if form < 0.24:
        return compound_request(r)
    drug = pick_drug(r, with_strength=True)
    dose = dose_text(r, drug)
    n = r.choice(generator_data()["dispense_counts"])
    qform = r.choice(generator_data()["quantity_forms"])
    freq = frequency(r) if r.random() < 0.45 else None
    n_ref = r.choice([0, 0, 0, 1, 2, 3, 5])
    ref = refills(r, n_ref) if n_ref else None
    sig_style = r.random()
    unit_form = drug.strength["form"] if drug.strength else "tablet"
    brand_pair: str | None = None
    if r.random() < 0.15:
        others = [x["name"] for x in _names_by_generic()[drug.generic]
                  if x["kind"] == "brand" and x["name"].lower() != drug.name.lower()]
        if others:
            brand_pair = r.choice(others)
    supply = r.random() < 0.08

    patch_word = unit_form == "patch" and r.random() < 0.5
    sig_words = " "
    if freq is not None and sig_style < 0.3:
        sig_words = (" apply 1 patch " if unit_form == "patch"
                     else r.choice([" take 1 tab orally ", " 1 tablet ", " 1-2 tablets by mouth "]))

    def render(qty: int | None = None, with_refills: bool = True) -> list[Piece]:
        out: list[Piece] = [E("DRUG", drug.name)]
        if brand_pair:
            out += [T(" ("), E("DRUG", brand_pair), T(")")]
        if dose:
            out += [T(" "), E("DOSE", dose)]
        if patch_word:
            out += [T(" patch")]
        if freq is not None:
            out += [T(sig_words), freq]
        q = n if qty is None else qty
        if sig_style < 0.7 or qty is not None:
            out += [T(" "), E("QUANTITY", qform.format(n=q))]
        else:
            out += [T(", "), E("QUANTITY", qform.format(n=q))]
        if supply:
            out += [T(" day supply: 30")]
        if ref is not None and with_refills:
            out += [T(r.choice([" with ", " ", ", "])), ref]
        return out

    def partial() -> tuple[list[Piece], list[Piece], list[Piece]]:
        if ref is not None and n_ref > 1:
            word = _WORDS.get(n_ref, str(n_ref))
            rem = [E("QUANTITY", f"{word.capitalize()} refills"), T(" of ")] + render(with_refills=False)
            return render(), render(with_refills=False), rem
        authorized = max(n // 2, 1)
        return render(), render(qty=authorized), render(qty=n - authorized)

    return Request("drug", drug.rkey, render, partial, drug=drug)


def compound_request(r: random.Random) -> Request:
    """A topical: 'Ketoprofen 20% in cream base 240g', 'Flurbiprofen 20%/Lidocaine 5% cream 180gm'."""
    d = generator_data()
    tp = {k: v for k, v in d["topical_percent"].items() if k != "_about"}
    names = r.sample(sorted(tp), r.choice([1, 1, 2, 3]))
    pcts = [r.choice(tp[nm]) for nm in names]
    amount = r.choice(d["package_amounts"])
    style = r.choice(["cream", "base", "list"])
    lower = r.random() < 0.2

    def render() -> list[Piece]:
        out: list[Piece] = []
        for i, (nm, pc) in enumerate(zip(names, pcts, strict=True)):
            if i:
                out.append(T("/" if style != "list" else ", "))
            out += [E("DRUG", nm.lower() if lower else nm), T(" "), E("DOSE", pc)]
        if style == "cream":
            out += [T(" cream "), E("QUANTITY", amount)]
        elif style == "base":
            out += [T(" in cream base "), E("QUANTITY", amount)]
        else:
            out += [T(" topical cream, "), E("QUANTITY", amount)]
        return out

    drug = Drug(names[0], names[0].lower(), "compounded topical", None)
    return Request("drug", "topical", render, drug=drug)


def therapy_request(r: random.Random) -> Request:
    """Therapy: 'Physical therapy 2 times a week for 4 weeks for the lumbar spine', '12 sessions'."""
    d = generator_data()
    therapy = r.choice(d["therapies"])
    part = r.choice(d["body_parts"])
    n = r.choice(d["session_counts"])
    fw = r.choice(d["weekly_frequencies"])
    weeks = r.choice(d["weeks"])
    style = r.choice(["count", "for_count", "freq", "freq_count", "lead_count", "visits"])

    def count_piece(k: int, capital: bool = False) -> Piece:
        if style == "lead_count":
            word = _WORDS.get(k, str(k))
            return E("QUANTITY", f"{word.capitalize() if capital else word} sessions" if r.random() < 0.5
                     else f"{k} sessions")
        return E("QUANTITY", f"{k} {'visits' if style == 'visits' else 'sessions'}")

    def render(k: int | None = None) -> list[Piece]:
        k = n if k is None else k
        if style == "count":
            return [T(f"{therapy} "), count_piece(k)]
        if style == "for_count":
            return [T(f"{therapy} for "), count_piece(k)]
        if style == "visits":
            return [T(f"{therapy} for the {part}, "), count_piece(k)]
        if style == "freq":
            return [T(f"{therapy} "), E("FREQUENCY", fw), T(f" for {weeks} weeks for the {part}")]
        if style == "freq_count":
            return [T(f"{therapy} "), E("FREQUENCY", fw), T(f" for {weeks} weeks ("), count_piece(k), T(")")]
        return [count_piece(k, capital=True), T(f" of {therapy.lower()} for the {part}")]

    def partial() -> tuple[list[Piece], list[Piece], list[Piece]]:
        auth = r.choice([x for x in (2, 3, 4, 6) if x < n] or [1])
        if style == "freq":
            return (render(), [T(f"{therapy} "), E("QUANTITY", f"{auth} sessions")],
                    [T(f"{therapy} "), E("QUANTITY", f"{n - auth} sessions")])
        return render(), render(auth), render(n - auth)

    return Request("therapy", "therapy", render, partial)


def other_request(r: random.Random, kind: str) -> Request:
    """Imaging, devices and procedures (mostly without entities; quantities where written)."""
    d = generator_data()
    pool = {"imaging": d["imaging"], "device": d["devices"], "procedure": d["procedures"]}[kind]
    template = r.choice(pool)
    dxd = d["diagnosis"]
    lv = r.choice(dxd["levels_lumbar"])
    slots: dict[str, SlotValue] = {
        "part": r.choice(d["body_parts"]),
        "level": lv,
        "level2": r.choice([x for x in dxd["levels_lumbar"] if x != lv]),
        "clevel": r.choice(dxd["levels_cervical"]),
        "side": r.choice(["Right", "Left"]),
        "k": str(r.choice([1, 2])),
        "qty": [quantity(r)],
        "refills": [refills(r)],
    }
    if "QTY: {k}" in template:
        template = template.replace("QTY: {k}", "[[QUANTITY:QTY: {k}]]")
    pieces = fill(template, slots)
    return Request(kind, kind, lambda: pieces)


def make_request(r: random.Random) -> Request:
    """One disputed item, drugs most often (as in real letters)."""
    kind = r.choices(["drug", "therapy", "imaging", "device", "procedure"], weights=[55, 15, 12, 9, 9])[0]
    if kind == "drug":
        return drug_request(r)
    if kind == "therapy":
        return therapy_request(r)
    return other_request(r, kind)


# ---------------------------------------------------------------------------- citations


def _pages(r: random.Random, topic: dict) -> str:
    return topic["pages"]


def cpmtg_topic(r: random.Random, rkey: str) -> dict:
    """A CPMTG topic fitting the item."""
    topics = generator_data()["cpmtg_topics"]
    fit = [t for t in topics if t["kind"] == rkey] or [t for t in topics if t["kind"] == "any_drug"]
    if rkey in ("imaging",):
        fit = [t for t in topics if t["kind"] in ("procedure",)]
    return r.choice(fit)


def section_2016(r: random.Random, rkey: str) -> str:
    s = generator_data()["sections_2016"]
    return r.choice(s.get(rkey) or s["any_drug"])


def odg_ref(r: random.Random, rkey: str) -> str:
    s = generator_data()["odg_refs"]
    return r.choice(s.get(rkey) or s["any_drug"])


def acoem_doc(r: random.Random) -> str:
    """An MTUS ACOEM document name from guidelines.json (chapters 8-14)."""
    docs = [x for x in package_guidelines()["mtus_documents"] if any(c >= 8 for c in x.get("acoem_chapters", []))]
    docs = [x for x in docs if x["name"] not in ("Eye", "Stress Related Conditions")]
    return r.choice(docs)["aliases"][0]


def cite_2014(r: random.Random, rkey: str, claims: bool) -> list[Piece]:
    """A 2014-template guideline line body (after 'Decision based on ')."""
    db = T("Decision based on ")
    if claims and r.random() < 0.35:
        return [db, E("CITATION", r.choice(["MTUS Chronic Pain Treatment Guidelines", "MTUS ACOEM",
                                            "MTUS Chronic Pain Medical Treatment Guidelines"])), T(".")]
    topic = cpmtg_topic(r, rkey)
    main = f"Chronic Pain Treatment Guidelines {topic['topic']} Page(s): {_pages(r, topic)}"
    out: list[Piece] = []
    if r.random() < 0.25:
        first = f"MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): {r.choice(['47-8', '47', '48'])}"
        out += [db, E("CITATION", first), T(","), E("CITATION", main), T(".")]
    else:
        out += [db, E("CITATION", "MTUS " + main), T(".")]
    if not claims and r.random() < 0.5 and rkey not in ("therapy",):
        odg = odg_ref(r, rkey)
        out += [(" ", _SGAP), db, E("CITATION", f"Non-MTUS Citation Official Disability Guidelines (ODG) {odg}")]
        out += [T(r.choice([".", ""]))]
    return out


def cite_2015(r: random.Random, rkey: str, claims: bool) -> list[Piece]:
    """A 2015+ guideline line body: 'Decision based on MTUS ... 2016, Section(s): ...'."""
    db = T("Decision based on ")
    x = r.random()
    if x < 0.1:
        who = "Claims Administrator" if claims else "Expert Reviewer"
        return [T(f"The {who} did not cite any medical evidence for its decision.")]
    if x < 0.18 and not claims:
        return [T("The Expert Reviewer based their decision on recommendation(s) outside of the "),
                E("CITATION", "MTUS Guidelines"), T(".")]
    if rkey in ("imaging",) or (rkey in ("device", "procedure") and r.random() < 0.5):
        doc = acoem_doc(r)
        if r.random() < 0.4:
            return [db, E("CITATION", f"MTUS {doc} 2004"), T(".")]
        sec = r.choice(generator_data()["acoem_sections"])
        out = [db, E("CITATION", f"MTUS {doc} 2004, Section(s): {sec}"), T(".")]
        if r.random() < 0.4:
            out += [(" ", _SGAP), db,
                    E("CITATION", f"Non-MTUS Citation Official Disability Guidelines (ODG), {odg_ref(r, rkey)}"), T(".")]
        return out
    if r.random() < 0.3:
        return [db, E("CITATION", f"Non-MTUS Citation Official Disability Guidelines (ODG), {odg_ref(r, rkey)}"),
                T(".")]
    middle = r.choice(["2016", "2016 Guidelines"])
    sec = section_2016(r, rkey)
    if r.random() < 0.15:
        doc = acoem_doc(r)
        return [db, E("CITATION", f"MTUS {doc} 2004, Section(s): Summary"), T(", and "),
                E("CITATION", f"Chronic Pain Medical Treatment {middle}, Section(s): {sec}"), T(".")]
    if rkey == "therapy" and "Acupuncture" in sec and r.random() < 0.5:
        return [db, E("CITATION", "MTUS Acupuncture Treatment 2007"), T(".")]
    return [db, E("CITATION", f"MTUS Chronic Pain Medical Treatment {middle}, Section(s): {sec}"), T(".")]


def cite_2013(r: random.Random, rkey: str) -> list[Piece]:
    """A 2013 guideline sentence tail: 'the X, which is part of the MTUS.' (two spans)."""
    x = r.random()
    if rkey in ("imaging", "procedure") and x < 0.6:
        ch = r.choice([12, 12, 8, 9, 13])
        pages = {12: r.choice(["pages 303-304", "page 308", "pages 298-301"]), 8: "", 9: "", 13: ""}[ch]
        cit = f"ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {ch}" + (f", {pages}" if pages else "")
        return [T("the "), E("CITATION", cit), T(", which is part of the "), E("CITATION", "MTUS"), T(".")]
    if x < 0.15:
        odg = odg_ref(r, rkey)
        return [T("the "), E("CITATION", f"Official Disability Guidelines (ODG), {odg}"),
                T(", which is not part of the "), E("CITATION", "MTUS"), T(".")]
    topic = cpmtg_topic(r, rkey)
    pg = topic["pages"]
    word = "pages" if re.search(r"[-,]", pg) else "page"
    name = topic["topic"].removeprefix("Section on ")
    if rkey == "therapy" and r.random() < 0.3:
        return [T("the "), E("CITATION", "Acupuncture Medical Treatment Guidelines"), T(".")]
    if r.random() < 0.5:
        return [T("the "), E("CITATION", f"Chronic Pain Medical Treatment Guidelines, {name}, {word} {pg}"),
                T(", which is part of the "), E("CITATION", "MTUS"), T(".")]
    return [T("the "), E("CITATION", f"MTUS Chronic Pain Medical Treatment Guidelines, {name}, {word} {pg}"), T(".")]


# ---------------------------------------------------------------------------- letter parts


@dataclass
class Case:
    """Facts shared by the parts of one letter."""

    template: str
    number: str
    decided: dt.date
    injury: dt.date
    ur: dt.date
    received: dt.date
    assigned: dt.date
    age: int
    sex: str
    pt: str
    date_style: str
    items: list[tuple[Request, str, bool]]  # request, outcome, partially certified


def rand_date(r: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=r.randrange(max((hi - lo).days, 1)))


def new_case(r: random.Random, template: str) -> Case:
    """Random dates, patient and disputed items for a letter of ``template``."""
    year = {"2013": 2013, "2014": r.choice([2014, 2015]), "2015+": r.choice([2015, 2016, 2017])}[template]
    decided = rand_date(r, dt.date(year, 1, 15), dt.date(year, 12, 20))
    ur = decided - dt.timedelta(days=r.randrange(30, 75))
    received = ur + dt.timedelta(days=r.randrange(3, 20))
    assigned = received + dt.timedelta(days=r.randrange(1, 10))
    injury = rand_date(r, dt.date(1995, 1, 1), ur - dt.timedelta(days=60))
    styles = ["mdY", "mdY", "mdY1", "mdy", "mdy0", "m-d-Y", "mm-dd-Y", "m-d-y", "long", "abbr"]
    n_items = r.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]
    items = []
    for _ in range(n_items):
        req = make_request(r)
        outcome = r.choices(["upheld", "overturned"], weights=[70, 30])[0]
        partial = template == "2015+" and req.partial is not None and r.random() < 0.3
        items.append((req, outcome, partial))
    pt = r.choice(generator_data()["patient_nouns"])
    return Case(template, f"CM{year % 100:02d}-{r.randrange(0, 10**7):07d}", decided, injury, ur, received,
                assigned, r.randrange(24, 67), r.choice(["male", "female"]), pt, r.choice(styles), items)


def d_(r: random.Random, case: Case, d: dt.date) -> list[Piece]:
    """A date in the letter's narrative style (sometimes another style)."""
    style = case.date_style if r.random() < 0.85 else r.choice(["mdY", "long", "m-d-y"])
    return [fmt_date(r, d, style)]


def med_mention(r: random.Random) -> list[Piece]:
    """A medication in a list: 'Norco 10/325 mg 1-2 tablets every 6 hours as needed'."""
    drug = pick_drug(r, with_strength=r.random() < 0.7)
    out: list[Piece] = [E("DRUG", drug.name)]
    dose = dose_text(r, drug)
    if dose and r.random() < 0.75:
        out += [T(" "), E("DOSE", dose)]
        if r.random() < 0.45:
            if r.random() < 0.4:
                out += [T(r.choice([" 1 tablet ", " 1-2 tablets ", " one tab "]))]
            else:
                out += [T(" ")]
            out += [frequency(r)]
    return out


def tox_list(r: random.Random) -> list[Piece]:
    names = [n for n in ("hydrocodone", "hydromorphone", "oxycodone", "oxymorphone", "meprobamate",
                         "carisoprodol", "tramadol", "morphine", "codeine", "gabapentin", "cyclobenzaprine")]
    return join_list([[E("DRUG", n)] for n in r.sample(names, r.choice([1, 2, 3]))])


def summary_paragraphs(r: random.Random, case: Case) -> list[list[Piece]]:
    """Case summary narrative: opening, diagnoses, history, imaging, visits, meds, UR."""
    s = generator_data()["summary_sentences"]
    doi = d_(r, case, case.injury)

    def lvl() -> list[Piece]:
        return [E("DIAGNOSIS", dx_phrase(r, "level_lumbar"))]

    def date_between() -> list[Piece]:
        return d_(r, case, rand_date(r, case.injury, case.ur))

    base: dict[str, SlotValue] = {
        "pt": case.pt, "age": str(case.age), "sex": case.sex, "doi": doi,
        "mech": r.choice(generator_data()["mechanisms"]),
        "year": str(r.randrange(max(case.injury.year, 2000), case.ur.year + 1)),
        "pct": str(r.choice([20, 30, 40, 50, 60, 75])), "months": str(r.choice([3, 4, 6, 12])),
        "r1": str(r.randrange(3, 7)), "r2": str(r.randrange(7, 11)),
    }

    def sent(group: str, **extra: SlotValue) -> list[Piece]:
        slots = dict(base)
        slots.update(extra)
        return fill(r.choice(s[group]), slots)

    first = [sent("opening"), sent("diagnoses", dxs=lambda: dx_list(r, r.choice([1, 2, 3, 4])))]
    if r.random() < 0.6:
        first.append(sent("history"))
    second = []
    if r.random() < 0.6:
        second.append(sent("imaging", date=date_between, lvl_dx=lvl, clvl_dx=lambda: [
            E("DIAGNOSIS", f"{r.choice(generator_data()['diagnosis']['levels_cervical'])} "
                           f"{r.choice(['disc protrusion', 'disc bulge', 'foraminal stenosis'])}")]))
    for _ in range(r.choice([1, 1, 2])):
        second.append(sent("visit", date=date_between, pain_dx=lambda: [E("DIAGNOSIS", dx_phrase(r, "pain"))]))
    second.append(sent("exam"))
    if r.random() < 0.5:
        second.append([T("The "), T(case.pt), T(" was diagnosed with "), E("DIAGNOSIS", dx_phrase(r, "sciatica"))]
                      + [T(".")] if r.random() < 0.3 else sent("diagnoses", dxs=lambda: dx_list(r, 2)))
    third = [sent("meds", meds=lambda: join_list([med_mention(r) for _ in range(r.choice([2, 3, 4]))]))]
    if r.random() < 0.6:
        third.append(sent("meds_tail", date=date_between, tox=lambda: tox_list(r)))
    if r.random() < 0.3:
        third.append([T("Medications were first prescribed in "), *fmt_month(r, rand_date(r, case.injury, case.ur)),
                      T(".")])
    reqs = join_list([req.render() for req, _, _ in case.items])
    third.append(sent("ur", ur_date=d_(r, case, case.ur), req=reqs))
    return [sentences(first), sentences(second), sentences(third)]


def rationale(r: random.Random, req: Request, outcome: str, case: Case) -> list[Piece]:
    """Decision rationale: an opening, 2-4 sentences from the item's pool, and the conclusion."""
    ra = generator_data()["rationale"]
    slots: dict[str, SlotValue] = {
        "req": req.render, "pt": case.pt, "months": str(r.choice([3, 6, 12, 18])),
        "pct": str(r.choice([30, 40, 50, 60])), "done": str(r.choice([6, 8, 12, 18, 24])),
        "lvl_dx": lambda: [E("DIAGNOSIS", dx_phrase(r, "level"))],
    }
    pool = ra.get(req.rkey) or ra["any_drug"]
    picked = r.sample(pool, min(len(pool), r.choice([2, 3, 4])))
    groups = []
    if r.random() < 0.4:
        groups.append(fill(r.choice(ra["opening"]), slots))
    groups += [fill(p, slots) for p in picked]
    groups.append(fill(r.choice(ra[outcome]), slots))
    return sentences(groups)


def outcome_word(outcome: str) -> str:
    return "Upheld" if outcome == "upheld" else "Overturned"


def decision_items_2014(r: random.Random, case: Case, doc: LogicalDoc, newer: bool) -> None:
    """'<request>: Upheld' items with guideline lines and rationale (2014 and 2015+)."""
    cite = cite_2015 if newer else cite_2014
    for req, outcome, partial in case.items:
        colon = r.choice([": ", ":  "])
        if partial and req.partial is not None:
            orig, auth, rem = req.partial()
            if r.random() < 0.75:
                head = [*orig, T(" was the original request."), (" ", _SGAP), *auth,
                        T(" was authorized by the Claims Administrator."), (" ", _SGAP),
                        T("The remaining IMR eligible portion of the original request, "), *rem,
                        T(f" is{colon}{outcome_word(outcome)}")]
            else:
                head = [*orig, T(" was the original request."), (" ", _SGAP), T("The Claims Administrator authorized "),
                        *auth, T(", leaving the original request IMR eligible."), (" ", _SGAP),
                        T("The original request, "), *orig, T(f" is{colon}{outcome_word(outcome)}")]
            doc.para(head)
        else:
            doc.para([*req.render(), T(f"{colon}{outcome_word(outcome)}")])
        doc.para([T("Claims Administrator guideline: "), *cite(r, req.rkey, True)])
        doc.para([T("MAXIMUS guideline: "), *cite(r, req.rkey, False)])
        doc.para([T("Decision"), (" ", _GLUE), T("rationale: "), *rationale(r, req, outcome, case)])


def not_medically(negated: bool) -> list[Piece]:
    if negated:
        return [T(" is not"), (" ", _GLUE), T("medically necessary and appropriate.")]
    return [T(" is medically necessary and appropriate.")]


def header_2015(r: random.Random, case: Case, doc: LogicalDoc) -> None:
    """Page-1 case header, two fields per line; values sometimes pushed to the next line."""
    ds = [fmt_date(r, x, "mdY") for x in (case.assigned, case.injury, case.decided, case.ur, case.received)]
    doc.line([])
    doc.line([T(f"Case Number: {case.number} ")])
    if r.random() < 0.5:
        doc.line([T("Date Assigned: "), ds[0], T(" Date of Injury:  "), ds[1]])
        doc.line([T("Decision Date: "), ds[2], T(" UR Denial Date:  "), ds[3]])
    else:
        doc.line([T("Date Assigned: "), ds[0], T(" Date of Injury: ")])
        doc.line([ds[1]])
        doc.line([T("Decision Date: UR Denial Date: ")])
        doc.line([ds[2], T(" "), ds[3]])
    doc.line([T("Priority:  Standard Application")])
    doc.line([T("Received: ")])
    doc.para([ds[4]])


def reviewer_2015(r: random.Random, doc: LogicalDoc) -> None:
    d = generator_data()
    doc.line([T("HOW THE IMR FINAL DETERMINATION WAS MADE")])
    doc.para(sentences([[T(d["reviewer_intro_2014"][r.randrange(2)])], [T(r.choice(d["reviewer_practice"]))]]))
    doc.line([T("The Expert Reviewer has the following credentials:")])
    states = r.sample(d["states"], r.choice([1, 1, 2, 3]))
    doc.line([T("State(s) of Licensure: " + r.choice([",", ", "]).join(states))])
    doc.para([T("Certification(s)/Specialty: " + ", ".join(r.sample(d["specialties"], r.choice([1, 1, 2]))))])


def letter_2015(r: random.Random, case: Case, doc: LogicalDoc) -> None:
    """2015+ template: case header, credentials, case summary, items (partial certification)."""
    d = generator_data()
    header_2015(r, case, doc)
    reviewer_2015(r, doc)
    doc.line([T("CLINICAL CASE SUMMARY")])
    doc.line([T(r.choice(d["summary_intro"]))])
    doc.para()
    for p in summary_paragraphs(r, case):
        doc.para(p)
    doc.line([T("IMR ISSUES, DECISIONS AND RATIONALES")])
    doc.para([T(d["decisions_intro"][0])])
    decision_items_2014(r, case, doc, newer=True)


def letter_2014(r: random.Random, case: Case, doc: LogicalDoc) -> None:
    """2014 template (seed letters): reviewer paragraph, case summary, items."""
    d = generator_data()
    doc.para([T(" HOW THE IMR FINAL DETERMINATION WAS MADE")])
    spec = r.choice(d["specialties"])
    state = r.choice(d["states"])
    doc.para(sentences([[T(d["reviewer_intro_2014"][r.randrange(2)])],
                        [T(f"The expert reviewer is Board Certified in {spec}, and is licensed to practice in {state}.")],
                        [T(r.choice(d["reviewer_practice"]))]]))
    doc.para([T("CLINICAL CASE SUMMARY")])
    doc.para([T(r.choice(d["summary_intro"]))])
    for p in summary_paragraphs(r, case):
        doc.para(p)
    doc.para([T("IMR ISSUES, DECISIONS AND RATIONALES")])
    doc.para([T(d["decisions_intro"][0])])
    decision_items_2014(r, case, doc, newer=False)


def letter_2013(r: random.Random, case: Case, doc: LogicalDoc) -> None:
    """2013 numbered-item templates: the long notice ('1. X is not medically necessary ...')
    or the short notice ('1) MAXIMUS Federal Services, Inc. has determined the request for X ...')."""
    d = generator_data()
    long_form = r.random() < 0.5
    ds = {k: fmt_date(r, v, "mdY") for k, v in
          (("dated", case.decided), ("doi", case.injury), ("ur", case.ur), ("recv", case.received))}
    upheld = [o == "upheld" for _, o, _ in case.items]
    if long_form:
        for line in ("MAXIMUS FEDERAL SERVICES, INC.", "Independent Medical Review", "P.O. Box 138009",
                     "Sacramento, CA 95813-8009"):
            doc.line([T(line)])
        doc.para()
        doc.para([T("Notice of Independent Medical Review Determination")])
        doc.para([T("Dated: "), ds["dated"]])
        doc.line([T(f"IMR Case Number:  {case.number} Date of Injury:  "), ds["doi"]])
        doc.line([T("Claims Number:  [redacted] UR Denial Date:  "), ds["ur"]])
        doc.line([T("Priority:  Standard Application Received:  "), ds["recv"]])
        doc.line([T("Employee Name:  [redacted]")])
        doc.line([T("Provider Name: [redacted]")])
        doc.line([T("Treatment(s) in Dispute Listed on IMR Application:")])
        doc.para(join_list([req.render() for req, _, _ in case.items]))
        doc.para([T("DEAR [redacted],")])
        doc.para([T("MAXIMUS Federal Services, Inc. has completed the Independent Medical Review (IMR) of the "
                    "above workers' compensation case. This letter gives the IMR Final Determination and "
                    "explains how it was reached.")])
        verdict = "UPHOLD" if all(upheld) else "OVERTURN" if not any(upheld) else "OVERTURN IN PART"
        doc.para([T(f"Final Determination: {verdict}. A detailed explanation of the decision for each disputed "
                    "item/service is given later in this letter.")])
        doc.para([T("HOW THE IMR FINAL DETERMINATION WAS MADE")])
        doc.para([T("MAXIMUS Federal Services sent the complete case file to a physician reviewer with no "
                    f"affiliation to the parties. The physician reviewer is Board Certified in "
                    f"{r.choice(d['specialties'])}, and is licensed to practice in {r.choice(d['states'])}.")])
        doc.para([T("Expert Reviewer Case Summary:")])
        summ = summary_paragraphs(r, case)
        for p in summ:
            doc.para(p)
        doc.line([T("DOCUMENTS REVIEWED")])
        doc.line([T(" Application of Independent Medical Review dated "), ds["recv"]])
        doc.line([T(" Utilization Review Determination dated "), fmt_date(r, case.ur, "mdY")])
        doc.para([T(" Medical records from "), fmt_date(r, rand_date(r, case.injury, case.ur), "mdY"),
                  T(" through "), fmt_date(r, case.ur, "mdY")])
        doc.para([T("IMR DECISION(S) AND RATIONALE(S)")])
        for i, (req, outcome, _) in enumerate(case.items, 1):
            doc.para([T(f"{i}. "), *req.render(), *not_medically(outcome == "upheld")])
            doc.para([T("The Claims Administrator based its decision on "), *cite_2013(r, req.rkey)])
            doc.para([T("The Physician Reviewer based his/her decision on "), *cite_2013(r, req.rkey)])
            doc.line([T("Rationale for the Decision:")])
            doc.para(rationale(r, req, outcome, case))
        doc.line([T("/sm")])
        doc.para([T("cc: Department of Industrial Relations, Division of Workers' Compensation")])
        return
    doc.para([T("Notice of Independent Medical Review Determination")])
    doc.line([T("Dated: "), ds["dated"]])
    doc.line([T(f"IMR Case Number: {case.number} Date of Injury: "), ds["doi"]])
    doc.para([T("Claims Number: [redacted] UR Denial Date: "), ds["ur"]])
    doc.para([T("Dear Mr. [redacted]:") if case.sex == "male" else T("Dear Ms. [redacted]:")])
    doc.para([T("MAXIMUS Federal Services, Inc. has completed the Independent Medical Review (IMR) of your "
                "case. Our decision follows:")])
    lead = "MAXIMUS Federal Services, Inc. has determined the request for "
    for i, (req, outcome, _) in enumerate(case.items, 1):
        doc.para([T(f"{i}) {lead}"), *req.render(), *not_medically(outcome == "upheld")])
    doc.para([T("This decision is final and binding.")])
    doc.para([T("INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE")])
    doc.line([T("Medical Qualifications of the Expert Reviewer:")])
    doc.para([T(f"The expert reviewer is Board Certified in {r.choice(d['specialties'])} and is licensed to "
                f"practice in {r.choice(d['states'])}.")])
    doc.line([T("Case Summary:")])
    for p in summary_paragraphs(r, case):
        doc.para(p)
    for i, (req, outcome, _) in enumerate(case.items, 1):
        doc.para([T(f"{i}) {lead}"), *req.render(), *not_medically(outcome == "upheld")])
        doc.line([T("The Claims Administrator based its decision on "), *cite_2013(r, req.rkey)])
        doc.para([T("The Expert Reviewer based his/her decision on "), *cite_2013(r, req.rkey)])
        doc.line([T("Rationale for the Decision:")])
        doc.para(rationale(r, req, outcome, case))


# ---------------------------------------------------------------------------- noise


@dataclass
class NoiseConfig:
    """Probabilities of PDF-extraction noise (all zero: clean logical layout)."""

    enabled: bool = True
    p_blank_in_phrase: float = 0.06  # a wrap break followed by a blank line
    p_trailing_variation: float = 0.15  # a line end without / with two trailing spaces
    p_furniture: float = 0.35  # per paragraph break: page furniture line
    p_furniture_mid: float = 0.3  # per letter: one furniture line inside a paragraph
    p_glue_phrase: float = 0.35  # 'not medically' -> 'notmedically'
    p_glue_random: float = 0.003  # any other plain space between letters
    p_glue_entity: float = 0.04  # 'Norco 10/325mg' -> 'Norco10/325mg' (guide rule 6)
    p_double_space: float = 0.25  # sentence gaps written with two spaces
    p_crlf: float = 0.15  # whole letter with CRLF line ends


def apply_edits(text: str, spans: list[Span], edits: dict[int, tuple[int, str]]) -> tuple[str, list[Span]]:
    """Replace ``text[pos:pos+n]`` by ``new`` for each edit and move the spans.

    An edit may sit inside a span (the span grows or shrinks) or outside it, never across
    one of its edges: that would be a generator bug, so it raises.
    """
    order = sorted(edits.items())
    out: list[str] = []
    last = 0
    starts: list[int] = []  # positions of edits (sorted) and cumulative deltas
    deltas: list[int] = []
    acc = 0
    for pos, (n, new) in order:
        if pos < last:
            raise ValueError("overlapping edits")
        out.append(text[last:pos])
        out.append(new)
        last = pos + n
        acc += len(new) - n
        starts.append(pos + n)
        deltas.append(acc)
    out.append(text[last:])

    def shift(x: int) -> int:
        # sum of deltas of edits ending at or before x
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] <= x:
                lo = mid + 1
            else:
                hi = mid
        return deltas[lo - 1] if lo else 0

    for pos, (n, _) in order:
        if n <= 1:  # a one-character edit cannot sit strictly inside an edge
            continue
        for s, e, _label in spans:
            if pos < s < pos + n or pos < e < pos + n:
                raise ValueError(f"edit at {pos} crosses span [{s}:{e}]")
    moved = [(s + shift(s), e + shift(e), label) for s, e, label in spans]
    return "".join(out), moved


def layout(doc: LogicalDoc, template: str, case_number: str, r: random.Random, cfg: NoiseConfig
           ) -> tuple[str, list[Span], dict[str, Any], list[str]]:
    """Lay the logical letter out as PDF-extracted text; returns text, spans, noise record, furniture."""
    text = doc.text
    noisy = cfg.enabled
    style = {"2013": "single", "2014": "double", "2015+": "single"}[template]
    width = r.randrange(86, 100)
    noise: Counter = Counter()
    edits: dict[int, tuple[int, str]] = {}
    span_edges = {s for s, _, _ in doc.spans} | {e for _, e, _ in doc.spans}

    def eol() -> str:
        lead = " "
        if noisy and r.random() < cfg.p_trailing_variation:
            lead = r.choice(["", "  "])
            noise["trailing_space_variation"] += 1
        return lead + ("\n\n" if style == "double" else "\n")

    def gap() -> str:
        return eol() + (r.choice([" \n", " \n \n"]) if style == "double" else " \n")

    # glue first: those spaces cannot become line breaks
    if noisy:
        for pos in doc.glue:
            if r.random() < cfg.p_glue_phrase:
                edits[pos] = (1, "")
                noise["glued"] += 1
        for pos in doc.spaces:
            if pos not in span_edges and pos + 1 not in span_edges and r.random() < cfg.p_glue_random:
                edits[pos] = (1, "")
                noise["glued"] += 1
        for pos in doc.drug_dose_gaps:
            if r.random() < cfg.p_glue_entity:
                edits[pos] = (1, "")
                noise["glued_drug_dose"] += 1
    # wrap every logical line at spaces
    wrap_breaks: list[int] = []
    line_start = 0
    for i in range(len(text) + 1):
        if i == len(text) or text[i] == "\n":
            last_space = -1
            col_start = line_start
            for j in range(line_start, i):
                if text[j] == " " and j not in edits and j > line_start:
                    if j - col_start > width and last_space > col_start:
                        wrap_breaks.append(last_space)
                        col_start = last_space + 1
                    last_space = j
            if i - col_start > width and last_space > col_start:
                wrap_breaks.append(last_space)
            line_start = i + 1
    para_breaks = sorted(doc.para_breaks)
    furniture_at: list[int] = []
    if noisy:
        furniture_at = [p for p in para_breaks[3:-1] if r.random() < cfg.p_furniture / 3]
        if wrap_breaks and r.random() < cfg.p_furniture_mid:
            furniture_at.append(r.choice(wrap_breaks))
    furniture_at.sort()
    total = len(furniture_at) + 1 + (r.choice([0, 1]) if noisy else 0)
    furniture_text: dict[int, str] = {}
    for k, pos in enumerate(furniture_at, start=2):
        shape = r.choice(["{c} Page {k} of {n}", "{c} Page {k} of {n}", "Page {k} of {n}"])
        furniture_text[pos] = shape.format(c=case_number, k=k, n=total)
    furniture_in_span = 0
    for pos in wrap_breaks:
        if pos in furniture_text:
            edits[pos] = (1, eol() + furniture_text[pos] + gap())
            noise["furniture_mid_paragraph"] += 1
            furniture_in_span += any(s < pos < e for s, e, _ in doc.spans)
        elif noisy and r.random() < cfg.p_blank_in_phrase:
            edits[pos] = (1, eol() + " \n")
            noise["blank_line_in_phrase"] += 1
        else:
            edits[pos] = (1, eol())
    noise["wrapped_lines"] = len(wrap_breaks)
    if furniture_in_span:
        noise["furniture_inside_span"] = furniture_in_span
    for i, ch in enumerate(text):
        if ch != "\n":
            continue
        if i in doc.para_breaks:
            new = gap()
            if i in furniture_text:
                new += furniture_text[i] + gap()
                noise["furniture"] += 1
            edits[i] = (1, new)
        else:
            edits[i] = (1, eol())
    if noisy:
        for pos in doc.sgaps:
            if pos not in edits and r.random() < cfg.p_double_space:
                edits[pos] = (1, "  ")
                noise["double_space"] += 1
    out, spans = apply_edits(text, doc.spans, edits)
    if noisy and r.random() < cfg.p_crlf:
        crlf = {i: (1, "\r\n") for i, ch in enumerate(out) if ch == "\n"}
        out, spans = apply_edits(out, spans, crlf)
        noise["crlf"] = 1
    return out, spans, dict(sorted(noise.items())), list(furniture_text.values())


# ---------------------------------------------------------------------------- records


def _squash(s: str, furniture: list[str]) -> str:
    for f in furniture:
        s = s.replace(f, " ")
    return re.sub(r"\s+", " ", s).strip()


def generate_letter(seed: int, n: int, template: str | None = None, noise: NoiseConfig | None = None) -> dict:
    """Letter ``n`` of ``seed``: a span-JSONL record (text, spans, meta)."""
    _checked()
    cfg = noise or NoiseConfig()
    r = random.Random(f"imr-letter-{seed}-{n}-content")
    rn = random.Random(f"imr-letter-{seed}-{n}-noise")
    template = template or r.choice(TEMPLATES)
    case = new_case(r, template)
    doc = LogicalDoc()
    {"2013": letter_2013, "2014": letter_2014, "2015+": letter_2015}[template](r, case, doc)
    logical = doc.text
    text, spans, noise_record, furniture = layout(doc, template, case.number, rn, cfg)
    # Self-check: every span still says what was appended (whitespace and furniture aside).
    for (s0, e0, l0), (s1, e1, l1) in zip(doc.spans, spans, strict=True):
        want, got = _squash(logical[s0:e0], []), _squash(text[s1:e1], furniture)
        if l0 != l1 or want != got:
            raise AssertionError(f"span moved wrongly: {l0} {want!r} -> {l1} {got!r}")
    records = [{"start": s, "end": e, "label": label} for s, e, label in spans]
    errors = validate_record({"text": text, "spans": records})
    if errors:
        raise AssertionError(f"GEN-{seed}-{n}: " + "; ".join(errors[:5]))
    meta = {
        "id": f"GEN-{seed}-{n}",
        "source": "generated",
        "split": "generated",
        "template": template,
        "generator": GENERATOR,
        "seed": seed,
        "noise": noise_record,
        "items": [{"outcome": o, "kind": q.kind, "partial": p} for q, o, p in case.items],
        "guidelines": "corpus/README.md",
    }
    return {"text": text, "spans": records, "meta": meta}


def generate(n: int, seed: int, noise: NoiseConfig | None = None) -> list[dict]:
    """``n`` letters for ``seed``; templates cycle so every template appears in small samples."""
    out = []
    for i in range(n):
        template = TEMPLATES[(i + seed) % len(TEMPLATES)] if i % 2 == 0 else None
        out.append(generate_letter(seed, i, template, noise))
    return out


app = typer.Typer(add_completion=False, help=__doc__)


@app.command()
def main(
    n: Annotated[int, typer.Option("--n", help="Number of letters")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same letters)")] = 0,
    output: Annotated[Path, typer.Option("--output", "-o", help="Span JSONL to write")] = Path(
        "training/generated/letters.jsonl"
    ),
    clean: Annotated[bool, typer.Option("--clean", help="No PDF-extraction noise")] = False,
) -> None:
    """Write ``n`` synthetic letters with gold spans as span JSONL."""
    records = generate(n, seed, NoiseConfig(enabled=not clean))
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    labels = Counter(s["label"] for rec in records for s in rec["spans"])
    templates = Counter(rec["meta"]["template"] for rec in records)
    typer.echo(f"{len(records)} letters -> {output}")
    typer.echo("templates: " + ", ".join(f"{k} {v}" for k, v in sorted(templates.items())))
    typer.echo("entities: " + ", ".join(f"{label} {labels[label]}" for label in LABELS))


if __name__ == "__main__":
    app()
