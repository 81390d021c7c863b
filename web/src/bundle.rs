//! "Export all" and the completion's export: the page's state and results as JSON files, made
//! from the [`State`] alone (pure, so they are tested natively).

use serde::Serialize;
use serde_json::{Value, json};

use crate::store::State;

/// What the files say they are, so a reader can tell them from other JSON.
pub const FORMAT: &str = "icl-playground-export";
/// Bumped when a field changes meaning.
pub const VERSION: u32 = 1;

fn to_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// The last completion with each token's probability, log-probability and the alternatives
/// the model considered.
pub fn completion(state: &State) -> Value {
    let (page, run) = (&state.page, &state.run);
    json!({
        "format": FORMAT,
        "version": VERSION,
        "kind": "completion",
        "model": page.shown_model(),
        "checkpoint": page.doc.explore.checkpoint,
        "ablated": page.doc.explore.ablated,
        "sampling": to_value(&page.doc.sampling),
        "prompt": run.prompt,
        "expected": run.expected,
        "text": run.text,
        "ended": run.reason.as_ref().map(ToString::to_string),
        "tokens": to_value(&*run.tokens),
    })
}

/// Everything on the page: the document (what a link carries), the link itself, the
/// completion, its surprisal, the ICL curves, the comparison, the heads' scores (the attention
/// weights are left out: the heatmap exports them), the training curves shown, the live run
/// and the tune.
pub fn all(state: &State, link: &str) -> Value {
    let (page, explore) = (&state.page, &state.explore);
    let heads = explore.explanation.as_ref().map(|x| {
        let mut x = (**x).clone();
        x.attention = Vec::new();
        to_value(&x)
    });
    json!({
        "format": FORMAT,
        "version": VERSION,
        "kind": "all",
        "link": link,
        "doc": to_value(&page.doc),
        "model": page.shown_model(),
        "completion": completion(state),
        "surprisal": to_value(&state.run.analysis),
        "icl_curves": to_value(&explore.series),
        "comparison": to_value(&explore.comparison),
        "heads": heads,
        "training_curves": explore.curves_of(page.shown_model().id()).map(|c| to_value(&*c)),
        "live": to_value(&state.live.run),
        "tune": tune(state),
    })
}

/// The tune: what was tuned and how, its progress and the side-by-side columns.
fn tune(state: &State) -> Value {
    let t = &state.tune;
    json!({
        "request": to_value(&t.request.as_deref()),
        "running": t.running,
        "stopped": t.stopped,
        "points": to_value(&t.points),
        "columns": to_value(&t.columns),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Run;
    use icl_model::net::sampling::{Alternative, TokenInfo};

    fn state() -> State {
        let mut s = State::default();
        std::rc::Rc::make_mut(&mut s.page).doc.model = crate::protocol::ModelRef::from_id("base");
        s.run = std::rc::Rc::new(Run {
            prompt: "in: ab\nout: ba\nin: cd\nout: ".into(),
            tokens: std::rc::Rc::new(vec![TokenInfo {
                id: 7,
                text: "d".into(),
                prob: 0.75,
                logprob: 0.75f32.ln(),
                top: vec![Alternative {
                    id: 7,
                    text: "d".into(),
                    prob: 0.75,
                }],
            }]),
            text: Some("dc".into()),
            ..Run::default()
        });
        s
    }

    #[test]
    fn the_completion_carries_each_token_with_its_probabilities() {
        let v = completion(&state());
        assert_eq!(v["format"], FORMAT);
        assert_eq!(v["model"], "base");
        assert_eq!(v["text"], "dc");
        assert_eq!(v["tokens"][0]["text"], "d");
        assert_eq!(v["tokens"][0]["prob"], 0.75);
        assert_eq!(v["tokens"][0]["top"][0]["prob"], 0.75);
        assert!(v["prompt"].as_str().unwrap().ends_with("out: "));
    }

    #[test]
    fn export_all_holds_the_document_the_link_and_the_results() {
        let s = state();
        let v = all(&s, "https://example.org/#x");
        assert_eq!(v["kind"], "all");
        assert_eq!(v["link"], "https://example.org/#x");
        assert_eq!(v["doc"], serde_json::to_value(&s.page.doc).unwrap());
        assert_eq!(v["completion"]["tokens"][0]["id"], 7);
        assert!(v["icl_curves"].as_array().unwrap().is_empty());
        assert!(v["heads"].is_null(), "no explanation yet");
        assert!(
            v["tune"]["request"].is_null() && v["tune"]["points"].as_array().unwrap().is_empty()
        );
        // It survives a round trip through text.
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }
}
