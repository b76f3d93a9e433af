"""project.yml: every file a command's script reads is one of its ``deps``.

``spacy project run`` re-runs a command only when a dep changed, so a missing dep means a
stale result (e.g. metrics from yesterday's rules). Checked statically, as far as that is
practical, for every command:

- each ``python scripts/X.py`` it runs, and each sibling script those import
  (``from evaluate import ...``), transitively;
- the ``--code`` file (``src/imr_nlp/register.py``) and the ``configs/*.cfg`` it names;
- every other path on its command lines that is not one of its outputs (inputs, corpus
  files, sample folders), unless an earlier line of the same command writes it;
- the package modules the scripts import (``from imr_nlp.scoring import ...``), and the
  package's data files (``src/imr_nlp/data``) when a script runs the shipped pipeline
  (``import imr_nlp`` then ``imr_nlp.load()``) or ``spacy assemble`` builds it;
- data files the scripts name (``"drugs.jsonl"`` in the package, ``generate_letters.json``
  beside the script) and existing default paths (``Path("corpus/splits.json")``,
  ``ROOT / "samples" / ...``).

A dep covers a path when it is the path or a folder holding it. Every dep exists or is
written by a command (or is a path the user fills, under ``annotation/``).
"""

from __future__ import annotations

import ast
import re
import shlex
from functools import cache
from pathlib import Path

import pytest
import srsly

ROOT = Path(__file__).resolve().parent.parent
PROJECT = srsly.read_yaml(ROOT / "project.yml")
COMMANDS = {c["name"]: c for c in PROJECT["commands"]}
OUTPUT_OPTIONS = {"--output", "-o", "--output-dir", "--markdown", "--json", "--csv", "--metrics"}
PROJECT_DIRS = ("configs/", "corpus/", "scripts/", "training/", "metrics/", "samples/", "src/", "annotation/", "docs/")


def _subst(text: str) -> str:
    return re.sub(r"\$\{vars\.(\w+)\}", lambda m: str(PROJECT["vars"][m.group(1)]), text)


def _covered(path: str, deps: list[str]) -> bool:
    path = path.rstrip("/")
    return any(path == d.rstrip("/") or path.startswith(d.rstrip("/") + "/") for d in deps)


@cache
def _script_facts(name: str) -> tuple[frozenset[str], frozenset[str], bool, frozenset[str]]:
    """(sibling scripts, imr_nlp modules, runs the shipped pipeline, named files) of scripts/<name>.py."""
    source = (ROOT / "scripts" / f"{name}.py").read_text(encoding="utf8")
    siblings, modules, runs_pipeline = set(), set(), False
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "imr_nlp":
                    runs_pipeline = True
                elif alias.name.startswith("imr_nlp."):
                    modules.add(alias.name)
                elif (ROOT / "scripts" / f"{alias.name}.py").exists():
                    siblings.add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "imr_nlp":
                modules.update(f"imr_nlp.{alias.name}" for alias in node.names)
            elif node.module.startswith("imr_nlp."):
                modules.add(node.module)
            elif (ROOT / "scripts" / f"{node.module}.py").exists():
                siblings.add(node.module)
    files = set()
    for literal in re.findall(r'"([\w./-]+\.(?:json|jsonl|cfg|txt))"', source):
        if "/" not in literal and (ROOT / "src/imr_nlp/data" / literal).is_file():
            files.add(f"src/imr_nlp/data/{literal}")
        elif "/" not in literal and (ROOT / "scripts" / literal).is_file():
            files.add(f"scripts/{literal}")
    for literal in re.findall(r'Path\("([\w./-]+)"\)', source):
        if "/" in literal and (ROOT / literal).exists():
            files.add(literal)
    for parts in re.findall(r'ROOT((?:\s*/\s*"[\w.-]+")+)', source):
        path = "/".join(re.findall(r'"([\w.-]+)"', parts))
        if "/" in path and (ROOT / path).exists():
            files.add(path)
    return frozenset(siblings), frozenset(modules), runs_pipeline, frozenset(files)


def _scripts_of(command: dict) -> set[str]:
    """Every script a command runs, with the sibling scripts they import (transitively)."""
    todo = [m.group(1) for line in command["script"] for m in re.finditer(r"python scripts/(\w+)\.py", line)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_script_facts(name)[0])
    return seen


def _module_path(module: str) -> str:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ROOT / "src" / Path(*parts[:n])
        if candidate.with_suffix(".py").is_file():
            return str(candidate.with_suffix(".py").relative_to(ROOT))
        if candidate.is_dir() and n > 1:
            return str((candidate / "__init__.py").relative_to(ROOT))
    raise AssertionError(f"no module {module}")


#: Reads the static check reports that a command does not do, and why.
NOT_READ = {
    "reasons-corpus": {
        "src/imr_nlp/data": "only the `show` subcommand runs the pipeline; `split` splits the rationale file",
        "corpus/splits.json": "read by `build`/`show`, not by `split`",
    },
}
#: The package's rule data (what ``src/imr_nlp/data`` stands for): JSON/JSONL files, config, weights.
RULE_DATA = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "src/imr_nlp/data").iterdir()
    if p.is_dir() and p.name != "__pycache__" or p.suffix in (".json", ".jsonl", ".cfg")
)


def _pipelines_with_rules() -> list[str]:
    """Outputs of ``spacy assemble``: pipelines holding the imr rule components."""
    return [
        _subst(o)
        for c in PROJECT["commands"]
        if any("spacy assemble" in line for line in c["script"])
        for o in c.get("outputs", [])
    ]


def _missing(command: dict) -> list[str]:
    deps = [_subst(d) for d in command.get("deps", [])]
    outputs = [_subst(o) for o in command.get("outputs", []) + command.get("outputs_no_cache", [])]
    need: dict[str, str] = {}  # path -> why
    written: list[str] = []
    run: list[str] = []
    for line in map(_subst, command["script"]):
        tokens = shlex.split(line)
        line_outputs = [tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t in OUTPUT_OPTIONS]
        for i, token in enumerate(tokens):
            if i and tokens[i - 1] in OUTPUT_OPTIONS or token in line_outputs:
                continue
            if re.fullmatch(r"scripts/\w+\.py", token):
                need[token] = "script run"
            elif token.startswith(PROJECT_DIRS) and not _covered(token, outputs) and not _covered(token, written):
                need[token] = "path on the command line"
        if tokens[:4] == ["python", "-m", "spacy", "assemble"]:
            need["src/imr_nlp/data"] = "spacy assemble builds the rule components"
        if tokens[:1] == ["python"] and re.fullmatch(r"scripts/\w+\.py", tokens[1]):
            name = Path(tokens[1]).stem
            run.append(name)
            pipeline = next((tokens[i + 1] for i, t in enumerate(tokens[:-1]) if t in ("--pipeline", "-p")), None)
            shipped = pipeline is None or _covered(pipeline, _pipelines_with_rules())
            if shipped and any(_script_facts(s)[2] for s in _scripts_of({"script": [line]})):
                need["src/imr_nlp/data"] = f"scripts/{name}.py (or a script it imports) runs the pipeline"
        written += line_outputs
    for name in run:  # files named by the scripts run (not by the helpers they import)
        for path in _script_facts(name)[3]:
            if not _covered(path, outputs):
                need[path] = f"named in scripts/{name}.py"
    for name in _scripts_of(command):
        need[f"scripts/{name}.py"] = "script (or imported by one)"
        for module in _script_facts(name)[1]:
            need[_module_path(module)] = f"imported by scripts/{name}.py"
    for path in NOT_READ.get(command.get("name", ""), {}):
        need.pop(path, None)
    if "src/imr_nlp/data" in need and not _covered("src/imr_nlp/data", deps):
        why = need.pop("src/imr_nlp/data")  # satisfied by the folder, or by each rule file not written here
        for path in RULE_DATA:
            if not _covered(path, written + outputs):
                need[path] = why
    return [f"{path} ({why})" for path, why in sorted(need.items()) if not _covered(path, deps)]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_deps_list_what_its_scripts_read(name):
    assert _missing(COMMANDS[name]) == []


def _made_by_a_command(path: str) -> bool:
    return any(
        _covered(path, [_subst(o)]) or _covered(_subst(o), [path])
        for c in PROJECT["commands"]
        for o in c.get("outputs", []) + c.get("outputs_no_cache", [])
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_deps_exist_or_are_made_by_a_command(name):
    for dep in map(_subst, COMMANDS[name].get("deps", [])):
        assert (ROOT / dep).exists() or _made_by_a_command(dep) or dep.startswith("annotation/"), dep


def test_the_check_finds_a_missing_dep():
    """The check is not vacuous: dropping a dep of a real command is reported."""
    command = COMMANDS["evaluate-rules"]
    for dep in ("scripts/evaluate_items.py", "src/imr_nlp/data", "corpus/items_gold.jsonl"):
        reduced = {**command, "deps": [d for d in command["deps"] if d != dep]}
        assert any(m.startswith(dep) for m in _missing(reduced)), dep
    generate = COMMANDS["generate"]
    reduced = {**generate, "deps": [d for d in generate["deps"] if d != "scripts/generate_letters.json"]}
    assert _missing(reduced) == ["scripts/generate_letters.json (named in scripts/generate_letters.py)"]
