//! Messages between the page and the model worker (a serde enum each way).

use icl_model::sampling::{SamplingConfig, TokenInfo};
use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Fetch, verify and load a model from the manifest (`None` or an unknown id: the default).
    /// `models_url` is the absolute URL of the models folder (the worker runs from a blob URL,
    /// so it cannot resolve relative paths itself).
    Load {
        models_url: String,
        model: Option<String>,
    },
    /// Complete `prompt`; tokens stream back tagged with `run`. Afterwards the worker scores
    /// `expected` (if any) and the prompt's per-character surprisal.
    Generate {
        run: u64,
        prompt: String,
        sampling: SamplingConfig,
        expected: Option<String>,
    },
    /// End the current generation after the token being computed.
    Stop,
}

/// A model the page can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub params: u64,
    pub bytes: u64,
}

/// Facts about the loaded model, for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub name: String,
    pub params: u64,
    pub block_size: usize,
    /// Whether the weights came from this browser's cache instead of the network.
    pub from_cache: bool,
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The manifest's models, default first.
    Models(Vec<ModelSummary>),
    /// A model is being fetched.
    Loading { model: String },
    /// Download progress of the model file.
    Progress { loaded: u64, total: u64 },
    /// The model is verified and ready.
    Ready(ModelInfo),
    /// The model could not be loaded; the message says why and what to do.
    LoadFailed { message: String },
    /// Something the visitor should know that is not an error (e.g. offline storage is full).
    Notice { message: String },
    /// Generation started: how the prompt was read.
    Started {
        run: u64,
        unknown_chars: usize,
        dropped_tokens: usize,
    },
    /// Newly generated tokens (batched so a fast model never floods the page).
    Tokens { run: u64, tokens: Vec<TokenInfo> },
    /// Generation ended; `text` is the completion without its stop sequence.
    Done {
        run: u64,
        text: String,
        reason: String,
    },
    /// Scores computed after a run.
    Analysis {
        run: u64,
        /// Surprisal (bits) of each prompt character given the ones before it; the first
        /// `skipped` characters fell outside the window and are not scored.
        bits: Vec<f32>,
        skipped: usize,
        /// Log-probability (nats) of the expected completion, when one was given.
        expected_logprob: Option<f32>,
    },
    /// Generation could not run.
    Failed { run: u64, message: String },
}
