"""Traditional → simplified folding: same length (offsets hold), simplified text untouched."""

from pathlib import Path

from pipeline import extract_text
from pipeline.script import to_simplified

ROOT = Path(__file__).resolve().parent.parent


def test_folding_keeps_length_and_simplified_text():
    assert to_simplified("一九五四年預計現代工業的總産值將等於一九四九年的四點二倍") == \
        "一九五四年预计现代工业的总产值将等于一九四九年的四点二倍"
    seed = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    assert to_simplified(seed) == seed
    assert to_simplified("显著的著作") == "显著的著作"  # 著 is a simplified character too


def test_a_traditional_report_reads_like_a_simplified_one():
    traditional = extract_text("一九五四年預計現代工業的總産值將等於一九四九年的四點二倍。", published="1954-09-23")
    simplified = extract_text("一九五四年预计现代工业的总产值将等于一九四九年的四点二倍。", published="1954-09-23")
    fields = [(c.metric, c.time, c.modality, c.time_rule, c.modality_rule) for c in traditional.claims]
    assert fields == [(c.metric, c.time, c.modality, c.time_rule, c.modality_rule) for c in simplified.claims]
    assert fields[0][1:3] == ("1954", "forecast")
    assert traditional.claims[0].text == "四點二倍"  # rows keep the text as written
