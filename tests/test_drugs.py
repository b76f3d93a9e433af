"""Drug lexicon and lookup: real letter spellings in, ingredients and class out."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from imr_nlp.normalize.drugs import DrugInfo, load_lexicon, lookup_drug, normalize_name, surface_forms

HC_APAP = "acetaminophen / hydrocodone"

LOOKUPS = [
    # (span text as written, generic, class)
    ("Norco", HC_APAP, "opioid"),
    ("NORCO", HC_APAP, "opioid"),
    ("norco", HC_APAP, "opioid"),
    ("Hydrocodone /APAP", HC_APAP, "opioid"),
    ("Hydrocodone/APAP", HC_APAP, "opioid"),
    ("Hydrocodone / APAP", HC_APAP, "opioid"),
    ("hydrocodone/acetaminophen", HC_APAP, "opioid"),
    ("Hydrocodone bitartrate and acetaminophen", HC_APAP, "opioid"),
    ("Hydrocodone-APAP", HC_APAP, "opioid"),
    ("Hydrocodone", "hydrocodone", "opioid"),
    ("MS ER", "morphine", "opioid"),
    ("MS Contin", "morphine", "opioid"),
    ("MS\nContin", "morphine", "opioid"),
    ("MS  \n Contin", "morphine", "opioid"),
    ("Morphine Sulfate ER", "morphine", "opioid"),
    ("Morphine Sulfate\nER", "morphine", "opioid"),
    ("morphine sulfate extended-release", "morphine", "opioid"),
    ("Oxycodone HCL ER", "oxycodone", "opioid"),
    ("Oxycodone HCl", "oxycodone", "opioid"),
    ("OxyContin", "oxycodone", "opioid"),
    ("Percocet", "acetaminophen / oxycodone", "opioid"),
    ("Oxycodone/APAP", "acetaminophen / oxycodone", "opioid"),
    ("Tylenol #3", "acetaminophen / codeine", "opioid"),
    ("Tylenol # 3", "acetaminophen / codeine", "opioid"),
    ("Tylenol No. 3", "acetaminophen / codeine", "opioid"),
    ("Tylenol#3", "acetaminophen / codeine", "opioid"),
    ("Hydrocodone-\nAPAP", HC_APAP, "opioid"),
    ("Hydrocodone and APAP", HC_APAP, "opioid"),
    ("Oxycodone hydrochloride extended-release", "oxycodone", "opioid"),
    ("Lovastatin", "lovastatin", "lipid-lowering"),
    ("Tylenol with Codeine", "acetaminophen / codeine", "opioid"),
    ("APAP/codeine", "acetaminophen / codeine", "opioid"),
    ("Tylenol", "acetaminophen", "non-opioid analgesic"),
    ("APAP", "acetaminophen", "non-opioid analgesic"),
    ("Ultram", "tramadol", "opioid"),
    ("Ultram ER", "tramadol", "opioid"),
    ("Tramadol HCL ER", "tramadol", "opioid"),
    ("tramadol hydrochloride extended release", "tramadol", "opioid"),
    ("Ultracet", "acetaminophen / tramadol", "opioid"),
    ("Nucynta ER", "tapentadol", "opioid"),
    ("Duragesic", "fentanyl", "opioid"),
    ("Fentanyl patch", "fentanyl", "opioid"),
    ("Butrans", "buprenorphine", "opioid"),
    ("Suboxone", "buprenorphine / naloxone", "opioid"),
    ("Dilaudid", "hydromorphone", "opioid"),
    ("Opana ER", "oxymorphone", "opioid"),
    ("Methadone HCL", "methadone", "opioid"),
    ("Synapryn", "glucosamine / tramadol", "opioid"),
    ("Soma", "carisoprodol", "muscle relaxant"),
    ("Flexeril", "cyclobenzaprine", "muscle relaxant"),
    ("Fexmid", "cyclobenzaprine", "muscle relaxant"),
    ("Cyclobenzaprine", "cyclobenzaprine", "muscle relaxant"),
    ("Cyclobenza-\nprine", "cyclobenzaprine", "muscle relaxant"),
    ("cyclobenzaprine hydrochloride", "cyclobenzaprine", "muscle relaxant"),
    ("Zanaflex", "tizanidine", "muscle relaxant"),
    ("Robaxin", "methocarbamol", "muscle relaxant"),
    ("Naproxen", "naproxen", "NSAID"),
    ("Naproxen ER", "naproxen", "NSAID"),
    ("Naproxen sodium", "naproxen", "NSAID"),
    ("Naproxen Sodium ER", "naproxen", "NSAID"),
    ("Anaprox DS", "naproxen", "NSAID"),
    ("Voltaren", "diclofenac", "NSAID"),
    ("Voltaren Gel", "diclofenac", "NSAID"),
    ("Flector", "diclofenac", "NSAID"),
    ("Diclofenac sodium ER", "diclofenac", "NSAID"),
    ("Celecoxib", "celecoxib", "NSAID"),
    ("Relafen", "nabumetone", "NSAID"),
    ("Ketoprofen", "ketoprofen", "NSAID"),
    ("Ibuprophen", "ibuprofen", "NSAID"),
    ("Duexis", "famotidine / ibuprofen", "NSAID"),
    ("Venlafaxine HCL ER", "venlafaxine", "antidepressant"),
    ("Effexor XR", "venlafaxine", "antidepressant"),
    ("Bupropion HCL", "bupropion", "antidepressant"),
    ("Cymbalta", "duloxetine", "antidepressant"),
    ("Pantoprazole sodium", "pantoprazole", "proton pump inhibitor"),
    ("Pantoprazole", "pantoprazole", "proton pump inhibitor"),
    ("Prilosec", "omeprazole", "proton pump inhibitor"),
    ("Omeprazole DR", "omeprazole", "proton pump inhibitor"),
    ("Pepcid", "famotidine", "H2 blocker"),
    ("Lidoderm", "lidocaine", "local anesthetic"),
    ("Terocin", "capsaicin / lidocaine / menthol / methyl salicylate", "topical analgesic"),
    ("Medrox", "capsaicin / menthol / methyl salicylate", "topical analgesic"),
    ("LidoPro", "capsaicin / lidocaine / menthol / methyl salicylate", "topical analgesic"),
    ("Neurontin", "gabapentin", "anticonvulsant"),
    ("Neurotin", "gabapentin", "anticonvulsant"),
    ("Lyrica", "pregabalin", "anticonvulsant"),
    ("Ambien CR", "zolpidem", "sedative-hypnotic"),
    ("Zolpidem tartrate", "zolpidem", "sedative-hypnotic"),
    ("Diazepam", "diazepam", "benzodiazepine"),
    ("Valium", "diazepam", "benzodiazepine"),
    ("Zofran", "ondansetron", "antiemetic"),
    ("Imitrex", "sumatriptan", "migraine (triptan)"),
    ("Medrol Dosepak", "methylprednisolone", "corticosteroid"),
    ("Viagra", "sildenafil", "erectile dysfunction"),
    ("HCTZ", "hydrochlorothiazide", "antihypertensive"),
    ("Atenolol", "atenolol", "antihypertensive"),
    ("Metoprolol tartrate", "metoprolol", "antihypertensive"),
    ("Senna-S", "docusate / sennosides", "laxative"),
    ("Narcan", "naloxone", "opioid antagonist"),
    ("Norco®", HC_APAP, "opioid"),
    ('"Norco"', HC_APAP, "opioid"),
]


@pytest.mark.parametrize(("text", "generic", "drug_class"), LOOKUPS)
def test_lookup(text: str, generic: str, drug_class: str) -> None:
    info = lookup_drug(text)
    assert info is not None, text
    assert (info.generic, info.drug_class) == (generic, drug_class)


@pytest.mark.parametrize(
    "text",
    [
        "opioids", "Opioids", "muscle relaxants", "NSAIDs", "NSAID", "benzodiazepines", "antidepressants",
        "proton pump inhibitors", "topical analgesics", "compound cream", "medication", "TENS unit",
        "heat wrap", "Thermacare", "physical therapy", "Notadrug", "ER", "HCL", "sodium", "", "   ", "\n",
        "Norco Vicodin",
    ],
)
def test_lookup_unknown_is_none(text: str) -> None:
    assert lookup_drug(text) is None


def test_lookup_returns_druginfo_with_lexicon_name() -> None:
    info = lookup_drug("ms\ncontin")
    assert isinstance(info, DrugInfo)
    assert info.name == "MS Contin"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Hydrocodone /APAP", "hydrocodone/apap"),
        ("MS\n  Contin", "ms contin"),
        ("  Norco.  ", "norco"),
        ("Tylenol #3", "tylenol #3"),
        ("Hydrocodone / Acetaminophen", "hydrocodone/acetaminophen"),
    ],
)
def test_normalize_name(text: str, key: str) -> None:
    assert normalize_name(text) == key


def test_surface_forms_cover_lexicon() -> None:
    forms = surface_forms()
    assert "Norco" in forms and "MS Contin" in forms and "Lidoderm" in forms
    assert len(forms) == len(set(forms))
    assert {normalize_name(f) for f in forms} == set(load_lexicon())


# ---------------------------------------------------------------- data-file integrity
def _rows() -> list[dict]:
    text = resources.files("imr_nlp.data").joinpath("drugs.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


CLASS_VOCAB = {
    "opioid", "opioid antagonist", "muscle relaxant", "NSAID", "non-opioid analgesic", "barbiturate",
    "anticonvulsant", "antidepressant", "antipsychotic", "proton pump inhibitor", "H2 blocker",
    "antiemetic", "laxative", "topical analgesic", "local anesthetic", "compounded topical",
    "sedative-hypnotic", "benzodiazepine", "migraine (triptan)", "corticosteroid", "stimulant",
    "antihypertensive", "lipid-lowering", "antidiabetic", "anticoagulant", "antibiotic",
    "antihistamine", "erectile dysfunction", "medical food", "dietary supplement", "other",
}
KINDS = {"brand", "generic", "abbreviation", "misspelling", "unverified"}


def test_rows_have_keys_and_valid_values() -> None:
    rows = _rows()
    assert len(rows) >= 300
    for row in rows:
        assert set(row) >= {"name", "generic", "drug_class", "kind"}, row
        assert set(row) <= {"name", "generic", "drug_class", "kind", "source"}, row
        assert isinstance(row["name"], str) and row["name"].strip() == row["name"] and row["name"], row
        assert row["kind"] in KINDS, row
        if row["kind"] == "unverified":  # ingredients unknown: never guessed
            assert row["generic"] is None and row["drug_class"] is None and row.get("source"), row
            continue
        assert row["drug_class"] in CLASS_VOCAB, row
        generic = row["generic"]
        assert isinstance(generic, str) and generic == generic.lower() and generic.strip(), row
        parts = generic.split(" / ")
        assert parts == sorted(parts), row
        assert len(parts) == len(set(parts)), row
        assert all(p and p == p.strip() and "/" not in p for p in parts), row


def test_no_conflicting_duplicates() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for row in _rows():
        key = normalize_name(row["name"])
        value = (row["generic"], row["drug_class"])
        assert seen.setdefault(key, value) == value, row["name"]


def test_brand_and_generic_both_present() -> None:
    rows = _rows()
    generics_with_generic_row = {r["generic"] for r in rows if r["kind"] == "generic"}
    for brand, generic in [("Norco", HC_APAP), ("MS Contin", "morphine"), ("Soma", "carisoprodol"),
                           ("Flexeril", "cyclobenzaprine"), ("Ultram", "tramadol"),
                           ("Protonix", "pantoprazole"), ("Lidoderm", "lidocaine")]:
        assert any(r["name"] == brand and r["kind"] == "brand" and r["generic"] == generic for r in rows)
        assert generic in generics_with_generic_row
    # every brand (except label-only kits, which carry a "source") has its generic spelled out too
    for row in rows:
        if row["kind"] == "brand" and "source" not in row and row["generic"] is not None:
            assert row["generic"] in generics_with_generic_row, row["name"]


def test_unverified_kits_are_drugs_with_unknown_ingredients() -> None:
    info = lookup_drug("Tabradol")
    assert info is not None and (info.generic, info.drug_class) == (None, None)


def test_no_drug_class_words_in_lexicon() -> None:
    lexicon = load_lexicon()
    for word in ("opioid", "opioids", "nsaid", "nsaids", "muscle relaxant", "benzodiazepine", "ppi"):
        assert word not in lexicon


def test_every_row_round_trips_through_lookup() -> None:
    """Each listed spelling, upper-cased or broken over lines, resolves to its own row."""
    for row in _rows():
        for text in (row["name"], row["name"].upper(), row["name"].replace(" ", " \n  ")):
            info = lookup_drug(text)
            assert info is not None, text
            assert (info.generic, info.drug_class) == (row["generic"], row["drug_class"]), text


def test_lookup_never_raises_on_arbitrary_text() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.given(st.text(max_size=40))
    @hypothesis.settings(max_examples=300, deadline=None)
    def check(text: str) -> None:
        result = lookup_drug(text)
        assert result is None or isinstance(result, DrugInfo)

    check()
