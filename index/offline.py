"""Offline by construction. Imported first by the `index` package (and so by everything that loads a model
or serves the app): no code path may reach a model hub, and the app sends no analytics."""
import os

SETTINGS = {
    "HF_HUB_OFFLINE": "1",  # a model that is not on disk fails at once instead of downloading
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
os.environ.update(SETTINGS)
