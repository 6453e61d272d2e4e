"""Every text the pages show is in the catalogue, in Vietnamese and in English: each key a
template or a page's code names (and each key a template builds from the vocabulary:
outcomes, kinds of task, roles, nominee kinds, documents…) exists, is non-empty in both
languages, and takes the same values in both."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import get_args

import pytest
from jinja2 import nodes

from api.schemas import Document
from api.web.catalogue import LANGUAGES, MESSAGES, message
from api.web.session import HERE, templates
from domain.person import GENDERS, SOURCES
from domain.person import KINDS as PERSON_KINDS
from domain.policy import NOMINEE_KINDS, PROCEDURES
from domain.vocabulary import (
    AppraisalConclusion,
    ConsultationAnswer,
    DecisionOutcome,
    ObjectionOutcome,
    ReviewOutcome,
    Role,
    Status,
    TaskKind,
)
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import BUNDLED_POLICY

DOCUMENT_KINDS = get_args(Document.model_fields["kind"].annotation)
LEVELS = sorted({level for policy in load_policy_book(BUNDLED_POLICY).versions
                 for level in policy.levels} | {"central"})

BUILT: dict[str, list[str]] = {  # what a template puts after a key's prefix, every value
    "review.": ["members", "present", "for", "against", "abstain", "written_for",
                "written_against"],
    "outcome.": [*ReviewOutcome, *DecisionOutcome, *ObjectionOutcome],
    "task.kind.": list(TaskKind),
    "due.": ["overdue", "soon"],
    "doc.": list(DOCUMENT_KINDS),
    "nominee.": list(NOMINEE_KINDS),
    "procedure.": list(PROCEDURES),
    "level.": LEVELS,
    "role.": list(Role),
    "rule.": ["more_than", "at_least"],
    "person.kind.": list(PERSON_KINDS),
    "person.gender.": list(GENDERS),
    "person.source.": list(SOURCES),
    "inside.conclusion.": list(AppraisalConclusion),
    "inside.answer.": ["", *ConsultationAnswer],
    "movements.status.": ["open", "closed"],
}


def _keys_in(template: str) -> tuple[set[str], set[str]]:
    """The keys ``t(…)`` names in a template, and the prefixes it builds keys from."""
    source = (HERE / "templates" / template).read_text(encoding="utf-8")
    tree = templates.env.parse(source)
    named, built = set(), set()
    for call in tree.find_all(nodes.Call):
        callee = call.node
        is_t = (isinstance(callee, nodes.Name) and callee.name == "t") or (
            isinstance(callee, nodes.Getattr) and callee.attr == "t")
        if not is_t or not call.args:
            continue
        key = call.args[0]
        if isinstance(key, nodes.Const):
            named.add(str(key.value))
        elif isinstance(key, nodes.Concat) and isinstance(key.nodes[0], nodes.Const):
            built.add(str(key.nodes[0].value))
        else:
            raise AssertionError(f"{template}: a key built in a way this test cannot follow")
    return named, built


TEMPLATES = sorted(p.name for p in (HERE / "templates").glob("*.html"))
PREFIXES = {key.split(".", 1)[0] for key in MESSAGES}


def _keys_in_code() -> set[str]:
    """Every string of the pages' code that looks like a key of the catalogue: dotted,
    with a prefix the catalogue uses ("flash.reviewed", "error.bad_date"…)."""
    found = set()
    for module in HERE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if (isinstance(text, str) and re.fullmatch(r"[a-z_]+\.[a-z_.]*[a-z_]", text)
                    and text.split(".", 1)[0] in PREFIXES
                    and not text.endswith((".html", ".py", ".css"))):
                found.add(text)
    return found


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_key_a_template_uses_is_in_both_languages(template: str) -> None:
    named, built = _keys_in(template)
    for prefix in built:
        assert prefix in BUILT, f"{template} builds keys from '{prefix}': list its values"
        named |= {f"{prefix}{value}" for value in BUILT[prefix]}
    for key in named:
        _in_both_languages(key)


def test_every_key_the_pages_code_uses_is_in_both_languages() -> None:
    keys = _keys_in_code()
    assert {"flash.reviewed", "meeting.none", "error.bad_date", "proposal.kind_unknown"} <= keys
    for key in keys:
        _in_both_languages(key)


def test_every_catalogue_entry_says_the_same_in_both_languages() -> None:
    """Same values to fill in; Vietnamese differs from English (nothing left untranslated
    but names that are the same in both)."""
    same_in_both = {"pager.showing", "proposal.row_error"}
    for key, (vi, en) in MESSAGES.items():
        assert vi.strip() and en.strip(), key
        assert _fields(vi) == _fields(en), key
        if key not in same_in_both:
            assert vi != en, f"{key} is not translated"


def test_statuses_and_outcomes_have_names_in_both_languages() -> None:
    from api import labels

    for status in Status:
        vi, en = labels.STATUS[status]
        assert vi and en and vi != en
    for lang in LANGUAGES:
        assert message("outcome.upheld", lang)


def _in_both_languages(key: str) -> None:
    assert key in MESSAGES, f"'{key}' is not in the catalogue"
    for lang in LANGUAGES:
        assert message(key, lang, **{f: "x" for f in _fields(MESSAGES[key][0])}).strip(), (
            key, lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_this_test_reads_the_templates_it_should() -> None:
    named, built = _keys_in("inbox.html")
    assert "inbox.title" in named and "task.kind." in built
    assert Path(HERE / "templates" / "dossier.html").exists()
