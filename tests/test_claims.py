"""Claims: the examples in rules/claims/examples.yaml, the seed's claims, and the gold evaluation."""

import json

import pytest

from pipeline import extract_text
from pipeline.claims import load_rules
from pipeline.claims.time import period_end, unfinished
from pipeline.cli import main
from pipeline.evaluate import FIGURES, format_report, load_genres, regressions, score
from tests.conftest import ROOT, SEED, SEED_DATE

GOLD = ROOT / "tests" / "gold"
BLIND = ROOT / "tests" / "gold_blind"
RECORDED = ROOT / "tests" / "eval_recorded.json"
EXAMPLES = load_rules().examples


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:16] for e in EXAMPLES])
def test_rule_examples(example):
    extraction = extract_text(example["text"], published=str(example.get("published", SEED_DATE)),
                              title=example.get("title"))
    assert extraction.document.status == "ok", extraction.document.error
    for expected in example["claims"]:
        found = [claim for claim in extraction.claims if expected["text"] in claim.text]
        assert found, (expected["text"], [claim.text for claim in extraction.claims])
        claim = found[0]
        for field, value in expected.items():
            if field == "metric":
                assert value in (claim.metric or ""), (field, value, claim)
            elif field != "text":
                assert getattr(claim, field) == value, (field, value, claim)


def test_rules_are_validated(tmp_path):
    import shutil

    shutil.copytree(ROOT / "rules" / "claims", tmp_path, dirs_exist_ok=True)
    (tmp_path / "time.yaml").write_text((tmp_path / "time.yaml").read_text(encoding="utf-8")
                                        + "\nsurprise: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="surprise"):
        load_rules.__wrapped__(tmp_path)


@pytest.fixture(scope="module")
def seed_claims():
    extraction = extract_text(SEED.read_text(encoding="utf-8"), doc_id=SEED.stem, published=SEED_DATE)
    return extraction


def test_every_claim_points_to_its_quantity(seed_claims):
    quantities = {q.qty_id: q for q in seed_claims.quantities}
    for claim in seed_claims.claims:
        quantity = quantities[claim.qty_id]
        assert (claim.start, claim.end, claim.text, claim.value) == (
            quantity.start, quantity.end, quantity.text, quantity.value)


def test_seed_claims_read_right(seed_claims):
    claims = {claim.text: claim for claim in seed_claims.claims}
    expected = {
        "6387亿元": ("数字经济规模", "2020", "level"),
        "25.5%": ("占GDP比重", "2020", "share"),
        "3485个": ("智能化改造项目", "2018/2021", "level"),
        "33%": ("电子信息产业增加值", "2021-H1", "change"),
        "372亿元": ("融资", SEED_DATE, "level"),
        "第一": ("指标", "2021-H1", "rank"),
    }
    for text, (metric, time, kind) in expected.items():
        match = [c for t, c in claims.items() if text in t]
        assert match, text
        claim = match[0]
        assert metric in claim.metric and claim.time == time and claim.kind == kind, claim
    assert all(claim.modality == "fact" for claim in seed_claims.claims)
    texts = " ".join(claims)
    for not_a_claim in ("5G", "8K", "3D", "2018", "三年"):
        assert not_a_claim not in texts


def test_period_end_and_unfinished():
    assert period_end("2021-H1") == "2021-06-30"
    assert period_end("2020-Q1") == "2020-03-31" and period_end("2021-02") == "2021-02-28"
    assert period_end("2018/2021") == "2021-12-31"
    assert unfinished("2022", "2022-03-05") and not unfinished("2021-H1", "2021-08-23")
    assert unfinished("1959", "1959") and not unfinished("1958", "1959")


GOLD_SETS = [(GOLD, RECORDED, 200)] + [(BLIND / half, BLIND / f"eval_recorded_{half}.json", 250)
                                       for half in ("dev", "test")]


@pytest.mark.parametrize("gold,recorded_path,at_least", GOLD_SETS, ids=["gold", "blind-dev", "blind-test"])
def test_gold_evaluation_holds_the_recorded_figures(tmp_path, gold, recorded_path, at_least):
    pred = tmp_path / "pred"
    assert main(["extract", str(gold / "docs"), "--out", str(pred), "--quiet"]) == 0
    result = score(gold, pred)
    print(format_report(result))
    overall = result["overall"]
    assert overall["gold"] >= at_least
    failures = regressions(result, recorded_path)
    assert not failures, "\n".join(failures) + "\n" + format_report(result, verbose=True)
    recorded = json.loads(recorded_path.read_text(encoding="utf-8"))
    assert set(recorded) == set(FIGURES)


def test_blind_gold_halves_are_split_by_document():
    halves = [{p.name for p in (BLIND / half / "docs").glob("*.txt")} for half in ("dev", "test")]
    gold_docs = {p.name for p in (GOLD / "docs").glob("*.txt")}
    assert halves[0] and halves[1] and not halves[0] & halves[1]
    assert not (halves[0] | halves[1]) & gold_docs
    genres = [set(load_genres(BLIND / half).values()) for half in ("dev", "test")]
    assert genres[0] == genres[1], "every genre has documents in both halves"


def test_eval_cli_checks_against_recorded(tmp_path, capsys):
    pred = tmp_path / "pred"
    main(["extract", str(GOLD / "docs"), "--out", str(pred), "--quiet"])
    assert main(["eval", "--gold", str(GOLD), "--pred", str(pred), "--check", str(RECORDED)]) == 0
    impossible = tmp_path / "impossible.json"
    impossible.write_text(json.dumps({name: 1.01 for name in FIGURES}), encoding="utf-8")
    assert main(["eval", "--gold", str(GOLD), "--pred", str(pred), "--check", str(impossible)]) == 1
    assert "regression" in capsys.readouterr().err


def test_spacy_claims_component_in_a_user_pipeline():
    from spacy import blank

    import pipeline.claims  # noqa: F401  (registers the factory)

    pipeline_nlp = blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1"}}})
    pipeline_nlp.add_pipe("zhfacts_claims")
    doc = pipeline_nlp.make_doc("今年上半年，重庆汽车产业增加值同比增长25%。")
    doc.user_data["anchor"] = SEED_DATE
    doc = pipeline_nlp(doc)
    (claim,) = doc._.claims
    assert doc.text[claim.start:claim.end] == "25%"
    assert (claim.metric, claim.time, claim.kind, claim.basis) == ("汽车产业增加值增长", "2021-H1", "change", "同比")


def _user_pipeline(*pipes, segmenter="rjieba"):
    from spacy import blank

    import pipeline.claims  # noqa: F401  (registers the factories)

    nlp = blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1",
                                                    "segmenter": segmenter}}})
    for pipe in pipes:
        nlp.add_pipe(pipe)
    return nlp


def test_spacy_claims_read_the_spans_in_the_doc():
    nlp = _user_pipeline("zhfacts_quantities", "zhfacts_times", "zhfacts_entities")
    doc = nlp("重庆汽车产业增加值同比增长25%，产量增长47%。")
    doc.spans["quantities"] = [s for s in doc.spans["quantities"] if s.text != "47%"]  # the user removes one
    doc.ents = []  # and every entity
    doc.user_data["anchor"] = SEED_DATE
    claims_pipe = _user_pipeline("zhfacts_claims").get_pipe("zhfacts_claims")
    (claim,) = claims_pipe(doc)._.claims
    assert (claim.text, claim.subject, claim.subject_rule) == ("25%", None, "subject.none")


def test_spacy_claims_take_date_genre_and_segmenter_from_the_pipeline():
    nlp = _user_pipeline("zhfacts_claims", segmenter="jieba")
    assert nlp.get_pipe("zhfacts_claims").segmenter == "jieba"
    doc = nlp.make_doc("各位代表：\n过去一年，国内生产总值增长5.2%。")
    doc.user_data.update(anchor="2024-03-05", title="2024年政府工作报告", genre="report")
    (claim,) = nlp(doc)._.claims
    assert (claim.time, claim.subject, claim.subject_rule) == ("2023", "中国", "subject.document")


def test_claims_are_linear_in_a_comma_spliced_sentence():
    """A paragraph with no 。 (thousands of numbers in one sentence) costs about twice as much
    when twice as long: best CPU time of three runs, compared within one run."""
    import time

    from pipeline.claims import find_claims
    from pipeline.entities import find_entities
    from pipeline.quantities import find_quantities
    from pipeline.repair import prepare_text
    from pipeline.segment import segment
    from pipeline.times import find_times

    def best_time(n: int) -> float:
        text = "，".join(f"预计今年重庆将计划增长{i % 97}%，实际已达到1亿元" for i in range(n)) + "。"
        doc = segment(prepare_text(text, "long", SEED_DATE))
        rows = (find_quantities(doc), find_times(doc), *find_entities(doc))
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            claims = find_claims(doc, *rows)
            best = min(best, time.process_time() - started)
        assert len(claims) == 2 * n
        return best

    assert best_time(800) / best_time(400) < 3


def test_a_duration_naming_a_term_makes_no_claim():
    """一年、六个月、三个月定存: the terms of deposits, listed; the rates are the claims."""
    extraction = extract_text("一年、六个月、三个月定存利息分别为3.5%、3.3%和3.1%。连续三年增长。",
                              published="2012-06-13")
    assert [c.text for c in extraction.claims if c.dimension == "duration"] == ["三年"]
    assert [c.value for c in extraction.claims if c.dimension == "percent"] == [3.5, 3.3, 3.1]


def test_an_age_is_never_a_time_span():
    extraction = extract_text("随着年龄增长，在４０至７０岁间，幸福感反而下降。三年间产量翻番。", published="2012-07-13")
    assert [c.text for c in extraction.claims if c.dimension == "duration"] == ["４０至７０岁"]
