//! What a training run is configured with and what it records: the settings, and the curves
//! (losses, head scores, ICL scores) written beside the weights. Plain data, so the page can
//! read the curves too; training itself lives in `train` (native only).

use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, ModelConfig};
use crate::data::DataMix;
use crate::tasks::Task;

/// Hyper-parameters of one training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    pub preset: String,
    pub steps: usize,
    pub batch_size: usize,
    pub lr: f64,
    pub warmup: usize,
    /// Final learning rate as a fraction of `lr`.
    pub min_lr_frac: f64,
    pub weight_decay: f32,
    pub grad_clip: f32,
    pub seed: u64,
    /// Share of repeated random strings in the data.
    pub induction_fraction: f32,
    /// Number of log-spaced checkpoints.
    pub checkpoints: usize,
    /// Extra evenly spaced checkpoints, so a late phase change is scrubbed in detail.
    #[serde(default)]
    pub linear_checkpoints: usize,
    /// Window override (default: the preset's).
    #[serde(default)]
    pub block_size: Option<usize>,
    /// Tasks of the few-shot share by name, a task listed twice drawn twice as often
    /// (default: every task, uniformly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<String>>,
    /// Weight of answer tokens in the loss relative to the other tokens.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub answer_weight: f32,
}

fn one() -> f32 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(w: &f32) -> bool {
    *w == 1.0
}

impl TrainConfig {
    /// The settings each zoo model is trained with.
    pub fn for_preset(preset: &str) -> Result<Self, ConfigError> {
        ModelConfig::preset(preset)?;
        let (steps, lr, induction) = match preset {
            "attn1" | "attn2" => (1500, 2e-3, 0.75),
            _ => (3000, 2e-3, 0.2),
        };
        Ok(Self {
            preset: preset.to_string(),
            steps,
            batch_size: 32,
            lr,
            warmup: 100,
            min_lr_frac: 0.1,
            weight_decay: 0.05,
            grad_clip: 1.0,
            seed: 0,
            induction_fraction: induction,
            // base's f16 checkpoints are 1.6 MB each: 10 keep the models folder under 20 MB.
            checkpoints: if preset == "base" { 10 } else { 8 },
            linear_checkpoints: if preset == "base" { 0 } else { 8 },
            block_size: None,
            tasks: None,
            answer_weight: 1.0,
        })
    }

    /// What the batches are drawn from; an unknown task name or a non-positive answer weight
    /// is an error.
    pub fn data_mix(&self) -> Result<DataMix, String> {
        if !(self.answer_weight > 0.0 && self.answer_weight.is_finite()) {
            return Err(format!(
                "answer weight must be positive, not {}",
                self.answer_weight
            ));
        }
        let mut mix = DataMix::new(self.induction_fraction);
        if let Some(names) = &self.tasks {
            mix.tasks = names
                .iter()
                .map(|n| {
                    Task::from_name(n.trim()).ok_or_else(|| {
                        let all: Vec<&str> = Task::ALL.iter().map(|t| t.name()).collect();
                        format!("unknown task {n:?}; tasks are {}", all.join(", "))
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(mix)
    }

    /// Learning rate at `step`: linear warmup, then cosine decay to `min_lr_frac * lr`.
    pub fn lr_at(&self, step: usize) -> f64 {
        if step < self.warmup {
            return self.lr * (step + 1) as f64 / self.warmup as f64;
        }
        let t = (step - self.warmup) as f64 / (self.steps - self.warmup).max(1) as f64;
        let cos = 0.5 * (1.0 + (std::f64::consts::PI * t.min(1.0)).cos());
        self.lr * (self.min_lr_frac + (1.0 - self.min_lr_frac) * cos)
    }

    /// Log-spaced checkpoint steps, the first ones early, plus `linear_checkpoints` evenly
    /// spaced ones; sorted, always ending at `steps`.
    pub fn checkpoint_steps(&self) -> Vec<usize> {
        let n = self.checkpoints.max(2);
        let first = 10f64.min(self.steps as f64);
        let mut v: Vec<usize> = (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                (first * (self.steps as f64 / first).powf(t)).round() as usize
            })
            .collect();
        let m = self.linear_checkpoints;
        v.extend((1..=m).map(|i| self.steps * i / m));
        v.sort_unstable();
        v.dedup();
        v
    }
}

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
    /// [`crate::metrics::IclScores::icl`].
    pub icl_score: f32,
    /// [`crate::metrics::IclScores::answers`].
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
