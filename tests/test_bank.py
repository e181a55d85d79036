"""The question bank (eval/bank): every line against the schema, references that exist, legal labels, the parts
disjoint by writer with a held-out part of at least a fifth, and the helpers that read it."""
import json
from collections import Counter

import pytest

from corpus import load
from corpus.provisions import provisions
from reading.bank import BANK, SPLITS, load_bank, problems, splits

ROWS = [(path.stem, number, json.loads(line)) for path in sorted(BANK.glob("*.jsonl"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
KNOWN = {str(p.ref) for p in provisions().all if p.ref.measure in ("taixing", "hebei")}
LEAVES = {str(p.ref) for p in provisions().leaves()}


def test_the_bank_is_large_and_every_line_reads():
    assert len(ROWS) >= 8000
    assert len(load_bank()) == len(ROWS)


@pytest.mark.parametrize("writer", sorted({w for w, _, _ in ROWS}))
def test_every_line_keeps_the_schema_and_cites_provisions_that_exist(writer):
    bad = [f"{n} {row.get('id')}: {p}" for w, n, row in ROWS if w == writer for p in problems(row, KNOWN)]
    assert not bad, "\n".join(bad[:20])
    cited = {r for w, _, row in ROWS if w == writer for refs in row["refs"].values() for r in refs}
    assert cited <= LEAVES, f"a list's lead or an article with items is cited: {sorted(cited - LEAVES)[:5]}"


def test_ids_are_unique_and_lines_name_their_writer():
    counts = Counter(row["id"] for _, _, row in ROWS)
    assert not [i for i, n in counts.items() if n > 1]
    assert all(row["writer"] == writer for writer, _, row in ROWS)


def test_conversations_are_numbered_and_lean_only_after_their_first_turn():
    turns: dict[str, list[dict]] = {}
    for _, _, row in ROWS:
        if "conversation" in row:
            turns.setdefault(row["conversation"], []).append(row)
    assert len(turns) >= 300
    for cid, rows in turns.items():
        assert [r["turn"] for r in rows] == list(range(1, len(rows) + 1)), cid
        assert not rows[0]["follows_up"], cid


def test_the_parts_are_disjoint_by_writer_and_the_held_out_part_is_a_fifth_or_more():
    parts = splits()
    writers = [w for part in SPLITS for w in parts[part]]
    assert len(writers) == len(set(writers)), "a writer in two parts"
    assert set(writers) == {w for w, _, _ in ROWS}, "every writer is in one part"
    assert len(load_bank("held_out")) >= 0.2 * len(ROWS)


def test_the_bank_covers_what_the_issue_asks():
    items = load_bank()
    assert len({i.writer for i in items}) >= 8
    assert sum(i.lang == "en" for i in items) >= 0.35 * len(items)
    assert sum(not i.in_scope for i in items) >= 1500
    assert len({i.source for i in items if i.source}) >= 150
    conduct = [str(p.ref) for p in provisions().leaves() if p.ref.measure in ("taixing", "hebei")
               and p.modality not in ("purpose", "scope", "term", "definition")]
    situations = Counter(i.refs[m][0] for i in items if i.situation and not i.conversation for m in i.refs if i.refs[m])
    assert min(situations[ref] for ref in conduct) >= 25


def test_a_combined_verdict_is_the_stricter_of_the_measures_that_speak():
    row = next(r for _, _, r in ROWS if r["form"] == "yesno" and r["names"] is None and r["scope"] == "in"
               and set((r["verdict"] or {}).values()) == {"no", "conditional"})
    item = next(i for i in load_bank() if i.id == row["id"])
    assert item.combined_verdict == "no"
    gold = item.to_gold()
    assert gold["type"] == "yesno_duty" and gold["verdict"] == "no" and gold["gold_refs"]
    assert all(load().exists(ref) for ref in gold["gold_refs"] + gold["acceptable_refs"])


def test_a_line_that_breaks_the_schema_is_named():
    row = dict(ROWS[0][2], verdict={"taixing": "maybe", "hebei": None}, form="yesno", scope="in")
    assert any("maybe" in p for p in problems(row, KNOWN))


def test_one_writers_lines_load_by_name():
    items = load_bank("w01")
    assert items and {i.writer for i in items} == {"w01"}
    with pytest.raises(ValueError, match="writer"):
        load_bank("nobody")


def test_every_line_reads_as_a_gold_item():
    """Including a question that names a measure which does not settle it (no reference expected from it)."""
    for item in load_bank():
        gold = item.to_gold()
        assert all(load().exists(ref) for ref in gold["gold_refs"] + gold["acceptable_refs"]), item.id
