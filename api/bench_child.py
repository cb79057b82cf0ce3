"""One size of `zhibiao bench`, in its own process: loads the engine exactly as the CLI does
(api.commands_recommend.load_engine) and prints one JSON line (evaluation.bench.child_main)."""

from __future__ import annotations

import sys
from pathlib import Path

from api.commands_recommend import load_engine
from api.settings import Settings
from evaluation.bench import child_main


def load_product_engine(home: Path, encoder_spec: str):
    return load_engine(Settings(home=home, encoder=encoder_spec), encoder_spec)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:], load_engine=load_product_engine))
