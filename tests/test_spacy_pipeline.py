"""The README's spaCy example: every stage found through its entry point, in a user's pipeline."""

import spacy


def test_all_components_in_a_blank_pipeline_without_imports():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1"}}})
    for name in ("zhfacts_quantities", "zhfacts_times", "zhfacts_entities", "zhfacts_claims"):
        nlp.add_pipe(name)
    doc = nlp.make_doc("今年上半年，重庆汽车产业增加值同比增长25%。")
    doc.user_data["anchor"] = "2021-08-23"
    doc = nlp(doc)
    assert [span.text for span in doc.spans["quantities"]] == ["25%"]
    assert [span.text for span in doc.spans["times"]] == ["今年上半年"]
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("重庆", "GPE")]
    (claim,) = doc._.claims
    assert (claim.metric, claim.subject, claim.time, claim.kind) == ("汽车产业增加值增长", "重庆", "2021-H1", "change")
    assert doc[0].tag_  # jieba's POS tag on every token
