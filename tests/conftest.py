"""Every test process keeps its records (question log, feedback) in a temporary folder, never in the project's
data folder; app processes the tests start inherit it."""
import os
import tempfile

os.environ.setdefault("FAGUI_DATA_DIR", tempfile.mkdtemp(prefix="fagui-test-data-"))
