"""corpus.caches: a cache file is read back as written, an unreadable one reads as missing, and one that cannot be
written is no error."""
import marshal
import os
from pathlib import Path

from corpus.caches import read_marshalled, write_cache


def test_a_cache_is_read_back_as_written_and_nothing_half_written_is_left(tmp_path):
    path = tmp_path / "deeper" / "words.cache"
    write_cache(path, marshal.dumps(["辅助人员", "auxiliary"]))
    assert read_marshalled(path) == ["辅助人员", "auxiliary"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["words.cache"]


def test_a_missing_or_damaged_cache_reads_as_none(tmp_path):
    assert read_marshalled(tmp_path / "missing.cache") is None
    (tmp_path / "damaged.cache").write_bytes(b"\x00\xffnot marshal")
    assert read_marshalled(tmp_path / "damaged.cache") is None


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path):
    target = Path("/proc/fagui-cache/words.cache") if os.geteuid() == 0 else tmp_path / "locked" / "words.cache"
    if os.geteuid() != 0:
        (tmp_path / "locked").mkdir()
        (tmp_path / "locked").chmod(0o500)
    write_cache(target, b"x")  # root ignores file modes; /proc refuses new folders to everyone
    assert read_marshalled(target) is None
