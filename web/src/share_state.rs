//! What a share link carries beyond the document on screen: the live run and the tune, each
//! run again by the tab that opens the link (both are deterministic from their settings, so
//! that tab reaches the same weights).

use crate::doc::{Doc, LiveLink, TuneLink};
use crate::live_run::LiveRun;
use crate::store::Tune;

/// The document a link to this page carries: `doc`, the live run's settings and the step it
/// reached, and the tune while its weights are there and were tuned on the examples on
/// screen. A document on the tuned model without such a tune names the weights it was tuned
/// from instead, so the link never points at a model the other tab cannot make.
pub fn shared(doc: &Doc, live: &LiveRun, tune: &Tune) -> Doc {
    let mut doc = doc.clone();
    doc.live = live.last().map(|p| LiveLink {
        settings: live.settings.clone(),
        step: p.step,
    });
    doc.tune = tune_link(&doc, tune);
    if doc.model.is_tuned() && doc.tune.is_none() {
        let base = tune
            .request
            .as_ref()
            .map(|r| r.base.clone())
            .unwrap_or_default();
        doc.model = base.model;
        doc.explore.checkpoint = base.checkpoint;
    }
    doc
}

/// The tune that makes the tuned weights again from `doc`: its settings, with the steps it
/// took (a stopped tune's weights are those of a shorter tune: the learning rate does not
/// depend on the number of steps), and the weights it started from.
fn tune_link(doc: &Doc, tune: &Tune) -> Option<TuneLink> {
    let r = tune.request.as_ref().filter(|_| tune.ready())?;
    if r.examples != doc.pairs() || r.template != doc.template {
        return None;
    }
    let steps = tune.points.last()?.step;
    Some(TuneLink {
        settings: icl_model::train::tune::TuneSettings {
            steps,
            ..r.settings
        },
        base: r.base.model.clone(),
        checkpoint: r.base.checkpoint,
    })
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use icl_model::train::tune::TuneSettings;

    use super::*;
    use crate::doc::Example;
    use crate::hooks::tune_request;
    use crate::protocol::{FromWorker, ModelRef, Target, TuneOutcome};
    use crate::store::tune::{Action, reported};
    use yew::Reducible;

    /// A document on the learner at step 6000 with a tune of it that reached `steps` of 24
    /// (stopped when fewer).
    fn tuned(steps: usize) -> (Doc, Rc<Tune>) {
        let doc = Doc {
            examples: vec![
                Example::new("stone", "nesto"),
                Example::new("river", "verri"),
            ],
            model: ModelRef::Shipped("learner".into()),
            explore: crate::doc::Explore {
                checkpoint: Some(6000),
                ..Default::default()
            },
            ..Doc::default()
        };
        let settings = TuneSettings {
            steps: 24,
            seed: 3,
            ..TuneSettings::default()
        };
        let request = Rc::new(tune_request(&doc, None, settings, None));
        let mut t = Rc::new(Tune::default()).reduce(Action::Started { run: 1, request });
        for (i, step) in [0, steps].into_iter().enumerate() {
            t = t.reduce(Action::Worker(reported(1, step, i as f32)));
        }
        let outcome = TuneOutcome {
            stopped: steps < 24,
            columns: vec![],
        };
        let t = t.reduce(Action::Worker(FromWorker::TuneDone {
            run: 1,
            result: Ok(outcome),
        }));
        let on_tuned = Doc {
            model: ModelRef::Tuned,
            explore: crate::doc::Explore::default(),
            ..doc
        };
        (on_tuned, t)
    }

    #[test]
    fn a_link_carries_the_tune_that_makes_the_same_weights_again() {
        let (doc, tune) = tuned(24);
        let link = shared(&doc, &LiveRun::default(), &tune);
        assert_eq!(
            link.model,
            ModelRef::Tuned,
            "the link opens on the tuned model"
        );
        let carried = link.tune.clone().expect("the tune goes with the link");
        assert_eq!(carried.base, ModelRef::Shipped("learner".into()));
        assert_eq!(carried.checkpoint, Some(6000));
        assert_eq!(carried.settings, tune.request.as_ref().unwrap().settings);
        // Through the URL and back, it asks for the tune this tab ran.
        let back = crate::share::decode(&crate::share::encode(&link)).unwrap();
        let again = tune_request(&back, back.tune.as_ref(), carried.settings, None);
        assert_eq!(&again, tune.request.as_deref().unwrap());
        assert_eq!(back.live, None, "no live run, none in the link");
    }

    #[test]
    fn a_stopped_tune_is_carried_with_the_steps_it_took() {
        let (doc, tune) = tuned(7);
        let carried = shared(&doc, &LiveRun::default(), &tune).tune.unwrap();
        assert_eq!(carried.settings.steps, 7);
        assert_eq!(carried.settings.seed, 3);
    }

    #[test]
    fn without_tuned_weights_of_these_examples_the_link_names_the_base() {
        let (doc, tune) = tuned(24);
        // The examples changed since the tune: the tuned weights are not theirs.
        let mut edited = doc.clone();
        edited.examples[1].output = "vrier".into();
        let link = shared(&edited, &LiveRun::default(), &tune);
        assert_eq!(link.tune, None);
        assert_eq!(
            Target {
                model: link.model.clone(),
                checkpoint: link.explore.checkpoint,
                ablated: vec![]
            },
            tune.request.as_ref().unwrap().base
        );
        // Reset: no tune, and the default model for a document still on the tuned one.
        let gone = tune.reduce(Action::Reset);
        let link = shared(&doc, &LiveRun::default(), &gone);
        assert_eq!((link.tune, link.model), (None, ModelRef::Default));
        // A document on another model keeps it.
        let mut other = doc.clone();
        other.model = ModelRef::Shipped("base".into());
        assert_eq!(
            shared(&other, &LiveRun::default(), &gone).model,
            other.model
        );
    }
}
