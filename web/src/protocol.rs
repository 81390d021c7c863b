//! Messages between the page and the model worker (a serde enum each way).

use icl_model::sampling::{SamplingConfig, TokenInfo};
use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Fetch, verify and load a model from the manifest (`None`: the first listed).
    /// `models_url` is the absolute URL of the models folder (the worker runs from a blob URL,
    /// so it cannot resolve relative paths itself).
    Load {
        models_url: String,
        model: Option<String>,
    },
    /// Complete `prompt`; tokens stream back tagged with `run`.
    Generate {
        run: u64,
        prompt: String,
        sampling: SamplingConfig,
    },
    /// End the current generation after the token being computed.
    Stop,
}

/// Facts about the loaded model, for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub name: String,
    pub params: u64,
    pub block_size: usize,
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// A model is being fetched.
    Loading { model: String },
    /// The model is verified and ready.
    Ready(ModelInfo),
    /// The model could not be loaded; the message says why and what to do.
    LoadFailed { message: String },
    /// Generation started: how the prompt was read.
    Started {
        run: u64,
        unknown_chars: usize,
        dropped_tokens: usize,
    },
    /// One generated token.
    Token { run: u64, token: TokenInfo },
    /// Generation ended; `text` is the completion without its stop sequence.
    Done {
        run: u64,
        text: String,
        reason: String,
    },
    /// Generation could not run.
    Failed { run: u64, message: String },
}
