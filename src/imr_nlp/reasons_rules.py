"""``imr_reasons_rules``: the reasons each item's rationale states, from phrase patterns.

For every item of ``doc._.items`` (set by ``imr_items``, so this component runs after it)
the rationale is cut into sentences and the patterns of ``data/reasons_patterns.json`` are
tried on each (:func:`imr_nlp.normalize.reasons.rule_reasons`); ``item["reasons"]`` becomes
``[{"reason", "start", "end"}]`` with the span of the evidence sentence in the letter
(``[]`` when the rationale states none of the nine reasons or the item has no rationale).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import RuleComponent, register_extensions
from .normalize.reasons import reason_rules, rule_reasons


def item_rule_reasons(item: dict) -> list[dict]:
    """Rule reasons of one item dict, offsets into the letter."""
    rationale = item.get("rationale")
    if not rationale:
        return []
    offset = rationale["start"]
    return [
        {"reason": r["reason"], "start": r["start"] + offset, "end": r["end"] + offset}
        for r in rule_reasons(rationale["text"], item.get("outcome"))
    ]


#: ``doc.user_data`` key of the reason patterns ``imr_reasons_rules`` used, when not the packaged.
REASON_RULES_KEY = "imr_nlp.reason_rule_data"


class ReasonRules(RuleComponent):
    """Sets ``item["reasons"]`` on every item of ``doc._.items`` from the reason patterns."""

    DATA_FILES = ("reasons_patterns.json",)

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        register_extensions()
        self.prepare()  # compile (and validate) the patterns when the pipeline is built

    def prepare(self) -> None:
        with self.using_data():
            reason_rules()

    def __call__(self, doc: Doc) -> Doc:
        if not self.data.packaged:  # imr_reasons reads the same patterns (as its features)
            doc.user_data[REASON_RULES_KEY] = self.data.key
        with self.using_data():
            for item in doc._.items or []:
                item["reasons"] = item_rule_reasons(item)
        return doc


@Language.factory("imr_reasons_rules", assigns=["doc._.items"], requires=["doc._.items"])
def make_reason_rules(nlp: Language, name: str) -> ReasonRules:
    """Build the rule-based reason finder (patterns: ``data/reasons_patterns.json``)."""
    return ReasonRules(nlp, name)
