import json
from pathlib import Path

import yaml

HERE = Path(__file__).parent


def load_config():
    # Safe: a local file parsed with safe_load.
    with open(HERE / "config.yaml") as handle:
        return yaml.safe_load(handle)


def load_defaults():
    return json.loads((HERE / "defaults.json").read_text())
