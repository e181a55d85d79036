"""The writers' kit (reading/kit.py): the standalone checker applies the bank's rules, and a writer's files join the
bank only when every line keeps them."""
import json
import subprocess
import sys

import pytest

from reading.bank import BANK, BankError
from reading.kit import import_writer, make_kit

LINE = json.loads((BANK / "f33.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return make_kit(tmp_path_factory.mktemp("kit"))


def writer(kit, name, rows):
    folder = kit / name
    folder.mkdir()
    (folder / "items-01.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")
    return folder


def check(folder):
    return subprocess.run([sys.executable, str(folder.parent / "common" / "validate.py"), "."], cwd=folder,
                          capture_output=True, text=True)


def test_the_kit_holds_the_texts_the_provisions_and_the_schema(kit):
    assert {p.name for p in (kit / "texts").iterdir()} == {"hebei.txt", "taixing.txt"}
    provisions = (kit / "provisions.md").read_text(encoding="utf-8")
    assert "`taixing:10(3)`" in provisions and "`taixing:10`" not in provisions  # items, never a list's lead
    assert (kit / "SCHEMA.md").read_text(encoding="utf-8") == (BANK / "SCHEMA.md").read_text(encoding="utf-8")


def test_the_checker_passes_a_legal_line_and_names_what_is_wrong(kit, tmp_path):
    row = {k: v for k, v in LINE.items() if k != "writer"}
    good = check(writer(kit, "k1", [row, {**row, "id": "k1-0002"}]))
    assert good.returncode == 0 and "2 questions, 0 problems" in good.stdout
    lead = {**row, "refs": {**row["refs"], "hebei": ["hebei:9"]}}
    bad = check(writer(kit, "k2", [lead, {**row, "form": "riddle"}, row]))
    assert bad.returncode == 1
    assert "hebei:9 is a list's lead" in bad.stdout and "form 'riddle'" in bad.stdout and "used twice" in bad.stdout


def test_a_writer_joins_the_bank_only_when_every_line_keeps_the_schema(kit, tmp_path):
    row = {k: v for k, v in LINE.items() if k != "writer"}
    target = import_writer(writer(kit, "k3", [row]), tmp_path)
    assert [json.loads(line)["writer"] for line in target.read_text(encoding="utf-8").splitlines()] == ["k3"]
    with pytest.raises(BankError, match="unknown reference hebei:99"):
        import_writer(writer(kit, "k4", [{**row, "refs": {**row["refs"], "hebei": ["hebei:99"]}}]), tmp_path)
    assert not (tmp_path / "k4.jsonl").exists()
    broken = writer(kit, "k5", [row])
    (broken / "items-02.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(BankError, match="items-02.jsonl:1: not JSON"):
        import_writer(broken, tmp_path)
