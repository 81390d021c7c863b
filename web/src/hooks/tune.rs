//! Tune, Stop, Reset and Download of the weights tuned on the visitor's examples, and the
//! in-context curve beside the tune's, as callbacks that tell the state and the worker
//! together; and a link's tune, run again once the page has a model.

use std::rc::Rc;

use yew::prelude::*;

use super::jobs::start_sweep;
use super::{Bridge, Store, next_job};
use crate::comparison::target_label;
use crate::doc::{Doc, TuneLink};
use crate::protocol::{ModelRef, SweepSource, Target, ToWorker, TuneRequest};
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
    /// Measure the in-context curve (k = 0…8) of the weights a tune starts from on the
    /// visitor's examples, each left out in turn.
    pub measure: Callback<()>,
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
        None => base_of(doc, tuned_from),
    };
    TuneRequest {
        base,
        template: doc.template.clone(),
        examples: doc.pairs(),
        query: doc.query.clone(),
        expected: Some(doc.expected.clone()).filter(|e| !e.is_empty()),
        settings,
    }
}

/// The weights a tune of `doc` starts from: its model and checkpoint, or (on the live or the
/// tuned model) the default model or the weights the tuned model was tuned from.
fn base_of(doc: &Doc, tuned_from: Option<&Target>) -> Target {
    match (&doc.model, tuned_from) {
        (ModelRef::Tuned, Some(from)) => from.clone(),
        (ModelRef::Live | ModelRef::Tuned, _) => Target::default(),
        (model, _) => Target {
            model: model.clone(),
            checkpoint: doc.explore.checkpoint,
            ablated: Vec::new(),
        },
    }
}

/// A document on the tuned model moves to the weights it was tuned from (the tuned model is
/// about to go: Reset, or a new tune).
fn leave_tuned(state: &Store) {
    if state.page.doc.model.is_tuned() {
        let base = base_of(
            &state.page.doc,
            state.tune.request.as_ref().map(|r| &r.base),
        );
        let mut doc = state.page.doc.clone();
        doc.model = base.model;
        doc.explore.checkpoint = base.checkpoint;
        state.dispatch(Action::SetDoc(doc));
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
            let request = tune_request(&state.page.doc, None, state.tune.settings, from);
            // The tuned model the panels run on is replaced: until the new one is there they
            // run on the weights it starts from.
            leave_tuned(&state);
            start(request);
        })
    };
    // A link's tune: run again once the page has a model (the worker's model list is then
    // loaded, so the base can be found) and the link's examples are on screen (not while
    // the visitor chooses between it and their own work).
    {
        let state = state.clone();
        let ready = state.page.ready_model().is_some() && state.page.pending_link.is_none();
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
    // A document on the tuned model with no tuned weights to run on (the worker crashed and
    // took them, a draft reopened after a reload, a tune failed) moves to the weights it was
    // tuned from, so that no request asks for a model that is not there.
    {
        let state = state.clone();
        let orphaned = state.page.doc.model.is_tuned()
            && !state.tune.ready()
            && !state.tune.running
            && state.tune.replay.is_none();
        use_effect_with(orphaned, move |orphaned| {
            if *orphaned {
                leave_tuned(&state);
            }
        });
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
            leave_tuned(&state);
            state.dispatch(Action::TuneReset);
        })
    };
    let export = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| bridge.send(ToWorker::ExportTuned))
    };
    let measure = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            let doc = &state.page.doc;
            let from = state.tune.request.as_ref().map(|r| &r.base);
            let target = base_of(doc, from);
            let label = doc.lang.f(
                "{model} in context, on your examples",
                &[(
                    "model",
                    &target_label(&target, &state.page.models, doc.lang),
                )],
            );
            let examples = SweepSource::Examples(doc.pairs());
            let run = start_sweep(&bridge, &state, target, examples, label);
            state.dispatch(Action::TuneInContext(run));
        })
    };
    TuneJobs {
        tune,
        stop,
        reset,
        export,
        measure,
    }
}
