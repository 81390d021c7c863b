//! The tune part of the store: the weights tuned in this tab on the visitor's examples (what
//! was tuned, its progress as the worker reports it, the side-by-side columns once it ends),
//! the settings as shown, a link's tune to run again, and the weight file once asked for.

use std::rc::Rc;

use icl_model::eval::in_weights::SideColumn;
use icl_model::train::tune::{TunePoint, TuneSettings};
use yew::Reducible;

use crate::doc::TuneLink;
use crate::protocol::{FromWorker, TuneRequest, WeightFile, WorkerError};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tune {
    /// The tune's settings as shown (applied by the next Tune).
    pub settings: TuneSettings,
    /// The job id of the last tune started.
    pub run: Option<u64>,
    /// What the last tune ran on (its base weights, examples, query and settings).
    pub request: Option<Rc<TuneRequest>>,
    /// Whether it is running.
    pub running: bool,
    /// Its progress: step 0 (before any step), then about [`icl_model::train::tune::POINTS`]
    /// points up to its last step (or the step Stop left).
    pub points: Vec<TunePoint>,
    /// The side-by-side columns, once it ended.
    pub columns: Vec<SideColumn>,
    /// Whether Stop ended it early.
    pub stopped: bool,
    /// Why it could not run.
    pub error: Option<WorkerError>,
    /// A link's tune, to run again once its base model is ready (taken out of the document).
    pub replay: Option<TuneLink>,
    /// The tuned model's weight file, once asked for.
    pub file: Option<Rc<WeightFile>>,
    /// The job of the in-context curve on the examples shown beside the tune's (an ICL curve
    /// of the explore part): it does not depend on the tune, so it outlives Reset.
    pub in_context: Option<u64>,
}

impl Tune {
    /// Whether the worker holds tuned weights the panels can run on (a tune reported at least
    /// one step, and was not reset or lost with a crashed worker).
    pub fn ready(&self) -> bool {
        self.error.is_none() && self.points.iter().any(|p| p.step > 0)
    }
}

pub enum Action {
    /// The tune's settings were edited.
    Settings(TuneSettings),
    /// A tune started as job `run`.
    Started { run: u64, request: Rc<TuneRequest> },
    /// The tuned model was forgotten.
    Reset,
    /// A link's tune, to be run again.
    Replay(TuneLink),
    /// The replayed tune was sent (or given up).
    Replayed,
    /// The worker died: its tuned weights are gone.
    WorkerCrashed,
    /// The in-context curve beside the tune's is measured as this job.
    InContext(u64),
    /// The worker's reports on a tune and the weight file.
    Worker(FromWorker),
}

impl Reducible for Tune {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Settings(t) => s.settings = t,
            Action::Started { run, request } => {
                s = Tune {
                    settings: s.settings,
                    replay: s.replay,
                    in_context: s.in_context,
                    run: Some(run),
                    request: Some(request),
                    running: true,
                    ..Tune::default()
                };
            }
            Action::Reset | Action::WorkerCrashed => {
                s = Tune {
                    settings: s.settings,
                    replay: s.replay,
                    in_context: s.in_context,
                    ..Tune::default()
                };
            }
            Action::Replay(l) => s.replay = Some(l),
            Action::Replayed => s.replay = None,
            Action::InContext(run) => s.in_context = Some(run),
            Action::Worker(msg) => match msg {
                FromWorker::Tuned { run, point } if Some(run) == s.run => s.points.push(*point),
                FromWorker::TuneDone { run, result } if Some(run) == s.run => {
                    s.running = false;
                    match result {
                        Ok(o) => {
                            s.stopped = o.stopped;
                            s.columns = o.columns;
                        }
                        Err(e) => s.error = Some(e),
                    }
                }
                FromWorker::TunedWeights(file) => s.file = Some(Rc::new(file)),
                _ => {}
            },
        }
        Rc::new(s)
    }
}

/// The worker's report of the tune `run` at `step` with the last step's `loss` (its scores
/// empty), as tests make one.
#[cfg(test)]
pub(crate) fn reported(run: u64, step: usize, loss: f32) -> FromWorker {
    FromWorker::Tuned {
        run,
        point: Box::new(TunePoint {
            step,
            loss,
            in_weights: Default::default(),
            both: Default::default(),
            query_in_weights: None,
            query_both: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Target, TuneOutcome};

    #[test]
    fn a_tune_collects_its_points_and_columns_and_a_reset_or_crash_drops_it() {
        let request = Rc::new(TuneRequest {
            base: Target::default(),
            template: Default::default(),
            examples: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
            query: "c".into(),
            expected: Some("C".into()),
            settings: TuneSettings::default(),
        });
        let shown = TuneSettings {
            seed: 4,
            ..TuneSettings::default()
        };
        let s = Rc::new(Tune::default()).reduce(Action::Settings(shown));
        let s = s.reduce(Action::Started { run: 3, request });
        assert!(s.running && !s.ready());
        let s = s.reduce(Action::Worker(reported(3, 0, 1.0)));
        // Another job's points are not this tune's.
        let s = s.reduce(Action::Worker(reported(2, 1, 1.0)));
        assert!(!s.ready());
        let s = s.reduce(Action::Worker(reported(3, 1, 1.0)));
        assert!(s.ready());
        let s = s.reduce(Action::Worker(FromWorker::TuneDone {
            run: 3,
            result: Ok(TuneOutcome {
                stopped: true,
                columns: vec![],
            }),
        }));
        assert!(!s.running && s.stopped && s.ready());
        assert_eq!(s.points.len(), 2);
        let s = s.reduce(Action::InContext(9));
        for end in [Action::Reset, Action::WorkerCrashed] {
            let gone = s.clone().reduce(end);
            assert!(!gone.ready() && gone.points.is_empty() && gone.request.is_none());
            assert_eq!(gone.settings, shown, "the settings shown stay");
            assert_eq!(
                gone.in_context,
                Some(9),
                "the in-context curve does not depend on it"
            );
        }
        let failed = Rc::new(Tune::default())
            .reduce(Action::Started {
                run: 5,
                request: s.request.clone().unwrap(),
            })
            .reduce(Action::Worker(FromWorker::TuneDone {
                run: 5,
                result: Err(WorkerError::NoLiveModel),
            }));
        assert!(!failed.running && failed.error.is_some() && !failed.ready());
    }
}
