//! The inference worker's answers to what only the trainer worker does. The page sends
//! training and tunes to the trainer worker (`crate::hooks::supervisor`), so these answers are
//! for a request that reaches this worker anyway: no live or tuned model here, and no
//! training code to make one.

use icl_model::net::model::LeanModel;

use super::Worker;
use super::channel::Gone;
use crate::live_run::LiveSettings;
use crate::protocol::{FromWorker, ModelRef, Notice, TuneRequest, WorkerError};

impl Worker {
    /// There is no live or tuned model here.
    pub(super) fn made_model(&self, model: &ModelRef) -> Result<LeanModel, WorkerError> {
        Err(if model.is_live() {
            WorkerError::NoLiveModel
        } else {
            WorkerError::NoTunedModel
        })
    }

    pub(super) fn reset_training(&mut self) {}

    pub(super) fn reset_tune(&mut self) {}

    /// Training needs the trainer worker: the run pauses at once.
    pub(super) async fn train(
        &mut self,
        run: u64,
        _settings: LiveSettings,
        _until: Option<usize>,
    ) -> Result<(), Gone> {
        let notice = Notice::Failed(WorkerError::NoTrainingCode);
        self.send(FromWorker::Notice(notice)).await?;
        self.send(FromWorker::TrainingPaused { run }).await
    }

    /// A tune needs the trainer worker: it ends at once.
    pub(super) async fn tune(&mut self, run: u64, _request: TuneRequest) -> Result<(), Gone> {
        let result = Err(WorkerError::NoTrainingCode);
        self.send(FromWorker::TuneDone { run, result }).await
    }

    /// Nothing was trained here.
    pub(super) async fn export_live(&mut self) -> Result<(), Gone> {
        let notice = Notice::Failed(WorkerError::NothingTrained);
        self.send(FromWorker::Notice(notice)).await
    }

    /// Nothing was tuned here.
    pub(super) async fn export_tuned(&mut self) -> Result<(), Gone> {
        let notice = Notice::Failed(WorkerError::NoTunedModel);
        self.send(FromWorker::Notice(notice)).await
    }
}
