//! The worker's tune: a model of the page tuned on the visitor's examples
//! ([`icl_model::train::tune`]), step by step with Stop between steps, its progress after each
//! step, the side-by-side columns at the end, and the tuned weights kept as the page's
//! [`crate::protocol::ModelRef::Tuned`] model.

use icl_model::eval::in_weights::side_by_side;
use icl_model::net::model::Model;
use icl_model::net::weights::{DType, to_bytes};
use icl_model::train::tune::Tuner;

use super::Worker;
use super::channel::Gone;
use crate::protocol::{FromWorker, Notice, TuneOutcome, TuneRequest, WeightFile, WorkerError};

/// The weights a tune left, with what made them.
pub(super) struct Tuned {
    pub request: TuneRequest,
    /// The manifest id of the model it was tuned from (the request may name the default).
    pub base_id: String,
    pub model: Model,
    /// Steps it took (fewer than its settings' when stopped).
    pub steps: usize,
}

impl Tuned {
    /// The tuned model as the project's weight file (f32), with its name.
    pub fn weight_file(&self) -> WeightFile {
        let r = &self.request;
        let base = self.base_id.clone();
        let info = std::collections::BTreeMap::from([
            ("tuned from".to_string(), base.clone()),
            (
                "checkpoint".to_string(),
                r.base.checkpoint.map_or("final".into(), |c| c.to_string()),
            ),
            ("steps".to_string(), self.steps.to_string()),
            (
                "settings".to_string(),
                serde_json::to_string(&r.settings).unwrap_or_default(),
            ),
            (
                "examples".to_string(),
                serde_json::to_string(&r.examples).unwrap_or_default(),
            ),
            (
                "trained".to_string(),
                "tuned on these examples in the ICL Playground's tab".to_string(),
            ),
        ]);
        WeightFile {
            name: format!("{base}_tuned_{}steps.bin", self.steps),
            bytes: to_bytes(&self.model, DType::F32, &info),
        }
    }
}

/// What a tune's steps leave.
struct Steps {
    base: Model,
    tuned: Model,
    steps: usize,
    stopped: bool,
}

impl Worker {
    /// Tunes `request.base` on the examples until its last step or Stop, reporting each step.
    pub(super) async fn tune(&mut self, run: u64, request: TuneRequest) -> Result<(), Gone> {
        let result = match self.tune_steps(run, &request).await? {
            Err(e) => Err(e),
            Ok(s) => {
                let columns = side_by_side(
                    &s.base,
                    &s.tuned,
                    &request.template,
                    &request.examples,
                    &request.query,
                    request.expected.as_deref(),
                );
                let base_id = self.store.id_of(&request.base.model).unwrap_or_default();
                self.made.tuned = Some(Tuned {
                    base_id,
                    request,
                    model: s.tuned,
                    steps: s.steps,
                });
                Ok(TuneOutcome {
                    stopped: s.stopped,
                    columns,
                })
            }
        };
        self.send(FromWorker::TuneDone { run, result }).await
    }

    /// The steps of a tune, reported one by one.
    async fn tune_steps(
        &mut self,
        run: u64,
        r: &TuneRequest,
    ) -> Result<Result<Steps, WorkerError>, Gone> {
        if r.base.model.made_here() {
            return Ok(Err(WorkerError::NotTunable));
        }
        let plain = crate::protocol::Target {
            ablated: Vec::new(),
            ..r.base.clone()
        };
        let base = match self.store.network(&plain).await {
            Ok(m) => m,
            Err(e) => return Ok(Err(e)),
        };
        let mut tuner = match Tuner::new(&base, &r.template, &r.examples, r.settings) {
            Ok(t) => t,
            Err(e) => return Ok(Err(WorkerError::Tune(e))),
        };
        let query = r.expected.as_deref().map(|y| (r.query.as_str(), y));
        let point = Box::new(tuner.point(f32::NAN, query));
        self.send(FromWorker::Tuned { run, point }).await?;
        let mut stopped = false;
        let (mut loss, mut reported) = (f32::NAN, 0);
        while !tuner.finished() {
            if self.stopped().await? {
                stopped = true;
                break;
            }
            loss = tuner.step();
            if tuner.point_due() {
                reported = tuner.step;
                let point = Box::new(tuner.point(loss, query));
                self.send(FromWorker::Tuned { run, point }).await?;
            }
        }
        // Stopped between two points: the weights it leaves get theirs.
        if tuner.step != reported {
            let point = Box::new(tuner.point(loss, query));
            self.send(FromWorker::Tuned { run, point }).await?;
        }
        Ok(Ok(Steps {
            tuned: tuner.model(),
            base,
            steps: tuner.step,
            stopped,
        }))
    }

    /// The tuned model's weight file, or why there is none.
    pub(super) async fn export_tuned(&mut self) -> Result<(), Gone> {
        let msg = match &self.made.tuned {
            Some(t) => FromWorker::TunedWeights(t.weight_file()),
            None => FromWorker::Notice(Notice::Failed(WorkerError::NoTunedModel)),
        };
        self.send(msg).await
    }
}
