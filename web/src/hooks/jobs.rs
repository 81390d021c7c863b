//! The jobs the visitor starts (a run, Stop, an ICL curve, a comparison, a retried load), as
//! callbacks that tell the state and the worker together. Every job gets its id from
//! [`next_job`], the one source of ids.

use icl_model::eval::score::Labels;
use yew::prelude::*;

use super::{Bridge, Store};
use crate::comparison::{SWEEP_KS, columns, offered, sweep_source, target_label};
use crate::doc::{Doc, Vary};
use crate::protocol::{SweepSource, Target, ToWorker, Variant};
use crate::store::{Action, Batch, Comparison, ModelStatus, RunState};

thread_local! {
    static JOBS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A fresh id for a worker job; the worker's answers carry it, so answers to an older job
/// are told apart.
pub fn next_job() -> u64 {
    JOBS.with(|j| {
        j.set(j.get() + 1);
        j.get()
    })
}

/// The page's job callbacks.
#[derive(Clone)]
pub struct Jobs {
    /// Complete the prompt (ignored while one runs or no model is ready).
    pub run: Callback<()>,
    pub stop: Callback<()>,
    /// Measure the ICL curve of the current target.
    pub measure: Callback<()>,
    /// Compare the columns the explore settings vary.
    pub compare: Callback<()>,
    /// Open the Scale view on this document (the page's, or it with another training
    /// stage): set it, and compare the ladder's rungs on it.
    pub scale: Callback<Doc>,
    /// Load the document's model again.
    pub retry: Callback<()>,
}

#[hook]
pub fn use_jobs(bridge: &Bridge, state: &Store) -> Jobs {
    let run = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if !matches!(state.page.model, ModelStatus::Ready(_))
                || state.run.state == RunState::Running
            {
                return;
            }
            let run = next_job();
            let prompt = state.page.doc.prompt();
            let expected = state.page.doc.expected_completion();
            state.dispatch(Action::Start {
                run,
                prompt: prompt.clone(),
                expected: expected.clone(),
            });
            bridge.send(ToWorker::Generate {
                run,
                prompt,
                sampling: state.page.doc.sampling.config(),
                expected,
                target: state.page.doc.target(),
            });
        })
    };
    let stop = {
        let bridge = bridge.clone();
        Callback::from(move |_: ()| bridge.send(ToWorker::Stop))
    };
    let measure = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            let target = state.page.doc.target();
            let label = target_label(&target, &state.page.models, state.page.doc.lang);
            let source = sweep_source(&state.page.doc, Labels::Correct);
            start_sweep(&bridge, &state, target, source, label);
        })
    };
    let compare = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| start_comparison(&bridge, &state, &state.page.doc))
    };
    let scale = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |mut doc: Doc| {
            doc.explore.vary = Vary::Ladder;
            state.dispatch(Action::SetDoc(doc.clone()));
            start_comparison(&bridge, &state, &doc);
        })
    };
    let retry = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            super::model_loading::load(&bridge, &state, &state.page.doc.model);
        })
    };
    // Switching heads, checkpoint or model re-measures the curve when one is on the chart, so
    // the new curve lies over the old one.
    {
        let (measure, has_curves) = (measure.clone(), !state.explore.series.is_empty());
        use_effect_with(state.page.doc.target(), move |_| {
            if has_curves {
                measure.emit(());
            }
        });
    }
    Jobs {
        run,
        stop,
        measure,
        compare,
        scale,
        retry,
    }
}

/// Sends an ICL curve (k = 0…8) of `target` on `source` in the document's template, drawn
/// as the series `label`; its job.
pub(super) fn start_sweep(
    bridge: &Bridge,
    state: &Store,
    target: Target,
    source: SweepSource,
    label: String,
) -> u64 {
    let run = next_job();
    state.dispatch(Action::SweepStarted { run, label });
    bridge.send(ToWorker::Sweep {
        run,
        target,
        template: state.page.doc.template.clone(),
        source,
        ks: SWEEP_KS.to_vec(),
    });
    run
}

/// Sends a comparison of `doc` (the page's document, or the one it is being set to): one
/// completion per column, and each column's held-out batch as a one-point sweep of its own.
fn start_comparison(bridge: &Bridge, state: &Store, doc: &Doc) {
    let run = next_job();
    let page = &state.page;
    let models = offered(&page.models, &state.live.run, &state.tune, doc.lang);
    let cols = columns(doc, &models);
    let batches: Vec<Batch> = cols
        .iter()
        .map(|c| Batch {
            job: c.batch.is_some().then(next_job),
            point: None,
        })
        .collect();
    state.dispatch(Action::CompareStarted(Comparison {
        run,
        vary: doc.explore.vary,
        labels: cols.iter().map(|c| c.label.clone()).collect(),
        params: cols.iter().map(|c| c.params).collect(),
        results: vec![None; cols.len()],
        batches: batches.clone(),
        done: false,
    }));
    bridge.send(ToWorker::Compare {
        run,
        variants: cols
            .iter()
            .map(|c| Variant {
                target: c.target.clone(),
                prompt: c.doc.prompt(),
                sampling: c.doc.sampling.config(),
                expected: c.doc.expected_completion(),
            })
            .collect(),
    });
    for (c, b) in cols.iter().zip(&batches) {
        if let (Some((k, labels)), Some(job)) = (c.batch, b.job) {
            bridge.send(ToWorker::Sweep {
                run: job,
                target: c.target.clone(),
                template: c.doc.template.clone(),
                source: sweep_source(doc, labels),
                ks: vec![k],
            });
        }
    }
}
