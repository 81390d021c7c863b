//! Tune, Stop, Reset and Download of the weights tuned on the visitor's examples, as callbacks
//! that tell the state and the worker together; and a link's tune, run again once the page
//! has a model.

use std::rc::Rc;

use yew::prelude::*;

use super::{Bridge, Store, next_job};
use crate::doc::{Doc, TuneLink};
use crate::protocol::{ModelRef, Target, ToWorker, TuneRequest};
use crate::store::Action;

/// The tune callbacks.
#[derive(Clone)]
pub struct TuneJobs {
    /// Tune the document's model on its examples with the shown settings.
    pub tune: Callback<()>,
    /// Stop: the worker ends the tune after the step it is in; the weights so far stay.
    pub stop: Callback<()>,
    /// Forget the tuned model (a document on it goes back to the model it was tuned from).
    pub reset: Callback<()>,
    /// Ask for the tuned model's weight file.
    pub export: Callback<()>,
}

/// The tune of `doc`'s examples that `link` names (`None`: the document's own model and
/// checkpoint); the base is never the live or the tuned model (a tune of the tuned model
/// starts again from the weights it was tuned from: `tuned_from`).
pub fn tune_request(
    doc: &Doc,
    link: Option<&TuneLink>,
    settings: icl_model::train::tune::TuneSettings,
    tuned_from: Option<&Target>,
) -> TuneRequest {
    let base = match link {
        Some(l) => Target {
            model: l.base.clone(),
            checkpoint: l.checkpoint,
            ablated: Vec::new(),
        },
        None => match (&doc.model, tuned_from) {
            (ModelRef::Tuned, Some(from)) => from.clone(),
            (ModelRef::Live | ModelRef::Tuned, _) => Target::default(),
            (model, _) => Target {
                model: model.clone(),
                checkpoint: doc.explore.checkpoint,
                ablated: Vec::new(),
            },
        },
    };
    TuneRequest {
        base,
        template: doc.template.clone(),
        examples: doc
            .examples
            .iter()
            .map(|e| (e.input.clone(), e.output.clone()))
            .collect(),
        query: doc.query.clone(),
        expected: Some(doc.expected.clone()).filter(|e| !e.is_empty()),
        settings,
    }
}

#[hook]
pub fn use_tune(bridge: &Bridge, state: &Store) -> TuneJobs {
    let start = {
        let (bridge, state) = (bridge.clone(), state.clone());
        move |request: TuneRequest| {
            let run = next_job();
            let request = Rc::new(request);
            state.dispatch(Action::TuneStarted {
                run,
                request: request.clone(),
            });
            bridge.send(ToWorker::Tune {
                run,
                request: Box::new((*request).clone()),
            });
        }
    };
    let tune = {
        let (state, start) = (state.clone(), start.clone());
        Callback::from(move |_: ()| {
            if state.tune.running {
                return;
            }
            let from = state.tune.request.as_ref().map(|r| &r.base);
            start(tune_request(
                &state.page.doc,
                None,
                state.tune.settings,
                from,
            ));
        })
    };
    // A link's tune: run again once the page has a model (the worker's model list is then
    // loaded, so the base can be found).
    {
        let state = state.clone();
        let ready = state.page.ready_model().is_some();
        use_effect_with(
            (state.tune.replay.clone(), ready),
            move |(replay, ready)| {
                if let (Some(link), true) = (replay, *ready) {
                    state.dispatch(Action::TuneReplayed);
                    state.dispatch(Action::TuneSettings(link.settings));
                    start(tune_request(
                        &state.page.doc,
                        Some(link),
                        link.settings,
                        None,
                    ));
                }
            },
        );
    }
    let stop = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if state.tune.running {
                bridge.send(ToWorker::Stop);
            }
        })
    };
    let reset = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if state.tune.running {
                bridge.send(ToWorker::Stop);
            }
            bridge.send(ToWorker::ResetTune);
            // A document on the tuned model goes back to the model it was tuned from.
            if state.page.doc.model.is_tuned() {
                let base = state
                    .tune
                    .request
                    .as_ref()
                    .map(|r| r.base.clone())
                    .unwrap_or_default();
                let mut doc = state.page.doc.clone();
                doc.model = base.model;
                doc.explore.checkpoint = base.checkpoint;
                state.dispatch(Action::SetDoc(doc));
            }
            state.dispatch(Action::TuneReset);
        })
    };
    let export = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| bridge.send(ToWorker::ExportTuned))
    };
    TuneJobs {
        tune,
        stop,
        reset,
        export,
    }
}
