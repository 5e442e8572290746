"""Reading inputs: formats, metadata, encodings, doc ids and every kind of bad input."""

import json

import pytest

from pipeline.extract import infer_date, normalise_date
from pipeline.read import UsageError, decode, read_inputs
from tests.conftest import SHARED


def _docs(*paths):
    return list(read_inputs([str(p) for p in paths]))


def test_txt_with_manifest_and_relative_doc_id(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("重庆增长25%。", encoding="utf-8")
    (tmp_path / "sub" / "manifest.csv").write_text(
        "file,title,published,source\na.txt,标题,2021-08-23,somewhere\n", encoding="utf-8")
    (doc,) = _docs(tmp_path)
    assert (doc.doc_id, doc.title, doc.published, doc.text) == ("sub/a", "标题", "2021-08-23", "重庆增长25%。")


def test_jsonl_fields_aliases_and_missing_id(tmp_path):
    path = tmp_path / "c.jsonl"
    lines = [
        {"id": "x1", "title": "t", "published": "2021-01-02", "text": "一。"},
        {"title": "t2", "date": "2020", "content": "二。"},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    first, second = _docs(path)
    assert (first.doc_id, first.published, first.text) == ("x1", "2021-01-02", "一。")
    assert (second.doc_id, second.published, second.text) == ("c:2", "2020", "二。")


def test_bom_and_gb18030_are_decoded(tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeff数字经济。".encode("utf-8"))
    (tmp_path / "gbk.txt").write_bytes("数字经济规模达6387亿元。".encode("gb18030"))
    bom, gbk = _docs(tmp_path)
    assert bom.text == "数字经济。"
    assert gbk.text == "数字经济规模达6387亿元。"


def test_shared_gb18030_sogou_dump_is_read():
    path = SHARED / "corpora" / "sogou-2012" / "original" / "news_tensite_xml.smarty.dat"
    docs = _docs(path)
    good = [doc for doc in docs if doc.error is None]
    assert len(good) > 100
    assert any("中国" in doc.text for doc in good)
    assert sum(bool(doc.published and doc.published.startswith("2012-")) for doc in good) > 100
    empty = [doc for doc in docs if doc.error]
    assert all("empty document" in doc.error and doc.error.startswith(str(path) + ": line ") for doc in empty)


def test_decode_rejects_garbage():
    with pytest.raises(UnicodeDecodeError):
        decode(b"\xff\xfe\xfa\xfb" * 10)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "line 1: empty document"),
        ("blank.txt", b"  \n\n ", "line 1: empty document"),
        ("binary.txt", bytes(range(256)) * 4, "binary content"),
        ("nul.txt", "数字\x00经济".encode("utf-8"), "binary content"),
        ("bad.txt", "第一行\n第二行".encode("utf-8") + b"\xff\xfe\xfa\xfb" * 3, "line 2: undecodable"),
    ],
)
def test_bad_txt_is_an_error_with_file_line_and_reason(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    (doc,) = _docs(tmp_path / name)
    assert doc.text is None
    assert str(tmp_path / name) in doc.error and reason in doc.error


def test_a_few_damaged_bytes_are_replaced_with_a_warning_naming_file_and_line(tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_bytes("第一行\n第二行".encode("utf-8") + b"\xff\xfe" + "第二行的其余部分都还在。".encode("utf-8"))
    (doc,) = _docs(path)
    assert doc.text == "第一行\n第二行\ufffd\ufffd第二行的其余部分都还在。"
    assert doc.warning == f"{path}: line 2: 2 damaged bytes of 57 replaced by U+FFFD (read as UTF-8)"


def test_bad_jsonl_lines_are_errors_and_good_lines_survive(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "ok", "text": "好。"}\n{broken\n{"id": "notext"}\n[1]\n{"id": "empty", "text": ""}\n',
                    encoding="utf-8")
    docs = _docs(path)
    assert [d.doc_id for d in docs] == ["ok", "mixed:2", "notext", "mixed:4", "empty"]
    assert docs[0].error is None
    assert "line 2: malformed JSON" in docs[1].error
    assert "line 3: no text" in docs[2].error
    assert "line 4: not a JSON object" in docs[3].error
    assert "line 5: empty document" in docs[4].error


def test_a_lone_surrogate_escape_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "ok", "text": "好。"}\n{"id": "bad", "text": "增长\\ud800 5%"}\n', encoding="utf-8")
    good, bad = _docs(path)
    assert good.error is None
    assert "line 2: invalid Unicode: lone surrogate U+D800" in bad.error


def test_missing_path_is_an_error(tmp_path):
    (doc,) = _docs(tmp_path / "nope.txt")
    assert "no such file" in doc.error


def test_doc_id_clash_is_a_usage_error_naming_both(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "same", "text": "一。"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "same", "text": "二。"}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="a.jsonl.*b.jsonl"):
        _docs(tmp_path)


def test_input_order_does_not_matter(tmp_path):
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(name + "。", encoding="utf-8")
    forward = [d.doc_id for d in _docs(tmp_path / "a.txt", tmp_path / "b.txt")]
    backward = [d.doc_id for d in _docs(tmp_path / "b.txt", tmp_path / "a.txt")]
    assert forward == backward == ["a", "b"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021-08-23", "2021-08-23"), ("2021/8/3", "2021-08-03"), ("2021年8月23日", "2021-08-23"),
     ("20120607", "2012-06-07"), ("2024", "2024"), ("２０２１年８月", "2021-08"), ("soon", None), (None, None)],
)
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_infer_date_from_text_and_title():
    assert infer_date(None, "本报讯 2021年8月23日，智博会开幕。") == "2021-08-23"
    assert infer_date(None, "一九七八年二月二十六日在第五届全国人民代表大会上") == "1978-02-26"
    assert infer_date("2024年政府工作报告", "各位代表：") == "2024"
    assert infer_date(None, "没有日期。") is None
