//! A live training run as the page sees it: its settings, the points the worker reported, and
//! whether it is training. The worker owns the weights ([`crate::worker`]).

use icl_model::eval::metrics::HeadScores;
use icl_model::train::live::{Live, PHASE_CHANGE_INDUCTION};
use serde::{Deserialize, Serialize};

/// What a visitor chooses before pressing Train; with the seed, a run is reproducible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveSettings {
    /// 2 (the induction head forms) or 1 (the control).
    pub layers: usize,
    pub seed: u64,
    pub lr: f64,
    /// Share of repeated random strings; the rest are few-shot episodes.
    pub induction_fraction: f32,
}

impl Default for LiveSettings {
    fn default() -> Self {
        Self {
            layers: Live::TWO.n_layers,
            seed: 0,
            lr: Live::TWO.lr,
            induction_fraction: Live::TWO.induction_fraction,
        }
    }
}

impl LiveSettings {
    /// The preset these settings make.
    pub fn live(&self) -> Live {
        let base = Live::for_layers(self.layers);
        Live {
            lr: if self.lr.is_finite() && self.lr > 0.0 {
                self.lr.min(0.1)
            } else {
                base.lr
            },
            induction_fraction: if self.induction_fraction.is_finite() {
                self.induction_fraction.clamp(0.0, 1.0)
            } else {
                base.induction_fraction
            },
            ..base
        }
    }
}

/// What the worker reports about a live run, at least once a second while it trains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LivePoint {
    pub step: usize,
    /// Seconds spent training (scoring not counted).
    pub seconds: f64,
    /// Training tokens per second since the run started.
    pub tokens_per_s: f64,
    /// Mean training loss since the last point (nats per character).
    pub loss: f32,
    /// Per-head scores and the losses on a repeated random string.
    pub scores: HeadScores,
    /// Where the top induction head looks on one repeated random string.
    #[serde(default)]
    pub pattern: Option<HeadPattern>,
}

/// One head's attention on one repeated random string (`<bos> r r`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadPattern {
    pub layer: usize,
    pub head: usize,
    /// Positions (rows and columns).
    pub size: usize,
    /// `size × size` weights, row (query) by row; rows sum to 1 over the columns up to them.
    pub weights: Vec<f32>,
}

/// A live run on the page.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LiveRun {
    pub settings: LiveSettings,
    /// The request that trains it now (`None`: none yet; exports write 0).
    #[serde(serialize_with = "crate::protocol::job_or_zero")]
    pub run: Option<u64>,
    pub points: Vec<LivePoint>,
    pub training: bool,
}

impl LiveRun {
    /// The step where the induction head formed: the first point whose top induction score
    /// reached [`PHASE_CHANGE_INDUCTION`].
    pub fn formed_at(&self) -> Option<usize> {
        self.points
            .iter()
            .find(|p| p.scores.top_induction() >= PHASE_CHANGE_INDUCTION)
            .map(|p| p.step)
    }

    /// The last point, if any.
    pub fn last(&self) -> Option<&LivePoint> {
        self.points.last()
    }

    /// A point for `run` arrived (older runs' points are dropped).
    pub fn reported(&mut self, run: u64, point: LivePoint) {
        if Some(run) == self.run {
            self.points.push(point);
        }
    }

    /// The worker stopped training `run`.
    pub fn paused(&mut self, run: u64) {
        if Some(run) == self.run {
            self.training = false;
        }
    }

    /// Training starts or resumes as `run`; other settings start afresh.
    pub fn start(&mut self, run: u64, settings: LiveSettings) {
        if settings != self.settings {
            self.points.clear();
        }
        self.settings = settings;
        self.run = Some(run);
        self.training = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(step: usize, top: f32) -> LivePoint {
        LivePoint {
            step,
            seconds: step as f64 / 10.0,
            tokens_per_s: 1e4,
            loss: 2.0,
            scores: HeadScores {
                induction: vec![vec![0.0, top]],
                duplicate: vec![vec![0.0, 0.0]],
                previous_token: vec![vec![0.5, 0.0]],
                prefix_matching: vec![vec![0.0, top]],
                copying: vec![],
                loss_first_copy: 4.0,
                loss_second_copy: 1.0,
            },
            pattern: None,
        }
    }

    #[test]
    fn a_run_collects_its_points_and_marks_the_phase_change() {
        let mut r = LiveRun::default();
        r.start(1, LiveSettings::default());
        r.reported(1, point(100, 0.05));
        r.reported(7, point(150, 0.9));
        r.reported(1, point(700, 0.45));
        r.reported(1, point(800, 0.6));
        assert_eq!(r.points.len(), 3, "another run's point is dropped");
        assert_eq!(r.formed_at(), Some(700));
        r.paused(1);
        assert!(!r.training);
        // Resuming with the same settings keeps the curve; other settings start afresh.
        r.start(2, LiveSettings::default());
        assert_eq!(r.points.len(), 3);
        r.start(
            3,
            LiveSettings {
                layers: 1,
                ..LiveSettings::default()
            },
        );
        assert!(r.points.is_empty() && r.training);
    }

    #[test]
    fn settings_are_held_to_what_can_train() {
        let s = LiveSettings {
            layers: 7,
            lr: f64::NAN,
            induction_fraction: 3.0,
            ..LiveSettings::default()
        };
        let l = s.live();
        assert_eq!(
            (l.n_layers, l.lr, l.induction_fraction),
            (2, Live::TWO.lr, 1.0)
        );
        let one = LiveSettings {
            layers: 1,
            ..LiveSettings::default()
        };
        assert_eq!(one.live().n_layers, 1);
    }
}
