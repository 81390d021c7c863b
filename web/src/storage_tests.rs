//! Drafts against storage that works, throws, fills up or holds a newer page's data.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::*;
use crate::doc::{Example, MAX_RAW, MAX_TEXT};
use crate::presets;

/// Storage in memory: `quota` bytes in all (keys and values), or throwing on every call.
#[derive(Default)]
struct Memory {
    items: RefCell<BTreeMap<String, String>>,
    quota: Option<usize>,
    throws: bool,
}

impl Memory {
    fn with_quota(quota: usize) -> Self {
        Memory {
            quota: Some(quota),
            ..Memory::default()
        }
    }
    fn get_now(&self, key: &str) -> Option<String> {
        self.items.borrow().get(key).cloned()
    }
}

impl Kv for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, Refused> {
        if self.throws {
            return Err(Refused);
        }
        Ok(self.get_now(key))
    }
    fn set(&self, key: &str, value: &str) -> Result<(), Refused> {
        if self.throws {
            return Err(Refused);
        }
        let mut items = self.items.borrow_mut();
        let used: usize = items
            .iter()
            .filter(|(k, _)| *k != key)
            .map(|(k, v)| k.len() + v.len())
            .sum();
        if self
            .quota
            .is_some_and(|q| used + key.len() + value.len() > q)
        {
            return Err(Refused);
        }
        items.insert(key.into(), value.into());
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), Refused> {
        if self.throws {
            return Err(Refused);
        }
        self.items.borrow_mut().remove(key);
        Ok(())
    }
}

fn edited() -> Doc {
    Doc {
        query: "my own query".into(),
        examples: vec![Example::new("a", "b")],
        ..Doc::default()
    }
}

fn aside(n: usize) -> SetAside {
    SetAside {
        when: n as f64,
        why: Why::Replaced,
        text: draft_json(&Doc {
            query: format!("draft {n}"),
            ..Doc::default()
        }),
    }
}

#[test]
fn drafts_round_trip_and_bad_ones_are_errors() {
    let d = parse_draft(&draft_json(&edited())).unwrap();
    assert_eq!((d.doc, d.clamped), (edited(), false));
    assert!(parse_draft("{not json").is_err());
    assert!(
        parse_draft(r#"{"version":7,"doc":{}}"#)
            .unwrap_err()
            .contains("format 7")
    );
}

#[test]
fn an_over_limit_draft_loads_cut_and_the_whole_of_it_is_kept() {
    let long = Doc {
        raw: "é".repeat(MAX_RAW + 1),
        query: "q".repeat(MAX_TEXT + 5),
        examples: vec![Example::new("a", "b"); 100],
        ..Doc::default()
    };
    let text = draft_json(&long);
    let kv = Memory::default();
    kv.set(DRAFT_KEY, &text).unwrap();
    let l = load_draft(&kv, 1.0);
    let doc = l.doc.expect("the draft opens, cut");
    assert_eq!(doc.raw.chars().count(), MAX_RAW);
    assert_eq!(doc.query.chars().count(), MAX_TEXT);
    assert_eq!(doc.examples.len(), crate::doc::MAX_EXAMPLES);
    assert!(l.messages[0].contains("cut to fit"), "{:?}", l.messages);
    assert!(!l.protect_draft);
    let list = set_aside_list(&kv).unwrap();
    assert_eq!((list.len(), list[0].why), (1, Why::Clamped));
    assert_eq!(list[0].text, text, "the set-aside copy is the whole draft");
}

#[test]
fn an_unreadable_draft_is_set_aside_before_it_is_removed() {
    for stored in [
        "{not json",
        r#"{"version":2,"doc":{"query":"from a newer page"}}"#,
    ] {
        let kv = Memory::default();
        kv.set(DRAFT_KEY, stored).unwrap();
        let l = load_draft(&kv, 5.0);
        assert_eq!(l.doc, None);
        assert!(!l.protect_draft);
        assert_eq!(kv.get_now(DRAFT_KEY), None);
        let list = set_aside_list(&kv).unwrap();
        assert_eq!(list[0].text, stored);
        assert_eq!(list[0].why, Why::Unreadable);
        assert_eq!(list[0].doc(), None, "it cannot be restored as a document");
    }
}

#[test]
fn a_failed_write_never_removes_the_original() {
    // Room for the draft but not for a copy of it.
    let stored = "{damaged draft".repeat(20);
    let kv = Memory::with_quota(DRAFT_KEY.len() + stored.len() + 10);
    kv.set(DRAFT_KEY, &stored).unwrap();
    let l = load_draft(&kv, 1.0);
    assert!(l.protect_draft);
    assert!(l.messages[0].contains("will not save over it"));
    assert_eq!(kv.get_now(DRAFT_KEY).as_deref(), Some(stored.as_str()));
    let s = startup(l, None);
    assert!(s.protect_draft);
    assert_eq!(s.doc, presets::first_visit());
    assert!(
        !s.first_visit,
        "a visitor with a draft has been here before"
    );
}

#[test]
fn only_a_first_visit_opens_on_the_first_visits_document_and_runs_it() {
    let kv = Memory::default();
    let s = startup(load_draft(&kv, 1.0), None);
    assert!(s.first_visit);
    assert_eq!(s.doc, presets::first_visit());
    assert_eq!((s.pending_link, s.messages), (None, vec![]));
    // A saved draft is shown as it is, whatever it holds, and is not run.
    for draft in [edited(), Doc::default(), presets::first_visit()] {
        kv.set(DRAFT_KEY, &draft_json(&draft)).unwrap();
        let s = startup(load_draft(&kv, 1.0), None);
        assert_eq!((s.doc, s.first_visit), (draft, false));
    }
    // A link opens as it is, with or without a draft; a broken one is no first visit either.
    let link_doc = Doc {
        query: "from the link".into(),
        ..Doc::default()
    };
    let link = share::encode(&link_doc);
    let s = startup(Loaded::default(), Some(&link));
    assert_eq!((s.doc, s.first_visit), (link_doc.clone(), false));
    let s = startup(Loaded::default(), Some("v1.garbage"));
    assert!(!s.first_visit);
    // A link meets a first visit's untouched document as it meets an empty page: it opens.
    assert_eq!(
        meet(&presets::first_visit(), link_doc.clone()),
        (link_doc, None)
    );
}

#[test]
fn storage_that_throws_starts_from_defaults() {
    let kv = Memory {
        throws: true,
        ..Memory::default()
    };
    let l = load_draft(&kv, 1.0);
    assert_eq!(l, Loaded::default());
    assert!(set_aside(&kv, aside(1)).is_err());
    assert!(set_aside_list(&kv).is_err());
}

#[test]
fn the_set_aside_list_keeps_the_last_few_and_drops_the_oldest_when_full() {
    let kv = Memory::default();
    for n in 0..8 {
        set_aside(&kv, aside(n)).unwrap();
    }
    let list = set_aside_list(&kv).unwrap();
    let whens: Vec<f64> = list.iter().map(|i| i.when).collect();
    assert_eq!(whens, vec![3.0, 4.0, 5.0, 6.0, 7.0]);
    assert_eq!(list[4].doc().unwrap().query, "draft 7");
    save_set_aside(&kv, &list[..4]).unwrap();
    assert_eq!(set_aside_list(&kv).unwrap(), list[..4]);
    save_set_aside(&kv, &[]).unwrap();
    assert_eq!(kv.get_now(SET_ASIDE_KEY), None);

    // Storage with room for about two entries keeps the newest that fit.
    let one = serde_json::to_string(&aside(0)).unwrap().len();
    let kv = Memory::with_quota(SET_ASIDE_KEY.len() + 2 * one + 40);
    for n in 0..4 {
        set_aside(&kv, aside(n)).unwrap();
    }
    let whens: Vec<f64> = set_aside_list(&kv)
        .unwrap()
        .iter()
        .map(|i| i.when)
        .collect();
    assert_eq!(whens, vec![2.0, 3.0]);
}

#[test]
fn a_newer_pages_set_aside_list_is_left_alone() {
    let kv = Memory::default();
    let newer = r#"{"version":9,"items":[{"anything":1}]}"#;
    kv.set(SET_ASIDE_KEY, newer).unwrap();
    assert!(set_aside_list(&kv).unwrap_err().contains("newer page"));
    assert!(set_aside(&kv, aside(1)).is_err());
    assert!(save_set_aside(&kv, &[aside(2)]).is_err());
    assert_eq!(kv.get_now(SET_ASIDE_KEY).as_deref(), Some(newer));
    // An unreadable draft then stays where it is, protected.
    kv.set(DRAFT_KEY, "{damaged").unwrap();
    assert!(load_draft(&kv, 1.0).protect_draft);
    assert_eq!(kv.get_now(DRAFT_KEY).as_deref(), Some("{damaged"));
}

#[test]
fn a_link_never_silently_replaces_an_edited_draft() {
    let link_doc = Doc {
        query: "from the link".into(),
        ..Doc::default()
    };
    let link = share::encode(&link_doc);
    let loaded = |doc: Option<Doc>| Loaded {
        doc,
        ..Loaded::default()
    };
    // No draft: the link opens.
    let s = startup(loaded(None), Some(&link));
    assert_eq!((s.doc, s.pending_link), (link_doc.clone(), None));
    // An untouched draft: the link opens.
    let s = startup(loaded(Some(Doc::default())), Some(&link));
    assert_eq!(s.doc, link_doc);
    // An edited draft: the draft stays and the link waits for a choice.
    let s = startup(loaded(Some(edited())), Some(&link));
    assert_eq!(s.doc, edited());
    assert_eq!(s.pending_link, Some(link_doc.clone()));
    // The same document as on screen: nothing to choose.
    assert_eq!(meet(&link_doc, link_doc.clone()), (link_doc, None));
    // A broken link: a message, and the draft is untouched.
    let s = startup(loaded(Some(edited())), Some("v1.garbage"));
    assert_eq!(s.doc, edited());
    assert_eq!(s.pending_link, None);
    assert!(s.messages[0].contains("could not be opened"));
}

/// Drafts name their model by id as they always did: `null` (or nothing) for the default
/// model, `"live"` for the one trained in the tab, any other id for a shipped one; each reads
/// as its [`ModelRef`] and is written back the same.
#[test]
fn drafts_written_with_model_ids_read_as_model_references() {
    use crate::protocol::ModelRef;
    let json_with = |model: Option<&str>| {
        let mut v: serde_json::Value = serde_json::from_str(&draft_json(&edited())).unwrap();
        let doc = v["doc"].as_object_mut().unwrap();
        match model {
            Some(m) => doc.insert("model".into(), serde_json::from_str(m).unwrap()),
            None => doc.remove("model"),
        };
        v.to_string()
    };
    for (model, expected) in [
        (Some("null"), ModelRef::Default),
        (None, ModelRef::Default),
        (Some(r#""live""#), ModelRef::Live),
        (Some(r#""attn2""#), ModelRef::Shipped("attn2".into())),
    ] {
        let text = json_with(model);
        let d = parse_draft(&text).unwrap().doc;
        assert_eq!(d.model, expected, "{model:?}");
        let again: serde_json::Value = serde_json::from_str(&draft_json(&d)).unwrap();
        let before: serde_json::Value =
            serde_json::from_str(&json_with(model.or(Some("null")))).unwrap();
        assert_eq!(again, before, "{model:?} is written back as it was");
    }
    // An id that is not one is refused, as before.
    assert!(parse_draft(&json_with(Some(r#""<img>""#))).is_err());
    assert!(parse_draft(&json_with(Some(r#""""#))).is_err());
}
