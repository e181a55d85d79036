"""The YAML data files, parsed by libyaml's C loader where PyYAML has it: the rules and the lexicon are large
enough that the pure-Python loader cost most of a cold start's second."""
from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    """Like yaml.safe_load: plain data only, never arbitrary objects."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader
