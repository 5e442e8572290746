"""Layout repair and sentence splitting, on the seed and on small damaged texts."""

from pipeline.repair import prepare_text


def _texts(doc, kind=None):
    return [s.text for s in doc.sentences if kind is None or s.kind == kind]


def test_word_split_across_blank_line_is_rejoined(seed_prepared):
    joined = [t for t in _texts(seed_prepared) if "树根互联等知名工业互联网平台纷纷布局" in t]
    assert len(joined) == 1
    assert not any(t.endswith("等知") for t in _texts(seed_prepared))


def test_caption_inside_sentence_becomes_its_own_sentence(seed_prepared):
    body = [t for t in _texts(seed_prepared, "body") if "得益于订单放量、高附加值产品增多" in t]
    assert body == ["而作为重庆工业经济另一支柱的电子信息产业，得益于订单放量、高附加值产品增多等利好因素支撑，"
                    "上半年全市电子信息产业增加值同比增长33%。"]
    captions = _texts(seed_prepared, "caption")
    assert "▲重庆金康赛力斯两江智能工厂高度自动化的生产线，超1000台机器挑起造车“大梁”。" in captions
    assert not any("▲" in t for t in _texts(seed_prepared, "body"))


def test_credits_captions_and_headings(seed_prepared):
    assert _texts(seed_prepared, "credit") == ["崔力/摄", "苏思/摄"]
    assert _texts(seed_prepared, "caption")[0] == "渝中半岛。"
    assert _texts(seed_prepared, "caption")[-1].startswith("在朝天门码头长江和嘉陵江的交汇处")
    headings = _texts(seed_prepared, "heading")
    for heading in ("赋能经济发展 实现互利共赢", "——上合数字经济论坛 2021智博会开幕", "“智慧树”遍地开花结硕果",
                    "创新驱动产业“蝶变”", "智博会“红利”触手可及", "开放姿态实现互利共赢"):
        assert heading in headings


def test_seed_sentence_boundaries(seed_prepared):
    texts = _texts(seed_prepared)
    assert "截至目前，重庆数字经济企业达1.85万家；" in texts
    assert "2020年数字经济规模达6387亿元，占GDP比重提升至25.5%。" in texts
    assert "三年来，重庆实施智能化改造项目3485个，建设智能工厂105个，数字化车间574个。" in texts
    assert "7月19日，上汽红岩正式进入俄罗斯市场……" in texts
    assert len(texts) == 69


def test_sentence_raw_spans_cover_their_text(seed_prepared, seed_raw):
    for sentence in seed_prepared.sentences:
        raw = seed_raw[sentence.start:sentence.end]
        assert raw.startswith(sentence.text[0]) and raw.endswith(sentence.text[-1])
        if sentence.kind != "body" or "\n" not in raw:
            assert raw == sentence.text
    starts = [s.start for s in seed_prepared.sentences]
    assert starts == sorted(starts)


def test_offset_map_points_every_char_to_raw(seed_prepared, seed_raw):
    doc = seed_prepared
    for i, char in enumerate(doc.text):
        if char != "\n":
            assert seed_raw[doc.offsets[i]] == char


def test_closing_quotes_stay_and_decimals_do_not_split():
    doc = prepare_text("他说：“增长了25.5%。”随后离开。第1.2条不拆分！真的？")
    assert _texts(doc) == ["他说：“增长了25.5%。”", "随后离开。", "第1.2条不拆分！", "真的？"]


def test_enumerations_and_ellipsis():
    doc = prepare_text("一、总体要求\n\n（一）坚持稳中求进。包括1. 2. 3.三项……\n下一段")
    assert _texts(doc) == ["一、总体要求", "（一）坚持稳中求进。", "包括1. 2. 3.三项……", "下一段"]


def test_unfinished_line_without_caption_is_joined():
    raw = "今年上半年，全市工业增加值同比增长，其中电子信息产\n\n业增长33%。"
    doc = prepare_text(raw)
    assert _texts(doc) == ["今年上半年，全市工业增加值同比增长，其中电子信息产业增长33%。"]
    sentence = doc.sentences[0]
    assert (sentence.start, sentence.end) == (0, len(raw))


def test_crlf_and_fullwidth_indent():
    doc = prepare_text("\u3000\u3000第一段。\r\n\u3000\u3000第二段。\r\n")
    assert _texts(doc) == ["第一段。", "第二段。"]
    assert all(doc.raw[s.start:s.end] == s.text for s in doc.sentences)


def test_newlines_escaped_as_text_break_lines():
    """A JSON export escaped twice writes a newline as the two characters \\n (the BosonNLP paragraphs)."""
    doc = prepare_text("第一段结束了。\\n\\n占比达到20%。路径C:\\data不变。")
    assert _texts(doc) == ["第一段结束了。", "占比达到20%。", "路径C:\\data不变。"]
    assert all(doc.raw[s.start:s.end] == s.text for s in doc.sentences)


def test_a_caption_runs_on_into_the_story_after_its_credit():
    raw = "图为主任医师讲述当时被打的情景。亚心网记者\u3000李铁军\u3000摄“我没想到他说着说着就打了我一拳。”６月６日，她说。"
    doc = prepare_text(raw)
    assert [s.kind for s in doc.sentences] == ["caption", "credit", "body", "body"]
    assert doc.sentences[2].text == "“我没想到他说着说着就打了我一拳。”"
