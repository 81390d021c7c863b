//! What a training run records beside its weights: losses, head scores and ICL scores at each
//! evaluation step, with the run's settings. Plain data, so the page reads the curves too.

use serde::{Deserialize, Serialize};

use crate::net::config::ModelConfig;
use crate::train::config::TrainConfig;

/// One evaluation point of the curves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub step: usize,
    pub tokens: u64,
    pub lr: f64,
    /// Mean training loss (nats/token) since the previous point (none before training).
    pub loss: Option<f32>,
    /// Mean training loss on answer tokens since the previous point.
    pub answer_loss: Option<f32>,
    /// `[layer][head]` induction scores.
    pub induction: Vec<Vec<f32>>,
    pub previous_token: Vec<Vec<f32>>,
    /// [`crate::eval::metrics::IclScores::icl`].
    pub icl_score: f32,
    /// [`crate::eval::metrics::IclScores::answers`].
    #[serde(default)]
    pub answer_icl_score: f32,
    pub loss_first_copy: f32,
    pub loss_second_copy: f32,
}

/// Everything written beside the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    pub model: String,
    pub train: TrainConfig,
    pub config: ModelConfig,
    pub points: Vec<CurvePoint>,
}
