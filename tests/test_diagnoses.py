"""Table tests for imr_nlp.normalize.diagnoses.find_diagnoses (DIAGNOSIS spans, SPEC section 3)."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from imr_nlp.normalize.diagnoses import find_diagnoses, load_lexicon

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "letters"


def spans(text: str) -> list[str]:
    return [text[a:b] for a, b in find_diagnoses(text)]


# (input, expected span texts). Real spellings from the sample letters, then genre variants.
POSITIVE = [
    # seeds / 2016-2017 letters
    ("EMG/NCV dated 03/25/2013 revealed L5-S1 radiculopathy, active denervation", ["L5-S1 radiculopathy"]),
    ("He is diagnosed with lumbago and left leg sciatica.", ["lumbago", "left leg sciatica"]),
    ("Diagnoses have included chronic low back pain, lumbar radiculopathy, degenerative disc disease and "
     "accidental overdose of medications.",
     ["chronic low back pain", "lumbar radiculopathy", "degenerative disc disease", "accidental overdose"]),
    ("The diagnosis is cervical disc displacement.", ["cervical disc displacement"]),
    ("treated for the diagnoses of right shoulder contusion, neck strain, right\nshoulder injury, "
     "scapulothoracic syndrome and right arm paresthesias.",
     ["right shoulder contusion", "neck strain", "right\nshoulder injury", "scapulothoracic syndrome",
      "right arm paresthesias"]),
    ("diagnosis that include tenosynovitis right wrist, and carpal tunnel syndrome right wrist.",
     ["tenosynovitis right wrist", "carpal tunnel syndrome right wrist"]),
    ("diagnosed as having lumbar strain and bulging of the lumbar intervertebral disc.",
     ["lumbar strain", "bulging of the lumbar intervertebral disc"]),
    ("complaints of neck, back and right shoulder pain.", ["neck, back and right shoulder pain"]),
    ("He was recommended to continue Soma for his muscles spasms", ["muscles spasms"]),
    ("The diagnosis is lumbar spine sprain/strain.", ["lumbar spine sprain/strain"]),
    ("diagnoses are documented as lumbar sprain/strain and cervical sprain/strain",
     ["lumbar sprain/strain", "cervical sprain/strain"]),
    ("strain of muscle, fascia, and tendon at neck level; sprain of unspecified parts of the right shoulder "
     "girdle; radiculopathy, lumbosacral region.",
     ["strain of muscle, fascia, and tendon at neck level",
      "sprain of unspecified parts of the right shoulder girdle", "radiculopathy, lumbosacral region"]),
    ("the diagnosis is documented as dislocation, shoulder.", ["dislocation, shoulder"]),
    ("diagnosed as having status post rib fracture T9-10. Treatment", ["rib fracture T9-10"]),
    ("diagnoses are documented as pain in left shoulder; cervicalgia; and postconcussional syndrome",
     ["pain in left shoulder", "cervicalgia", "postconcussional syndrome"]),
    ("tear of the medial cartilage and/or meniscus, rupture of the ACL, knee pain, and chronic pain",
     ["tear of the medial cartilage and/or meniscus", "rupture of the ACL", "knee pain", "chronic pain"]),
    ("right shoulder full thickness rotator cuff tear, acromioclavicular joint arthrosis, and degenerative "
     "labral tears", ["right shoulder full thickness rotator cuff tear", "acromioclavicular joint arthrosis",
                      "degenerative labral tears"]),
    ("impingement syndrome right shoulder; right arm numbness; degenerative tear of glenoid labrum right shoulder",
     # numbness is a symptom, not a named condition (corpus/README.md): not tagged
     ["impingement syndrome right shoulder",
      "degenerative tear of glenoid labrum right shoulder"]),
    ("diagnosed with major depressive disorder, generalized anxiety disorder, insomnia related to",
     ["major depressive disorder", "generalized anxiety disorder", "insomnia"]),
    # severity words are not part of the span (corpus/README.md): chronicity, type, location are
    ("moderate bilateral carpal tunnel syndrome", ["bilateral carpal tunnel syndrome"]),
    ("severe neck pain", ["neck pain"]),
    # spasm is tagged wherever it appears, exam signs included (corpus/README.md)
    ("There was palpable spasm and limited range of motion.", ["spasm"]),
    ("treatment for bilateral lumbar radiculitis and 3mm disc protrusion at L4-5 with lateral recess and "
     "foraminal stenosis", ["bilateral lumbar radiculitis", "disc protrusion at L4-5", "lateral recess and foraminal stenosis"]),
    # coordinated runs: the second may be part of the head, a severity word may open it
    ("for the treatment of acute or chronic pain.", ["acute or chronic pain"]),
    ("complaints of neck and low back pain.", ["neck and low back pain"]),
    # which side is worse belongs to the condition
    ("complaints of low back pain left \ngreater than right.", ["low back pain left \ngreater than right"]),
    ("radicular pain, right worse than left.", ["radicular pain, right worse than left"]),
    # conventions of guide v2 (corpus/README.md): slash pairs and shared modifiers make one span
    ("red flags such as fracture/dislocation, infection", ["fracture/dislocation", "infection"]),
    ("therapy for sprains and strains of the knee.", ["sprains and strains of the knee"]),
    ("myofascial pain syndrome and bursitis of the right hip.", ["myofascial pain syndrome", "bursitis of the right hip"]),
    ("The injury is not an acute sprain or strain.", ["acute sprain or strain"]),
    ("history of cervical radiculopathy and depression", ["cervical radiculopathy", "depression"]),
    ("She reported nausea, vomiting and dizziness with headaches.", ["headaches"]),
    ("findings that identify specific nerve compromise on exam", []),
    # one severity per side: the first one opens the coordinated run (annotation of the training letters)
    ("moderate left and mild right neural foraminal narrowing", ["moderate left and mild right neural foraminal narrowing"]),
    ("severe left and right knee pain", ["left and right knee pain"]),
    # ICD-10-CM combination mentions are one span; other conditions after "with" are not joined
    (
        "Diagnoses: intervertebral disc disorder with radiculopathy, lumbar region; lumbar spondylosis without "
        "myelopathy or radiculopathy; low back pain with radiculopathy.",
        [
            "intervertebral disc disorder with radiculopathy, lumbar region",
            "lumbar spondylosis without myelopathy or radiculopathy",
            "low back pain",
            "radiculopathy",
        ],
    ),
    ("He sustained a lumbar, hip, and neck strain.", ["lumbar, hip, and neck strain"]),
    ("MTUS: opioids for chronic non-malignant pain and cancer pain", ["chronic non-malignant pain", "cancer pain"]),
    (
        "adjustment disorder with mixed anxiety and depressed mood and chondromalacia patella, left knee",
        ["adjustment disorder with mixed anxiety and depressed mood", "chondromalacia patella, left knee"],
    ),
    ("thoracic or lumbosacral neuritis or radiculitis", ["thoracic or lumbosacral neuritis or radiculitis"]),
    ("right calcaneus fracture and tibial plateau fracture", ["right calcaneus fracture", "tibial plateau fracture"]),
    ("mild left neural foraminal narrowing at the L4-5 level", ["left neural foraminal narrowing at the L4-5 level"]),
    ("symptomatic SLAP lesion, right shoulder.", ["symptomatic SLAP lesion, right shoulder"]),
    ("dorsalgia, unspecified; radiculopathy, cervical region (right arm)", ["dorsalgia", "radiculopathy, cervical region"]),
    ("strain in right hip, ankle, and foot", ["strain in right hip, ankle, and foot"]),
    ("the diagnosis of CRPS and complex regional pain syndrome", ["CRPS", "complex regional pain syndrome"]),
    ("at least partial tear most prominent along its bursal surface", ["partial tear"]),
    # genre variants: other body parts, levels, laterality, line breaks, ICD wording
    ("L4-5 and L5-S1 neuroforaminal stenosis", ["L4-5 and L5-S1 neuroforaminal stenosis"]),
    ("C5-C6 and C6-C7 disc herniations", ["C5-C6 and C6-C7 disc herniations"]),
    ("grade 1 spondylolisthesis at L4-L5", ["grade 1 spondylolisthesis at L4-L5"]),
    ("chronic low back\npain with radiation", ["chronic low back\npain"]),
    ("Left knee medial meniscal tear", ["Left knee medial meniscal tear"]),
    ("RIGHT SHOULDER IMPINGEMENT SYNDROME", ["RIGHT SHOULDER IMPINGEMENT SYNDROME"]),
    ("bilateral upper extremity paresthesias", ["bilateral upper extremity paresthesias"]),
    ("pain in the low back, radiating", ["pain in the low back"]),
    ("sprain of ligaments of the cervical spine, subsequent encounter", ["sprain of ligaments of the cervical spine"]),
    ("lateral epicondylitis of the left elbow", ["lateral epicondylitis of the left elbow"]),
    ("plantar fasciitis, left", ["plantar fasciitis, left"]),
    ("paresthesias bilaterally and numbness", ["paresthesias bilaterally"]),
    ("neck and shoulder strain", ["neck and shoulder strain"]),
    ("left and right sided sciatica", ["left and right sided sciatica"]),
    ("post-traumatic stress disorder and PTSD symptoms", ["post-traumatic stress disorder", "PTSD"]),
    ("posttraumatic stress disorder", ["posttraumatic stress disorder"]),
    ("contusion to the lower back and pelvis", ["contusion to the lower back and pelvis"]),
    ("fracture of left distal radius.", ["fracture of left distal radius"]),
    ("history of hypertension, diabetes mellitus and GERD", ["hypertension", "diabetes mellitus", "GERD"]),
    ("opioid-induced constipation and opioid use disorder", ["opioid-induced constipation", "opioid use disorder"]),
    ("the right shoulder strain right elbow contusion and", ["right shoulder strain", "right elbow contusion"]),
    ("numbness along right arm and back pain", ["back pain"]),  # numbness is not tagged
    ("sprain of the left knee and right ankle pain", ["sprain of the left knee", "right ankle pain"]),
    ("chronic neuropathic pain", ["chronic neuropathic pain"]),
    ("type II SLAP lesions", ["type II SLAP lesions"]),
    ("multilevel degenerative disc disease", ["multilevel degenerative disc disease"]),
    ("L5/S1 disc bulge", ["L5/S1 disc bulge"]),
]

NEGATIVE = [
    "MRI of the lumbar spine without contrast",  # body part and test
    "tenderness to palpation of the cervical spine",  # body part alone
    "status post lumbar fusion at L4-5",  # procedure
    "open carpal tunnel release",  # procedure
    "The request for an MRI is not medically necessary.",  # test
    "Opioids and muscle relaxants are not recommended; NSAIDs and antidepressants may be used.",  # drug classes
    "MTUS Low Back Complaints 2004, Section(s): Surgical Considerations",  # guideline title
    "ACOEM Guidelines Low Back Disorders, 3rd ed.",  # guideline title
    "Board Certified in Pain Medicine",  # specialty
    "referred to pain management",
    "75% pain relief with the medication",
    "the pain scale was 6/10",
    "Chronic Pain Medical Treatment Guidelines page 78",
    "MTUS 2016 Chronic Pain Guidelines recommend",
    "Chronic pain programs (functional restoration programs)",
    "Center for Epidemiologic Studies Depression Scale",
    "sustained an industrial injury on 10-13-16",  # generic injury, no location
    "The mechanism of injury to the right shoulder was a fall.",
    "Date of Injury: 11/10/2016",
    "The pain was rated 6-8 on a 10-point scale.",
    "Hawkins impingement maneuver was positive",  # test
    "Cervical spine full pain free range of motion",
    "durable medical equipment fracture boot",  # device
    "Depressants and anti-depressants",
    "a gad or a cad file",  # lowercase words are not the abbreviations GAD / CAD
]


# Genre rules added without reading evaluation letters (older 2016-2017 template).
POSITIVE += [
    ("He has neck, right shoulder and right hand and wrist injuries.",
     ["neck, right shoulder and right hand and wrist injuries"]),
    ("The patient has left knee and ankle and foot pain.", ["left knee and ankle and foot pain"]),
    ("She reported pain in the left upper and lower back, shoulder and ankle.",
     ["pain in the left upper and lower back, shoulder and ankle"]),
    ("He complained of discomfort in his left anterior knee, right anterior knee and lumbar area.",
     ["discomfort in his left anterior knee, right anterior knee and lumbar area"]),
    ("Diagnoses: Spinal instabilities, cervical region; bursopathies of the shoulder.",
     ["Spinal instabilities, cervical region", "bursopathies of the shoulder"]),
    ("He had a crush injury of the left hand and shooting pain in the right leg.",
     ["crush injury of the left hand", "shooting pain in the right leg"]),
    ("Displaced fracture of base of fourth metacarpal bone, right hand.",
     ["Displaced fracture of base of fourth metacarpal bone, right hand"]),
    ("Risks include respiratory depression, hepatotoxicity, heart failure and stroke.",
     ["respiratory depression", "hepatotoxicity", "heart failure", "stroke"]),
]
NEGATIVE += [
    "There was no discomfort.",
    "The pain was sharp and stabbing.",
    "There was tenderness at the end of the day.",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_positive(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(("text", "expected"), POSITIVE[:12])
def test_offsets_survive_non_ascii_prefix(text: str, expected: list[str]) -> None:
    """Offsets stay on the original text even when lowercasing could change lengths."""
    prefixed = "İ° Ⅻ " + text
    assert [prefixed[a:b] for a, b in find_diagnoses(prefixed)] == expected


def test_spans_are_ordered_trimmed_and_disjoint() -> None:
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in _sample_files()[:10])
    found = find_diagnoses(text)
    assert found
    previous_end = -1
    for a, b in found:
        assert previous_end <= a < b
        assert text[a].isalnum() and text[b - 1].isalnum()
        previous_end = b


def test_lexicon_has_sources_and_heads() -> None:
    lex = load_lexicon()
    assert lex.heads.search("lumbago")
    assert "pain" in lex.type_license


def _sample_files() -> list[Path]:
    return sorted(
        Path(p) for p in glob.glob(str(SAMPLES / "seeds-2014" / "*.txt"))
        + glob.glob(str(SAMPLES / "2016-2017" / "txt" / "*.txt"))
    )

