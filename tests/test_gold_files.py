"""Every gold claims file passes its validator (tests/gold/check_gold.py): columns, unique
snippets, values, allowed dimensions (the rules' own, rates included), bounds, modalities, times."""

import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("folder", ["gold", "gold_blind/dev", "gold_blind/test"])
def test_gold_folder_is_valid(folder):
    result = subprocess.run([sys.executable, str(TESTS / "gold" / "check_gold.py"), str(TESTS / folder)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
