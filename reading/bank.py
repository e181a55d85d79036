"""The question bank: questions written blind from the measures' texts, each labelled with what the texts say.

`eval/bank/<writer>.jsonl` holds one writer's questions (schema: `eval/bank/SCHEMA.md`, the brief the writers
had); `eval/bank/splits.yaml` puts each writer in one part: `train` (the learned reading is fitted on it),
`calibration` (its confidence is calibrated on it), `held_out` (reported on, never trained or tuned on) or `final`
(written by a new writer after the reader and its calibration were frozen, scored once).
Splitting by writer keeps a writer's habits out of the part that measures them.

    from reading.bank import load_bank
    train = load_bank("train")          # BankItems, conversations' turns in order
    item.combined_verdict               # what a user who names no measure should be told
    item.to_gold()                      # the eval/gold.py schema, for the benchmark
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

BANK = Path(__file__).resolve().parents[1] / "eval" / "bank"
SPLITS = ("train", "calibration", "held_out", "final")
FORMS = ("yesno", "factual", "list", "compare", "temporal", "consequence", "reason")
SCOPES = ("in", "near", "other_place", "other_personnel", "other_law", "off_topic", "injection", "task")
OUT = frozenset(SCOPES) - {"in", "near"}
SIDES = ("auxiliary", "agency", "officer", "candidate", "government", "public")
POLARITIES = ("does", "omits")
MODALS = ("may", "must", "status")
MANNERS = ("alone", "with_officer", "unspecified")
VERDICTS = ("yes", "no", "conditional", "not_addressed")
UNITS = ("age", "day", "education", "other")
STRICTNESS = {"no": 0, "conditional": 1, "yes": 2, "not_addressed": 3}
# the eval/gold.py type of each form, for the benchmark
GOLD_TYPE = {"yesno": "yesno_duty", "factual": "factual", "list": "list", "compare": "compare",
             "temporal": "temporal", "consequence": "factual", "reason": "factual"}


class BankError(ValueError):
    """A bank line that breaks the schema."""


@dataclass(frozen=True)
class BankItem:
    """One question and its labels. A conversation's turn also carries its conversation, its number and the
    questions before it; `follows_up` says whether it leans on them."""

    id: str
    writer: str
    question: str
    lang: str
    names: str | None  # the measure the question names, "both", or None
    form: str
    scope: str
    side: str | None
    polarity: str | None
    modal: str | None
    manner: str | None
    number: dict | None
    refs: dict[str, tuple[str, ...]]  # per measure, the provisions that settle it, the deciding one first
    verdict: dict[str, str | None] | None  # per measure, for yes/no questions in or near scope
    situation: bool
    note: str = ""
    conversation: str | None = None
    turn: int | None = None
    follows_up: bool = False
    history: tuple[str, ...] = ()  # the earlier turns' questions
    source: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def in_scope(self) -> bool:
        return self.scope == "in"

    @property
    def out_of_scope(self) -> bool:
        return self.scope in OUT

    @property
    def yesno(self) -> bool:
        return self.form == "yesno" and self.verdict is not None

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures the question is about: the one it names, or every one that has labels."""
        if self.names in self.refs:
            return (self.names,)
        return tuple(self.refs)

    @property
    def combined_verdict(self) -> str | None:
        """The verdict a user should get: the named measure's, else the stricter of those that speak (no, then
        conditional, then yes); not_addressed when none does."""
        if not self.yesno:
            return None
        if self.names in self.verdict:
            return self.verdict[self.names]
        spoken = [v for v in self.verdict.values() if v not in (None, "not_addressed")]
        return min(spoken, key=STRICTNESS.get) if spoken else "not_addressed"

    @property
    def deciding(self) -> str | None:
        """The measure whose provision decides: the named one; for a yes/no question the stricter measure that
        speaks; otherwise the first measure with a reference."""
        if self.names in self.refs:
            return self.names
        if self.yesno:
            verdict = self.combined_verdict
            for m in self.refs:
                if self.verdict.get(m) == verdict and self.refs[m]:
                    return m
        return next((m for m in self.refs if self.refs[m]), None)

    @property
    def primary(self) -> str | None:
        """The deciding provision, item level."""
        m = self.deciding
        return self.refs[m][0] if m and self.refs[m] else None

    def to_gold(self) -> dict:
        """This item in the eval/gold.py schema: article-level gold references (the deciding measure's first),
        the combined verdict, the earlier turns as history. A near-scope yes/no question expects not_addressed;
        any other question outside what the texts settle expects a decline."""
        from corpus import Ref

        def article(ref: str) -> str:
            return str(Ref.parse(ref).article_ref)

        expects_decline = self.out_of_scope or (self.scope == "near" and not self.yesno)
        every = [article(r) for m in self.refs for r in self.refs[m]]
        gold: list[str] = []
        if self.in_scope:
            first = self.deciding
            gold = [article(self.refs[first][0])] if first and self.refs.get(first) else []  # a named measure may be silent
            if self.yesno and self.names not in self.refs:  # each measure that speaks is to be cited
                gold += [article(self.refs[m][0]) for m in self.refs
                         if m != first and self.refs[m] and self.verdict.get(m) not in (None, "not_addressed")]
        gold = list(dict.fromkeys(gold))
        acceptable = [r for r in dict.fromkeys(every) if r not in gold]
        return {"id": self.id, "question": self.question, "lang": self.lang,
                "measure": self.names, "type": "out_of_scope" if expects_decline else GOLD_TYPE[self.form],
                "gold_refs": gold, "acceptable_refs": acceptable, "verdict": self.combined_verdict,
                "key_facts": [], "rationale": self.note or self.scope, "colloquial": self.situation,
                "history": list(self.history)}


def problems(row: dict, known: set[str] | None = None) -> list[str]:
    """What is wrong with one bank line (empty when it is legal). `known`: the references that exist."""
    bad = []
    for name in ("id", "writer", "question", "lang", "form", "scope", "refs", "situation"):
        if name not in row:
            bad.append(f"missing {name}")
    if bad:
        return bad
    if not isinstance(row["question"], str) or not row["question"].strip():
        bad.append("empty question")
    checks = (("lang", ("zh", "en")), ("form", FORMS), ("scope", SCOPES), ("side", (*SIDES, None)),
              ("names", ("taixing", "hebei", "both", None) if known is None else
               (*{r.split(":")[0] for r in known}, "both", None)))
    bad += [f"{name} {row.get(name)!r}" for name, legal in checks if row.get(name) not in legal]
    yesno = row["form"] == "yesno"
    for name, legal in (("polarity", POLARITIES), ("modal", MODALS), ("manner", MANNERS)):
        value = row.get(name)
        if yesno and value not in legal or not yesno and value is not None:
            bad.append(f"{name} {value!r} for form {row['form']}")
    number = row.get("number")
    if number is not None and not (isinstance(number, dict) and isinstance(number.get("value"), (int, float))
                                   and number.get("unit") in UNITS):
        bad.append(f"number {number!r}")
    refs = row["refs"]
    if not isinstance(refs, dict) or not all(isinstance(v, list) for v in refs.values()):
        return bad + ["refs is not {measure: [...]}"]
    for m, lst in refs.items():
        for r in lst:
            if not str(r).startswith(f"{m}:"):
                bad.append(f"{r} under {m}")
            elif known is not None and r not in known:
                bad.append(f"unknown reference {r}")
    verdict = row.get("verdict")
    if yesno and row["scope"] in ("in", "near"):
        if not isinstance(verdict, dict) or set(verdict) != set(refs):
            bad.append("a yes/no question in or near scope needs a verdict per measure")
        else:
            for m, v in verdict.items():
                if v is not None and v not in VERDICTS:
                    bad.append(f"verdict {m} {v!r}")
                if v not in (None, "not_addressed") and not refs[m]:
                    bad.append(f"verdict {m}={v} without a reference")
            if row["scope"] == "near" and any(v not in (None, "not_addressed") for v in verdict.values()):
                bad.append("near scope with a verdict other than not_addressed")
            if row["scope"] == "in" and all(v in (None, "not_addressed") for v in verdict.values()):
                bad.append("in scope but no measure settles it")
    elif verdict is not None:
        bad.append("a verdict on a question that is not yes/no in or near scope")
    if row["scope"] == "in" and not any(refs.values()):
        bad.append("in scope without a reference")
    if row["scope"] in OUT and any(refs.values()):
        bad.append(f"scope {row['scope']} with references")
    if not isinstance(row["situation"], bool):
        bad.append("situation is not a boolean")
    return bad


def _item(row: dict, history: tuple[str, ...]) -> BankItem:
    known = set(BankItem.__dataclass_fields__)
    return BankItem(
        id=row["id"], writer=row["writer"], question=row["question"], lang=row["lang"], names=row.get("names"),
        form=row["form"], scope=row["scope"], side=row.get("side"), polarity=row.get("polarity"),
        modal=row.get("modal"), manner=row.get("manner"), number=row.get("number"),
        refs={m: tuple(v) for m, v in row["refs"].items()}, verdict=row.get("verdict"),
        situation=row["situation"], note=row.get("note", ""), conversation=row.get("conversation"),
        turn=row.get("turn"), follows_up=bool(row.get("follows_up")), history=history,
        source=row.get("source"), extra={k: v for k, v in row.items() if k not in known})


def json_lines(path: Path):
    """(line number, object) for each non-blank line of a JSON Lines file; a line that is not JSON gives its
    json.JSONDecodeError in place of the object."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield number, error


def read_file(path: Path) -> list[BankItem]:
    """One writer's file, conversations' turns given their history; a line that breaks the schema raises
    BankError naming it."""
    items, earlier = [], {}
    for number, row in json_lines(path):
        if isinstance(row, json.JSONDecodeError):
            raise BankError(f"{path.name}:{number}: not JSON ({row})")
        found = problems(row)
        if found:
            raise BankError(f"{path.name}:{number} {row.get('id', '?')}: {'; '.join(found)}")
        conversation = row.get("conversation")
        history = tuple(earlier.get(conversation, ())) if conversation else ()
        if conversation:
            earlier.setdefault(conversation, []).append(row["question"])
        items.append(_item(row, history))
    return items


@cache
def splits(folder: Path = BANK) -> dict[str, tuple[str, ...]]:
    """Each part's writers, from splits.yaml."""
    data = yaml.safe_load((folder / "splits.yaml").read_text(encoding="utf-8"))
    return {part: tuple(data.get(part) or ()) for part in SPLITS}


def part_of(writer: str, folder: Path = BANK) -> str:
    for part, writers in splits(folder).items():
        if writer in writers:
            return part
    raise BankError(f"writer {writer} is in no part of splits.yaml")


@cache
def _load_all(folder: Path) -> tuple[BankItem, ...]:
    items = []
    for path in sorted(folder.glob("*.jsonl")):
        items += read_file(path)
    return tuple(items)


def load_bank(part: str | None = None, folder: Path = BANK) -> list[BankItem]:
    """The bank's items (one part, one writer's, or all), in file order."""
    parts = splits(folder)
    writers_known = {w for names in parts.values() for w in names}
    if part is not None and part not in SPLITS and part not in writers_known:
        raise ValueError(f"part must be one of {', '.join(SPLITS)}, or a writer ({', '.join(sorted(writers_known))})")
    items = _load_all(folder)
    if part is None:
        return list(items)
    writers = set(parts[part]) if part in SPLITS else {part}
    return [item for item in items if item.writer in writers]


def bank_hash(folder: Path = BANK, part: str = "train") -> str:
    """A digest of one part's files and writers: the learned reading is rebuilt when what it was fitted on changes
    (and not when a part it is measured on grows)."""
    writers = splits(folder)[part]
    digest = hashlib.sha256(" ".join(writers).encode())
    for writer in sorted(writers):
        path = folder / f"{writer}.jsonl"
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


__all__ = ["BANK", "BankError", "BankItem", "FORMS", "MANNERS", "MODALS", "POLARITIES", "SCOPES", "SIDES", "SPLITS",
           "VERDICTS", "bank_hash", "load_bank", "part_of", "problems", "read_file", "splits"]
