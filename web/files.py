"""Files the app writes for download (handouts, conversation exports): one managed folder, a fresh subfolder per
export, and exports older than EXPORT_TTL removed whenever a new one is written, so nothing piles up in /tmp."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

EXPORT_TTL = 3600.0  # seconds a download stays available
PREFIX = "export-"


def export_root() -> Path:
    """FAGUI_EXPORT_DIR, or fagui-exports in the system's temporary folder."""
    return Path(os.environ.get("FAGUI_EXPORT_DIR") or Path(tempfile.gettempdir()) / "fagui-exports")


def clean(root: Path | None = None, now: float | None = None) -> int:
    """Remove exports older than EXPORT_TTL; returns how many were removed."""
    root, now = root or export_root(), now or time.time()
    removed = 0
    for folder in root.glob(PREFIX + "*") if root.is_dir() else ():
        try:
            if now - folder.stat().st_mtime > EXPORT_TTL:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


def write_export(name: str, files: dict[str, str]) -> list[str]:
    """Write NAME.EXT for each extension and text in a fresh subfolder of the export root; returns the paths."""
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    clean(root)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "export"
    paths = []
    for extension, text in files.items():
        path = folder / f"{safe}.{extension}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths
