"""How far two writers agree on the bank's labels: a second writer labelled a sample of other writers' questions
blind (eval/bank/agreement/), and each field is compared on the questions both labelled (raw agreement and
Cohen's kappa). Disagreements were settled by the text; `settled` in a bank line records the change."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reading.bank import BANK, BankItem, load_bank, read_file

AGREEMENT = BANK / "agreement"
SCOPE3 = {"in": "in", "near": "near"}


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    n: int
    agree: float
    kappa: float | None


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two labellings of the same items."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second.get(k, 0) for k in first) / (n * n)
    return None if expected >= 1 else (observed - expected) / (1 - expected)


def article(ref: str | None) -> str | None:
    return ref.split("(")[0].split(".")[0] if ref else None


def values(item: BankItem) -> dict[str, str | None]:
    """The labels compared, as strings (None where a label does not apply)."""
    out = {"form": item.form, "scope": item.scope, "in/near/out": SCOPE3.get(item.scope, "out"),
           "names": str(item.names), "side": str(item.side)}
    if item.form == "yesno":
        out |= {"polarity": item.polarity, "modal": item.modal, "manner": item.manner}
    for m, refs in item.refs.items():
        if item.scope == "in" and refs:
            out[f"provision ({m})"] = refs[0]
            out[f"article ({m})"] = article(refs[0])
    if item.yesno:
        for m, v in item.verdict.items():
            if v is not None:
                out[f"verdict ({m})"] = v
        out["verdict (combined)"] = item.combined_verdict
    return out


def compare(first: list[BankItem], second: list[BankItem]) -> list[FieldAgreement]:
    """Field by field, over the items both label (a field counted where both give it a value)."""
    mine = {i.id: i for i in first}
    pairs: dict[str, list[tuple[str, str]]] = {}
    for other in second:
        if other.id not in mine:
            continue
        a, b = values(mine[other.id]), values(other)
        for name in a.keys() & b.keys():
            if a[name] is not None and b[name] is not None:
                pairs.setdefault(name, []).append((a[name], b[name]))
    order = ["form", "scope", "in/near/out", "names", "side", "polarity", "modal", "manner"]
    names = order + sorted(k for k in pairs if k not in order)
    return [FieldAgreement(k, len(pairs[k]), sum(a == b for a, b in pairs[k]) / len(pairs[k]), kappa(pairs[k]))
            for k in names if k in pairs]


def as_written(item: BankItem) -> BankItem:
    """The item with the labels its writer gave, before a disagreement was settled by the text."""
    from dataclasses import replace

    was = (item.extra.get("settled") or {}).get("was") or {}
    changes = {k: ({m: tuple(v) for m, v in value.items()} if k == "refs" else value) for k, value in was.items()}
    return replace(item, **changes) if changes else item


def report(folder: Path = AGREEMENT) -> str:
    """Per second writer, each field's agreement with the labels as first written, and after settling."""
    bank = load_bank()
    written = [as_written(i) for i in bank]
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        second = read_file(path)
        settled = sum(1 for i in bank if i.extra.get("settled") and i.id in {o.id for o in second})
        out += [f"{path.stem}: {len(second)} questions labelled again, blind; {settled} settled by the text", "",
                "| field | items | agreement as written | Cohen's kappa | after settling |", "|---|---|---|---|---|"]
        after = {f.field: f for f in compare(bank, second)}
        for f in compare(written, second):
            k = "–" if f.kappa is None else f"{f.kappa:.2f}"
            later = after.get(f.field)
            out.append(f"| {f.field} | {f.n} | {f.agree:.3f} | {k} | {later.agree:.3f} |" if later else
                       f"| {f.field} | {f.n} | {f.agree:.3f} | {k} | – |")
    return "\n".join(out)


__all__ = ["FieldAgreement", "compare", "kappa", "report"]
