//! Learning in weights: a few optimiser steps on the visitor's own examples, for the page's
//! "in context or in weights?" view (after Akyürek et al. 2024, test-time training on
//! leave-one-out episodes). What a tune is asked and what it reports (its settings, its
//! progress points, why it cannot start) are here and need no training code: the page's main
//! thread and its inference worker use them. The tune itself, [`Tuner`], needs the `train`
//! feature (autodiff and an optimiser).

use serde::{Deserialize, Serialize};

use crate::eval::in_weights::LeaveOneOut;
use crate::eval::score::Scored;

#[cfg(feature = "train")]
mod tuner;
#[cfg(feature = "train")]
pub use tuner::{Episode, Tuner};

/// Which weights a tune moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moving {
    /// Every weight.
    All,
    /// The last `n` blocks, the final norm and the unembedding; the rest stays as shipped.
    LastBlocks(usize),
    /// A low-rank adapter of rank `r` on every weight matrix (LoRA); the shipped weights
    /// stay frozen.
    Adapter(usize),
    /// The MLPs only: attention, which reads the examples in the prompt, stays as shipped.
    Mlps,
}

impl std::fmt::Display for Moving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Moving::All => write!(f, "all"),
            Moving::LastBlocks(n) => write!(f, "last:{n}"),
            Moving::Adapter(r) => write!(f, "adapter:{r}"),
            Moving::Mlps => write!(f, "mlps"),
        }
    }
}

impl std::str::FromStr for Moving {
    type Err = String;

    /// `all`, `last:N` (the last N blocks), `adapter:R` (a rank-R adapter) or `mlps`.
    fn from_str(s: &str) -> Result<Self, String> {
        let number = |n: &str| {
            n.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{n:?} is not a positive whole number"))
        };
        match s.split_once(':') {
            None if s == "all" => Ok(Moving::All),
            None if s == "mlps" => Ok(Moving::Mlps),
            Some(("last", n)) => Ok(Moving::LastBlocks(number(n)?)),
            Some(("adapter", r)) => Ok(Moving::Adapter(number(r)?)),
            _ => Err(format!("{s:?}: expected all, last:N, adapter:R or mlps")),
        }
    }
}

/// A tune's settings: what a link carries so that another tab re-runs it to the same weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TuneSettings {
    /// Optimiser steps.
    pub steps: usize,
    /// AdamW's learning rate (constant after a short warmup).
    pub lr: f64,
    /// Episodes per step.
    pub batch: usize,
    pub moving: Moving,
    pub seed: u64,
}

/// The page's default, chosen by `icl eval --tune` probes on the learner (model/README.md,
/// "In context or in weights"): moving the MLPs learns the most in weights for what it costs
/// the examples in context; 12 steps at 4e-4 do what 16 at 3e-4 did, in a second on one core.
impl Default for TuneSettings {
    fn default() -> Self {
        Self {
            steps: 12,
            lr: 4e-4,
            batch: 2,
            moving: Moving::Mlps,
            seed: 0,
        }
    }
}

/// About how many progress points a tune reports between its first and last step.
pub const POINTS: usize = 8;

/// The most steps a tune may take (the page's field and links are held to it).
pub const MAX_STEPS: usize = 500;

/// Why a tune cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TuneError {
    #[error("tuning needs at least 2 examples (one is the query, the others its shots); got {0}")]
    TooFewExamples(usize),
    #[error("example {0} alone does not fit the model's window of {1} characters")]
    TooLong(usize, usize),
    #[error(
        "steps must be 1 to {MAX_STEPS}, batch at least 1 and the learning rate above 0 and finite"
    )]
    Settings,
    #[error("this model has no MLPs (attention only): choose other weights to move")]
    NoMlps,
}

/// A query's score on the tuned weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QueryScore {
    pub exact: bool,
    /// Log-probability (nats) of the right answer.
    pub logprob: f32,
}

impl From<Scored> for QueryScore {
    fn from(s: Scored) -> Self {
        Self {
            exact: s.exact,
            logprob: s.logprob,
        }
    }
}

/// A tune's progress, as the page charts it against steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TunePoint {
    /// Steps done.
    pub step: usize,
    /// The last step's loss on answer characters (nats; NaN before the first).
    pub loss: f32,
    /// The examples, each alone (what the weights learned).
    pub in_weights: LeaveOneOut,
    /// The examples, each the query of the others: scored before the first step and after the
    /// last only (between them, none: `n` is 0).
    pub both: LeaveOneOut,
    /// The visitor's query alone and with the examples, when its answer is known.
    pub query_in_weights: Option<QueryScore>,
    pub query_both: Option<QueryScore>,
}
