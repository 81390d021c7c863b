//! What the trainer worker adds to the inference worker: the models made in this tab (the live
//! run, [`super::trainer`], and the tuned weights, [`super::tuning`]), training the live one
//! between the page's other requests, and their weight files.

use icl_model::net::model::LeanModel;

use super::Worker;
use super::channel::Gone;
use super::trainer::{LiveTrainer, REPORT_MS};
use super::tuning::Tuned;
use crate::protocol::{FromWorker, ModelRef, Notice, ToWorker, WorkerError};

/// The models made in this tab.
#[derive(Default)]
pub(super) struct Made {
    /// The live training run, if one was started.
    pub live: Option<LiveTrainer>,
    /// The weights tuned on the visitor's examples, if a tune ran.
    pub tuned: Option<Tuned>,
}

impl Worker {
    /// The live or the tuned model's weights as they are now.
    pub(super) fn made_model(&self, model: &ModelRef) -> Result<LeanModel, WorkerError> {
        if model.is_live() {
            let live = self.made.live.as_ref().ok_or(WorkerError::NoLiveModel)?;
            Ok(live.stepper.model().lean_model().clone())
        } else {
            let tuned = self.made.tuned.as_ref().ok_or(WorkerError::NoTunedModel)?;
            Ok(tuned.model.lean_model().clone())
        }
    }

    /// Forgets the live model.
    pub(super) fn reset_training(&mut self) {
        self.made.live = None;
    }

    /// Forgets the tuned model.
    pub(super) fn reset_tune(&mut self) {
        self.made.tuned = None;
    }

    /// The live model's weight file, or why there is none.
    pub(super) async fn export_live(&mut self) -> Result<(), Gone> {
        match &self.made.live {
            Some(t) => {
                let file = t.weight_file();
                self.send(FromWorker::LiveWeights(file)).await
            }
            None => {
                let notice = Notice::Failed(WorkerError::NothingTrained);
                self.send(FromWorker::Notice(notice)).await
            }
        }
    }

    /// Trains the live model until Stop, another request or the end of its schedule,
    /// reporting every [`REPORT_MS`].
    pub(super) async fn train(
        &mut self,
        run: u64,
        settings: crate::live_run::LiveSettings,
        until: Option<usize>,
    ) -> Result<(), Gone> {
        let reusable =
            self.made.live.as_ref().is_some_and(|l| {
                l.settings == settings && until.is_none_or(|u| l.stepper.step <= u)
            });
        if !reusable {
            match LiveTrainer::new(settings) {
                Ok(t) => self.made.live = Some(t),
                Err(why) => {
                    let notice = Notice::Failed(WorkerError::Training(why));
                    self.send(FromWorker::Notice(notice)).await?;
                    return self.send(FromWorker::TrainingPaused { run }).await;
                }
            }
        }
        let (mut sum, mut n, mut last) = (0.0f32, 0usize, f64::NEG_INFINITY);
        loop {
            if self.stopped().await? || !self.between_steps().await? {
                break;
            }
            let Some(t) = self.made.live.as_mut() else {
                break;
            };
            if t.finished() || until.is_some_and(|u| t.stepper.step >= u) {
                break;
            }
            sum += t.step();
            n += 1;
            let now = js_sys::Date::now();
            if now - last >= REPORT_MS {
                let point = Box::new(t.point(sum / n as f32));
                (sum, n, last) = (0.0, 0, now);
                self.send(FromWorker::Trained { run, point }).await?;
            }
        }
        if n > 0
            && let Some(t) = &self.made.live
        {
            let point = Box::new(t.point(sum / n as f32));
            self.send(FromWorker::Trained { run, point }).await?;
        }
        self.send(FromWorker::TrainingPaused { run }).await
    }

    /// Answers, between two training steps, the requests the page makes by itself (an
    /// explanation, training curves); `false` when a request the visitor made waits (a run, a
    /// sweep...): training then pauses for it.
    async fn between_steps(&mut self) -> Result<bool, Gone> {
        while let Some(msg) = self.pending.pop_front() {
            if !matches!(msg, ToWorker::Explain { .. } | ToWorker::Curves { .. }) {
                self.pending.push_front(msg);
                return Ok(false);
            }
            // `handle` may train, which may call this: the future is boxed to break the cycle.
            let answer: std::pin::Pin<
                Box<dyn std::future::Future<Output = Result<(), Gone>> + '_>,
            > = Box::pin(self.handle(msg));
            answer.await?;
        }
        Ok(true)
    }
}
