//! The explore part of the store: the ICL curves on the chart, the comparison, the
//! explanation (attention maps and head scores) and the models' training curves.

use std::rc::Rc;

use icl_model::eval::ladder_report::LadderReport;
use icl_model::eval::score::SweepPoint;
use icl_model::train::curves::CurvePoint;
use yew::Reducible;

use crate::protocol::{Compared, Explanation, FromWorker, WorkerError};

/// One line of the ICL curve chart: a sweep of one model (checkpoint, ablation).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Series {
    pub run: u64,
    pub label: String,
    pub points: Vec<SweepPoint>,
    pub done: bool,
}

/// A comparison: one row per variant, filled as results arrive.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    pub run: u64,
    pub vary: crate::doc::Vary,
    pub labels: Vec<String>,
    /// Parameters of each row's model (for the Scale view).
    pub params: Vec<u64>,
    /// Each row's completion once it came, or why it could not run.
    #[serde(serialize_with = "rows_as_compared")]
    pub results: Vec<Option<Result<Compared, WorkerError>>>,
    /// Per row: its held-out batch.
    pub batches: Vec<Batch>,
    pub done: bool,
}

/// A comparison row's held-out batch: the sweep that measures it and its point once measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// The job of its sweep (`None`: the row has no batch).
    pub job: Option<u64>,
    pub point: Option<SweepPoint>,
}

/// Exported as the `[job, point]` pair it always was (job 0: no batch).
impl serde::Serialize for Batch {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (self.job.unwrap_or(0), &self.point).serialize(s)
    }
}

/// A comparison's rows as exports write them: a row that could not run is a completion with
/// the reason, in English, as its error.
fn rows_as_compared<S: serde::Serializer>(
    rows: &[Option<Result<Compared, WorkerError>>],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    let rows: Vec<Option<Compared>> = rows
        .iter()
        .map(|r| {
            r.as_ref().map(|r| match r {
                Ok(c) => c.clone(),
                Err(e) => Compared::failed(e.words(crate::i18n::Lang::En)),
            })
        })
        .collect();
    rows.serialize(s)
}

/// Most ICL curves kept on the chart.
pub const MAX_SERIES: usize = 6;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explore {
    /// Attention maps and head scores (shared, not copied: they are large).
    pub explanation: Option<Rc<Explanation>>,
    /// The explanation asked for last (`None`: none yet); older ones are dropped when they
    /// arrive.
    pub explain_run: Option<u64>,
    /// ICL curves on the chart, oldest first.
    pub series: Vec<Series>,
    pub comparison: Option<Comparison>,
    /// Training curves by model id.
    pub curves: Vec<(String, Rc<Vec<CurvePoint>>)>,
    /// The ladder's measured table once asked for and come (or why it did not).
    pub ladder: Option<Result<Rc<LadderReport>, WorkerError>>,
}

// Actions live for one dispatch; boxing the comparison would only add allocations.
#[allow(clippy::large_enum_variant)]
pub enum Action {
    /// An explanation was asked for with this run id.
    Explaining(u64),
    /// An ICL curve is being measured.
    SweepStarted {
        run: u64,
        label: String,
    },
    ClearSeries,
    /// A comparison was started (its rows empty).
    CompareStarted(Comparison),
    /// The worker ended the job with this run id.
    JobDone(u64),
    /// The worker died: what it measured ends where it is.
    WorkerCrashed,
    /// The worker's results: explanations, sweep points, compared rows, training curves.
    Worker(FromWorker),
}

impl Explore {
    /// Whether an ICL curve or a comparison is being measured.
    pub fn measuring(&self) -> bool {
        self.series.iter().any(|s| !s.done) || self.comparison.as_ref().is_some_and(|c| !c.done)
    }

    /// The training curves of `model`, once fetched.
    pub fn curves_of(&self, model: Option<&str>) -> Option<Rc<Vec<CurvePoint>>> {
        let model = model?;
        self.curves
            .iter()
            .find(|(m, _)| m == model)
            .map(|(_, c)| c.clone())
    }

    fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Explained { run, explanation } if Some(run) == self.explain_run => {
                self.explanation = Some(Rc::new(*explanation));
            }
            FromWorker::Swept { run, point } => {
                if let Some(series) = self.series.iter_mut().find(|x| x.run == run) {
                    series.points.push(point);
                } else if let Some(c) = self.comparison.as_mut()
                    && let Some(b) = c.batches.iter_mut().find(|b| b.job == Some(run))
                {
                    b.point = Some(point);
                }
            }
            FromWorker::ComparedOne { run, index, result } => {
                if let Some(c) = self.comparison.as_mut().filter(|c| c.run == run)
                    && let Some(slot) = c.results.get_mut(index)
                {
                    *slot = Some(result);
                }
            }
            FromWorker::Curves { model, points } => {
                self.curves.retain(|(m, _)| *m != model);
                self.curves.push((model, Rc::new(points)));
            }
            FromWorker::Ladder(report) => self.ladder = Some(report.map(Rc::new)),
            _ => {}
        }
    }
}

impl Reducible for Explore {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Explaining(run) => s.explain_run = Some(run),
            Action::SweepStarted { run, label } => {
                s.series.push(Series {
                    run,
                    label,
                    points: Vec::new(),
                    done: false,
                });
                if s.series.len() > MAX_SERIES {
                    s.series.remove(0);
                }
            }
            Action::ClearSeries => s.series.clear(),
            Action::CompareStarted(c) => s.comparison = Some(c),
            Action::JobDone(run) => {
                if let Some(series) = s.series.iter_mut().find(|x| x.run == run) {
                    series.done = true;
                }
                if let Some(c) = s.comparison.as_mut().filter(|c| c.run == run) {
                    c.done = true;
                }
            }
            Action::WorkerCrashed => {
                for series in &mut s.series {
                    series.done = true;
                }
                if let Some(c) = &mut s.comparison {
                    c.done = true;
                }
            }
            Action::Worker(msg) => s.apply(msg),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::page::Message;
    use crate::store::{Action as PageAction, State};

    fn point(k: usize) -> SweepPoint {
        SweepPoint {
            k,
            n: 4,
            exact_match: 0.5,
            mean_logprob: -1.0,
            char_accuracy: 0.75,
        }
    }

    fn explanation(n: usize) -> Explanation {
        Explanation {
            chars: vec!["a".into(); n],
            skipped: 0,
            layers: 1,
            heads: 1,
            attention: vec![0.0; n * n],
            random: icl_model::eval::metrics::HeadScores {
                induction: vec![vec![0.0]],
                duplicate: vec![vec![0.0]],
                previous_token: vec![vec![0.0]],
                prefix_matching: vec![vec![0.0]],
                copying: vec![vec![0.0]],
                loss_first_copy: 1.0,
                loss_second_copy: 1.0,
            },
            prompt: icl_model::eval::metrics::PromptHeads {
                previous_token: vec![vec![0.0]],
                prefix_matching: vec![vec![0.0]],
            },
            repeat: String::new(),
            repeat_losses: Vec::new(),
        }
    }

    /// The whole store: a job's error goes to the page's messages.
    #[test]
    fn sweeps_fill_their_own_series_and_old_explanations_are_dropped() {
        let mut s = State::default();
        for a in [
            PageAction::SweepStarted {
                run: 7,
                label: "base".into(),
            },
            PageAction::SweepStarted {
                run: 8,
                label: "attn2".into(),
            },
        ] {
            s.apply(a);
        }
        for (run, k) in [(8, 0), (7, 0), (7, 1)] {
            s.apply(PageAction::Worker(FromWorker::Swept {
                run,
                point: point(k),
            }));
        }
        assert_eq!(s.explore.series[0].points.len(), 2);
        assert_eq!(s.explore.series[1].points.len(), 1);
        s.apply(PageAction::Worker(FromWorker::JobDone {
            run: 7,
            error: Some(WorkerError::NoLiveModel),
        }));
        assert!(s.explore.series[0].done && !s.explore.series[1].done);
        assert_eq!(
            s.page.messages,
            vec![Message::Worker(WorkerError::NoLiveModel)]
        );
        // At most MAX_SERIES curves stay, the oldest go first.
        for run in 100..110 {
            s.apply(PageAction::SweepStarted {
                run,
                label: String::new(),
            });
        }
        assert_eq!(s.explore.series.len(), MAX_SERIES);
        assert_eq!(s.explore.series[0].run, 110 - MAX_SERIES as u64);

        let s = Rc::new((*s.explore).clone());
        let s = s.reduce(Action::Explaining(3));
        let s = s.reduce(Action::Worker(FromWorker::Explained {
            run: 2,
            explanation: Box::new(explanation(2)),
        }));
        assert!(s.explanation.is_none(), "a stale explanation was shown");
        let s = s.reduce(Action::Worker(FromWorker::Explained {
            run: 3,
            explanation: Box::new(explanation(3)),
        }));
        assert_eq!(s.explanation.as_ref().unwrap().chars.len(), 3);
    }

    #[test]
    fn comparisons_fill_rows_and_batches_by_run() {
        let s = Rc::new(Explore::default()).reduce(Action::CompareStarted(Comparison {
            run: 5,
            vary: crate::doc::Vary::Model,
            labels: vec!["a".into(), "b".into()],
            params: vec![1, 2],
            results: vec![None, None],
            batches: vec![
                Batch {
                    job: Some(6),
                    point: None,
                },
                Batch::default(),
            ],
            done: false,
        }));
        let result = Compared {
            text: " X".into(),
            exact_match: Some(true),
            logprob: Some(-0.1),
            char_accuracy: Some(1.0),
            error: None,
        };
        let compared =
            |run, index, result| Action::Worker(FromWorker::ComparedOne { run, index, result });
        let s = s.reduce(compared(4, 0, Ok(result.clone())));
        assert_eq!(
            s.comparison.as_ref().unwrap().results[0],
            None,
            "another comparison's row"
        );
        let s = s.reduce(compared(5, 1, Ok(result.clone())));
        let s = s.reduce(compared(5, 9, Ok(result)));
        let s = s.reduce(Action::Worker(FromWorker::Swept {
            run: 6,
            point: point(3),
        }));
        let s = s.reduce(Action::JobDone(5));
        let c = s.comparison.as_ref().unwrap();
        assert!(c.results[1].is_some() && c.results[0].is_none());
        assert_eq!(c.batches[0].point.as_ref().unwrap().k, 3);
        assert!(c.done);
        // A row that could not run is exported as before the reasons were typed: in English.
        let mut failed = c.clone();
        failed.results[0] = Some(Err(WorkerError::NoLiveModel));
        let json = serde_json::to_value(&failed).unwrap();
        assert_eq!(
            json["results"][0]["error"],
            "no model was trained in this tab yet: press Train first"
        );
        assert_eq!(json["results"][1]["text"], " X");
        assert_eq!(json["results"][1]["error"], serde_json::Value::Null);
        // Batches are exported as the `[job, point]` pairs they were, 0 for none.
        assert_eq!(json["batches"][0][0], 6);
        assert_eq!(json["batches"][0][1]["k"], 3);
        assert_eq!(json["batches"][1], serde_json::json!([0, null]));
    }
}
