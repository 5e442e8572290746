"""The quantities stage on the seed check, the Chinese numeral forms and the conventions."""

import pytest

from pipeline.quantities import (RULES, QuantityMatch, find_quantities, load_scores, parse_numeral, scan_quantities,
                                 unit_uses)


def one(text: str) -> QuantityMatch:
    found = scan_quantities(text)
    assert len(found) == 1, (text, found)
    return found[0]


def _find(quantities, needle: str) -> list:
    return [q for q in quantities if needle in q.text]


# (substring of the span, value, unit, dimension, bound) — the 16-item seed check
SEED_CHECK = [
    ("3485个", 3485, "count", "count", "exact"),
    ("1.85万家", 18500, "count", "count", "exact"),
    ("6387亿元", 638700000000, "CNY", "currency", "exact"),
    ("25.5%", 25.5, "%", "percent", "exact"),
    ("7万平方米", 70000, "m2", "area", "exact"),
    ("超1000台", 1000, "count", "count", "lower"),
    ("近30个", 30, "count", "count", "upper"),
    ("100余项", 100, "count", "count", "lower"),
    ("2200万人", 22000000, "count", "count", "lower"),
    ("31亿次", 3100000000, "count", "count", "exact"),
    ("372亿元", 37200000000, "CNY", "currency", "exact"),
    ("3400平方米", 3400, "m2", "area", "exact"),
    ("近一倍", 1, "x", "multiple", "upper"),
    ("前10位", 10, "rank", "rank", "upper"),
    ("20周年", 20, "a", "duration", "exact"),
]

SEED_NON_QUANTITIES = ["5G", "8K", "3D", "CS75PLUS", "UNI-K", "坦克300", "百人会", "三位一体", "双循环", "五彩",
                       "之一", "一批", "一块块", "毫米级", "首届", "8月23日", "2018年", "7月19日", "三年",
                       "一网统管", "2021中国", "2021智博会"]


@pytest.fixture(scope="module")
def seed_quantities(seed_prepared):
    return find_quantities(seed_prepared)


@pytest.mark.parametrize("needle,value,unit,dimension,bound", SEED_CHECK)
def test_seed_check(seed_quantities, needle, value, unit, dimension, bound):
    hits = _find(seed_quantities, needle)
    assert len(hits) == 1, (needle, hits)
    q = hits[0]
    assert (q.value, q.unit, q.dimension, q.bound) == (value, unit, dimension, bound)


def test_seed_three_growth_rates(seed_quantities):
    rates = [q for q in seed_quantities if q.text in ("25%", "47%", "29%")]
    assert [(q.value, q.unit) for q in rates] == [(25, "%"), (47, "%"), (29, "%")]


@pytest.mark.parametrize("word", SEED_NON_QUANTITIES)
def test_seed_non_quantities(seed_raw, seed_quantities, word):
    assert word in seed_raw
    for start in [i for i in range(len(seed_raw)) if seed_raw.startswith(word, i)]:
        end = start + len(word)
        assert not [q for q in seed_quantities if q.start < end and start < q.end], word


def test_seed_rows_are_raw_slices(seed_raw, seed_quantities):
    assert [q.qty_id for q in seed_quantities] == list(range(1, len(seed_quantities) + 1))
    assert [q.start for q in seed_quantities] == sorted(q.start for q in seed_quantities)
    for q in seed_quantities:
        assert seed_raw[q.start:q.end] == q.text


@pytest.mark.parametrize("numeral,value", [
    ("三千零五十", 3050), ("两万", 20000), ("十一", 11), ("三亿零四百七十五万", 304750000), ("二〇二一", 2021),
    ("壹贰叁", 123), ("七点八", 7.8), ("1.85万", 18500), ("3万4000", 34000), ("25万6千", 256000),
    ("1,100万", 11000000), ("4.78万亿", 4780000000000), ("一千三", 1300), ("一万三", 13000), ("百三", 130),
    ("两千四百五", 2450), ("四万万", 400000000), ("五兆六十二亿四万五千二", 5006200045200), ("一百零十万", 1100000),
])
def test_numerals(numeral, value):
    low, high, _form = parse_numeral(numeral)
    assert low == high == pytest.approx(value)


@pytest.mark.parametrize("text,number,value,unit,dimension", [
    ("１２３４．５吨", 1234.5, 1234500, "kg", "mass"),
    ("５，９６０，２８１，０００元", 5960281000, 5960281000, "CNY", "currency"),
    ("增长２５％", 25, 25, "%", "percent"),
    ("百分之十四点三", 14.3, 14.3, "%", "percent"),
    ("三分之一", 1 / 3, 100 / 3, "%", "percent"),
    ("千分之五", 5, 0.5, "%", "percent"),
    ("提高0.5个百分点", 0.5, 0.5, "pp", "percentage_point"),
    ("三成", 3, 30, "%", "percent"),
    ("翻一番", 1, 2, "x", "multiple"),
    ("翻两番", 2, 4, "x", "multiple"),
    ("增长1.5倍", 1.5, 1.5, "x", "multiple"),
    ("三亿零四百七十五万元", 304750000, 304750000, "CNY", "currency"),
    ("用户超26.7万", 267000, 267000, "count", "count"),
])
def test_forms(text, number, value, unit, dimension):
    q = one(text)
    assert (q.number, q.value, q.unit, q.dimension) == (pytest.approx(number), pytest.approx(value), unit, dimension)


@pytest.mark.parametrize("text,bound,qualifier,lower,upper", [
    ("约300亿元", "approx", "约", None, None),
    ("300亿元左右", "approx", "左右", None, None),
    ("超过1万台", "lower", "超过", 10000, None),
    ("逾百家企业", "lower", "逾", 100, None),
    ("3000多家", "lower", "多", 3000, None),
    ("100余项", "lower", "余", 100, None),
    ("5000人以上", "lower", "以上", 5000, None),
    ("不足30%", "upper", "不足", None, 30),
    ("近30个", "upper", "近", None, 30),
    ("达99%", "exact", "达", None, None),
])
def test_bounds(text, bound, qualifier, lower, upper):
    q = one(text)
    assert (q.bound, q.qualifier, q.lower, q.upper) == (bound, qualifier, lower, upper)
    assert qualifier in q.text


@pytest.mark.parametrize("text,lower,upper,value", [
    ("3至5个", 3, 5, 4), ("3—5万人", 30000, 50000, 40000), ("三到五家", 3, 5, 4), ("两三个", 2, 3, 2.5),
    ("十几个", 11, 19, 15), ("增长3%—5%", 3, 5, 4),
])
def test_ranges(text, lower, upper, value):
    q = one(text)
    assert (q.bound, q.lower, q.upper, q.value) == ("range", lower, upper, value)


@pytest.mark.parametrize("text,value", [("排名第三", 3), ("列全市第一", 1), ("进入前10位", 10), ("全国第二大", 2)])
def test_rank(text, value):
    q = one(text)
    assert (q.dimension, q.unit, q.value) == ("rank", "rank", value)


@pytest.mark.parametrize("text", [
    "2021年", "8月23日", "2018—2020年", "一九七八年", "首届智博会", "第三届论坛", "5G网络", "8K电视", "3D打印",
    "CS75PLUS", "坦克300车型", "百人会", "党的二十大", "十四五时期", "一网统管", "三位一体", "双循环", "五彩光斑",
    "之一", "一批项目", "一块块电池", "毫米级", "一、坚持创新", "（二）扩大内需", "电话023-67890123", "版本3.5.1",
    "这是一个重要的里程碑", "第一次会议", "前三季度", "“两个确立”", "千万不要", "每万人口", "数十家企业",
])
def test_not_quantities(text):
    assert scan_quantities(text) == []


def test_classifier_and_unit_text():
    q = one("建成智能工厂105个")
    assert (q.unit_text, q.classifier, q.unit) == ("个", "个", "count")
    q = one("6387亿元")
    assert (q.unit_text, q.classifier) == ("元", None)


def test_full_width_text_is_kept_as_written():
    q = one("增长２５％")
    assert q.text == "２５％" and q.unit_text == "％"


def test_unit_uses_counts_surfaces(seed_quantities):
    rows = unit_uses(seed_quantities)
    assert rows == sorted(rows, key=lambda r: (r.unit_text, r.unit, r.dimension, r.factor))
    by_text = {r.unit_text: r for r in rows}
    assert by_text["个"].n_mentions >= 10 and by_text["平方米"].unit == "m2"
    assert by_text["元"].factor == 1.0 and by_text["%"].dimension == "percent"
    assert sum(r.n_mentions for r in rows) == sum(1 for q in seed_quantities if q.unit_text)


def test_spacy_component():
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("zhfacts_quantities")
    doc = nlp("重庆数字经济企业达1.85万家，规模达6387亿元。")
    spans = doc.spans["quantities"]
    assert [s.label_ for s in spans] == ["count", "currency"]
    assert [s._.qty.value for s in spans] == [18500, 638700000000]
    assert all(s.start_char <= s._.qty.start and s._.qty.end <= s.end_char for s in spans)


# ---- families found in the gold claims (tests/gold) and the unreserved corpora


@pytest.mark.parametrize("text,lower,upper,value,unit", [
    ("增长百分之二百五十到二百七十五", 250, 275, 262.5, "%"),  # the second end omits 百分之
    ("增产百分之十到二十", 10, 20, 15, "%"),
    ("降低百分之二到百分之三", 2, 3, 2.5, "%"),
    ("在１００～１０００之间", 100, 1000, 550, "count"),
])
def test_ranges_with_one_unit(text, lower, upper, value, unit):
    q = one(text)
    assert (q.bound, q.lower, q.upper, q.value, q.unit) == ("range", lower, upper, value, unit)


@pytest.mark.parametrize("text,value,bound,qualifier", [
    ("我国有上亿市场主体", 1e8, "lower", "上"),  # 上 + a multiplier is a lower bound
    ("惠及上千万家庭", 1e7, "lower", "上"),
    ("惠及近千万家庭", 1e7, "upper", "近"),
    ("增长百分之五十以上", 50, "lower", "以上"),  # a suffix after a percent word
    ("约占全年投资总额的三分之二", 200 / 3, "approx", "约占"),  # across the share's base
    ("已接近高中阶段学生人数的百分之五十", 50, "upper", "接近"),
    ("存款利率可上浮至基准利率的1.1倍", 1.1, "upper", "可上浮至"),  # a cap, across the base
    ("贷款利率可下浮至基准利率的0.8倍", 0.8, "lower", "可下浮至"),  # a floor
    ("重归“６”元大关", 6, "approx", "大关"),  # a numeral in quotes before its unit
    ("小将金敬道不满21岁", 21, "upper", "不满"),  # ages: under, and at least
    ("未满１８周岁的未成年人", 18, "upper", "未满"),
    ("已满１６周岁的人犯强奸罪", 16, "lower", "已满"),
    ("工商银行股价跌破５元", 5, "upper", "跌破"),  # fell below it
])
def test_bound_families(text, value, bound, qualifier):
    q = one(text)
    assert (q.value, q.bound, q.qualifier) == (pytest.approx(value), bound, qualifier)


@pytest.mark.parametrize("text,value,bound", [
    ("土地承包到期后再延长30年", 30, "exact"), ("长达十年之久", 10, "exact"), ("只用了二十多年的时间", 20, "lower"),
    ("粮食连续7年增产", 7, "exact"), ("为期两年的计划", 2, "exact"),
])
def test_years_after_a_duration_word_are_durations(text, value, bound):
    q = one(text)
    assert (q.value, q.unit, q.dimension, q.bound) == (value, "a", "duration", bound)


@pytest.mark.parametrize("text,value,num", [
    ("青岛、南昌、常熟６城市停收", 6, "６"), ("漳州、桂林两城市的", 2, "两"), ("卫生部、农业部等五部门", 5, "五"),
    ("从本市１６区县抽样", 16, "１６"), ("湖北、河南、宁夏三省区", 3, "三"),
])
def test_numeral_before_a_collective_noun_counts_it(text, value, num):
    q = one(text)
    assert (q.value, q.dimension, q.classifier, q.text) == (value, "count", None, num)


@pytest.mark.parametrize("text,span", [
    ("惠及近千万家庭", "近千万"), ("覆盖农村5亿人口", "5亿"), ("十三亿人民", "十三亿"), ("降低900多万个体工商户税负", "900多万"),
])
def test_measure_word_is_not_the_head_of_a_noun(text, span):
    q = one(text)
    assert (q.text, q.classifier, q.unit_text) == (span, None, None)


@pytest.mark.parametrize("text,value,unit", [
    ("国内生产总值达到7 4 7 7 2 亿元", 7477200000000, "CNY"),  # digits spaced out by the layout
    ("研究生1 7 ．5 万人", 175000, "count"),
    ("资产要超过５００　亿元", 50000000000, "CNY"),  # an ideographic space after a digit
    ("奶粉（４００ｇ／盒）", 0.4, "kg"),  # full-width Latin units
    ("内设机构精简1／4", 25, "%"),  # a slash fraction
    ("通关时间压缩一半以上", 50, "%"),
])
def test_layout_and_writing_forms(text, value, unit):
    q = one(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize("text", [
    "三年来", "经过二十多年的建设", "延长至2030年", "1 9 9 7 年", "坚持“两个毫不动摇”", "利用国内外两个市场和两种资源",
    "严格落实中央八项规定精神", "和平共处五项原则", "让三百六十行行行人才辈出", "加强关键零部件供给", "长三角一体化发展",
    "冰山一角", "细颗粒物（PM\n2.5\n）平均浓度", "ＰＭ２．５", "“十五”期间", "“863”计划", "加快千兆光网建设",
    "获得二次报销", "上一轮", "提高到一个新的水平", "残疾人“两项补贴”", "“两条腿走路”的方针", "粉碎“四人帮”",
    "物价一度上涨", "账号：３２０７５６０２７８５６", "报告解读：１．年龄因素", "“７－２１暴雨”", "同一地区",
    "翻亿番",
])
def test_more_non_quantities(text):
    assert scan_quantities(text) == [], text


# ---- families found in the held-out gold documents (1980/1958/2018 reports, Sogou articles)


@pytest.mark.parametrize("text,spans", [
    ("商品总额1，992亿元", [("1，992亿元", 199200000000)]),
    ("粮食产量34，250万吨", [("34，250万吨", 342500000000)]),
    ("表2，360万只", [("2，360万只", 23600000)]),
    ("煤炭产量62，000万吨", [("62，000万吨", 620000000000)]),
    ("增加9万吨，纸520万吨", [("9万吨", 90000000), ("520万吨", 5200000000)]),  # a list keeps its comma
    ("1979，1980两年", []),
    ("12，3456", [("12", 12), ("3456", 3456)]),  # 4 digits after the comma: no thousands group
    ("$20，300美圆", [("$20", 20), ("300美圆", 300)]),  # a symbol closes the first amount
])
def test_full_width_comma_groups_thousands_only(text, spans):
    assert [(q.text, q.value) for q in scan_quantities(text)] == [(t, pytest.approx(v)) for t, v in spans]


@pytest.mark.parametrize("text,value,bound", [
    ("最高罚５０万", 500000, "upper"), ("最高可罚５０万", 500000, "upper"), ("拟拨款３亿", 3e8, "exact"),
    ("１０年内捐５００亿　不再", 5e10, "exact"), ("设备费用约３０００万", 3e7, "approx"),
    ("我之前捐给北大一个亿的资产", 1e8, "exact"), ("这９　亿资产捐赠", 9e8, "exact"),
])
def test_money_without_yuan(text, value, bound):
    q = scan_quantities(text)[0]
    assert (q.value, q.unit, q.dimension, q.bound) == (pytest.approx(value), "CNY", "currency", bound)


@pytest.mark.parametrize("text", ["节约了四千万吨", "签约3个项目", "违约金5000元"])
def test_a_bound_word_ending_another_word_is_none(text):
    q = one(text)  # 约 is a bound word, not the end of 节约, 签约 or 违约
    assert (q.bound, q.qualifier) == ("exact", None)


def test_a_bound_word_before_a_list_bounds_each_member():
    found = scan_quantities("个人一年自费看病超过２万、５万甚至１０万的")
    assert [(q.value, q.unit, q.bound) for q in found] == [(20000, "CNY", "lower"), (50000, "CNY", "lower"),
                                                           (100000, "CNY", "lower")]


@pytest.mark.parametrize("text,lower,upper", [
    ("处以２万元以上１０万元以下罚款", 20000, 100000), ("处以３０万元以上５０万元以下的罚款", 300000, 500000),
    ("即罚２万－１０万元", 20000, 100000),
])
def test_two_bounds_make_one_range(text, lower, upper):
    q = one(text)
    assert (q.bound, q.lower, q.upper, q.value, q.unit) == ("range", lower, upper, (lower + upper) / 2, "CNY")


def test_two_amounts_between_are_one_range_and_two_without():
    q = one("经济增长率在１％和２％之间")
    assert (q.bound, q.lower, q.upper, q.value) == ("range", 1, 2, 1.5)
    assert [q.value for q in scan_quantities("分别增长１％和２％")] == [1, 2]


@pytest.mark.parametrize("text,value,bound", [
    ("最低要罚２万元", 20000, "lower"), ("用于国家建设事业的约占60%以上", 60, "lower"),
    ("只完成五年计划一半稍多的情况", 50, "lower"), ("上千种重要的新产品", 1000, "lower"),
    ("比原计划超过百分之四", 4, "exact"), ("大概１万多平方米", 10000, "lower"), ("不得少于１５日", 15, "lower"),
    ("比重超过60%", 60, "lower"), ("比上年增长超过5%", 5, "lower"), ("差不多每两天就有", 2, "approx"),
])
def test_bound_words_of_the_held_out_documents(text, value, bound):
    q = one(text)
    assert (q.value, q.bound) == (pytest.approx(value), bound)


@pytest.mark.parametrize("text,value,unit,bound", [
    ("六万万人", 6e8, "count", "exact"), ("完成一亿一千七百多万亩", 1.17e8 * 2000 / 3, "m2", "lower"),
    ("增加到1亿3千多万", 1.3e8, "count", "lower"), ("发放农业贷款１０亿余万。", 1e9, "CNY", "lower"),
    ("六十几个国家", 65, "count", "range"), ("内燃机2，000万马力", 14709975, "kW", "exact"),
    ("完成十六亿多土方", 1.6e9, "m3", "lower"),
])
def test_numerals_and_units_of_the_held_out_documents(text, value, unit, bound):
    q = one(text)
    assert (q.value, q.unit, q.bound) == (pytest.approx(value), unit, bound)


@pytest.mark.parametrize("text,value,unit", [
    ("平均受教育年限提高到11.3年", 11.3, "a"), ("提高到10.5年", 10.5, "a"), ("不得少于１５日", 15, "d"),
    ("结束了66年的营业税征收历史", 66, "a"), ("差不多每两天就有一个", 2, "d"), ("每3小时巡查一次", 3, "h"),
])
def test_durations(text, value, unit):
    q = scan_quantities(text)[0]
    assert (q.value, q.unit, q.dimension) == (value, unit, "duration")


@pytest.mark.parametrize("text", [
    "7月19日", "于本月15日起施行", "每万人口", "这两种物资的供应都较紧张", "后两者", "两条道路的大辩论", "实现四个现代化",
    "三次产业", "三四线城市", "全面两孩政策", "化肥农药使用量实现零增长", "“一百五十六项”", "７－２１特大自然灾害",
    "旁边的１４号楼", "中印两国有两千多年的友好历史",
])
def test_held_out_non_quantities(text):
    assert scan_quantities(text) == [], text


def test_aggregate_name_leaves_its_amount():
    assert [q.text for q in scan_quantities("十种有色金属108万吨")] == ["108万吨"]


# ---- match scores (rules/scores.yaml)


@pytest.mark.parametrize("example", load_scores().examples, ids=lambda e: e["text"][:12])
def test_score_examples(example):
    scores = [q.value for q in scan_quantities(example["text"]) if q.rule == "score"]
    assert scores == [float(v) for pair in example["scores"] for v in pair]


@pytest.mark.parametrize("text", load_scores().negative)
def test_score_negatives(text):
    assert not [q for q in scan_quantities(text) if q.rule == "score"]


def test_score_rules_are_validated(tmp_path):
    path = tmp_path / "scores.yaml"
    path.write_text((RULES / "scores.yaml").read_text(encoding="utf-8") + "surprise: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="surprise"):
        load_scores.__wrapped__(path)


@pytest.mark.parametrize("text", ["在1、2月份", "2020、2021年", "第3和4季度"])
def test_listed_numbers_share_no_unit_with_a_time(text):
    assert not [q for q in scan_quantities(text) if q.rule == "shared_unit"]


def test_a_change_and_the_level_it_reaches_are_two_quantities_not_a_range():
    """下调２５个基点至３．５％: two units that differ across 至 make no range; each number keeps its own."""
    found = [(q.text, q.value, q.dimension) for q in scan_quantities("利率下调２５个基点至３．５％，提高５个百分点至３５％。")]
    assert found == [("２５个基点", 0.25, "percentage_point"), ("３．５％", 3.5, "percent"),
                     ("５个百分点", 5.0, "percentage_point"), ("３５％", 35.0, "percent")]


def test_a_top_rank_missed_is_a_lower_bound():
    """无缘前三甲, 跌出前十名: outside the top N; 前三甲 alone is within it."""
    assert [(q.value, q.bound) for q in scan_quantities("新生代张继科“爆冷”无缘前三甲")] == [(3, "lower")]
    assert [(q.value, q.bound) for q in scan_quantities("中国队跌出前十名")] == [(10, "lower")]
    assert [(q.value, q.bound) for q in scan_quantities("马琳分获网络投票前三甲")] == [(3, "upper")]


@pytest.mark.parametrize("text,bound", [
    ("冰毒１吨多", "lower"), ("高出四倍多", "lower"), ("相差１万元之多", "lower"), ("票价300元起", "lower"),
    ("他有３１万元不到", "upper"), ("火车不用１个小时", "upper"), ("已经３个多月了", "lower"), ("约需３０天", "approx"),
])
def test_bound_words_after_the_unit_and_inside_it(text, bound):
    assert one(text).bound == bound
