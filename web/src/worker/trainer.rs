//! The worker's live run: the same training step as `icl train` ([`Stepper`]), its clock, and
//! the points it reports to the page.

use icl_model::eval::metrics::{HEAD_PROBE, head_scores};
use icl_model::net::weights::{DType, to_bytes};
use icl_model::train::live::top_induction_pattern;
use icl_model::train::step::Stepper;

use super::WEB_BACKEND;
use crate::live_run::{HeadPattern, LivePoint, LiveSettings};
use crate::protocol::WeightFile;

/// How often a training run reports (ms): charts move at least once a second.
pub(super) const REPORT_MS: f64 = 500.0;

pub(super) struct LiveTrainer {
    pub settings: LiveSettings,
    pub stepper: Stepper,
    /// Seconds spent in training steps.
    pub seconds: f64,
    tokens_per_step: usize,
}

impl LiveTrainer {
    pub fn new(settings: LiveSettings) -> Result<Self, String> {
        let live = settings.live();
        let stepper = Stepper::new(
            &live.train_config(settings.seed),
            live.model_config(),
            WEB_BACKEND.device(),
            None,
        )
        .map_err(|e| e.to_string())?;
        Ok(Self {
            settings,
            stepper,
            seconds: 0.0,
            tokens_per_step: live.tokens_per_step(),
        })
    }

    /// Whether the run's schedule has ended.
    pub fn finished(&self) -> bool {
        self.stepper.step >= self.stepper.cfg.steps
    }

    /// Trains one step; its loss.
    pub fn step(&mut self) -> f32 {
        let t = js_sys::Date::now();
        let loss = self.stepper.step().loss;
        self.seconds += (js_sys::Date::now() - t) / 1000.0;
        loss
    }

    /// The live model as the project's weight file (f32), with its name.
    pub fn weight_file(&self) -> WeightFile {
        let step = self.stepper.step.to_string();
        let info = std::collections::BTreeMap::from([
            ("step".to_string(), step.clone()),
            (
                "trained".to_string(),
                "in the ICL Playground's tab".to_string(),
            ),
            (
                "settings".to_string(),
                serde_json::to_string(&self.settings).unwrap_or_default(),
            ),
        ]);
        WeightFile {
            name: format!("live{}_step{step}.bin", self.settings.layers),
            bytes: to_bytes(&self.stepper.model(), DType::F32, &info),
        }
    }

    /// The run now, with `loss` the mean training loss since the last point.
    pub fn point(&self, loss: f32) -> LivePoint {
        let p = HEAD_PROBE;
        let net = self.stepper.valid();
        let scores = head_scores(&net, self.stepper.device(), p.seed, p.strings, p.len);
        let pattern = top_induction_pattern(&net, self.stepper.device(), &scores).map(
            |(layer, head, size, weights)| HeadPattern {
                layer,
                head,
                size,
                weights,
            },
        );
        LivePoint {
            step: self.stepper.step,
            seconds: self.seconds,
            tokens_per_s: (self.stepper.step * self.tokens_per_step) as f64
                / self.seconds.max(1e-3),
            loss,
            scores,
            pattern,
        }
    }
}
