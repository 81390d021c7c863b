//! Messages between the page and the model worker (a serde enum each way).

use icl_model::eval::in_weights::SideColumn;
#[cfg(doc)]
use icl_model::eval::ladder_report::LADDER_FILE;
use icl_model::eval::ladder_report::LadderReport;
use icl_model::eval::score::SweepPoint;
use icl_model::net::sampling::{SamplingConfig, StopReason, TokenInfo};
use icl_model::rules::template::Template;
use icl_model::train::curves::CurvePoint;
use icl_model::train::tune::{TunePoint, TuneSettings};
use serde::{Deserialize, Serialize};

pub use crate::worker_error::{Damage, Notice, WorkerError};
pub use icl_model::eval::analysis::{Compared, Explanation, SweepSource};

/// Which weights a request runs on: a model of the manifest or one of its training
/// checkpoints, with some heads switched off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Target {
    pub model: ModelRef,
    /// Step of a shipped checkpoint (`None`: the final weights).
    pub checkpoint: Option<u64>,
    /// Ablated heads as `(layer, head)`.
    pub ablated: Vec<(usize, usize)>,
}

/// The model id of the model trained in this tab: requests for it run on the live weights.
pub const LIVE_MODEL: &str = "live";

/// The model id of the weights tuned in this tab on the visitor's examples: requests for it
/// run on the tuned weights.
pub const TUNED_MODEL: &str = "tuned";

/// Which model a document or a request names. It is written as the model id it always was
/// (`null`: the default model, [`LIVE_MODEL`]: the live one, [`TUNED_MODEL`]: the tuned one),
/// so links and drafts made before it read the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Option<String>", into = "Option<String>")]
pub enum ModelRef {
    /// The manifest's default (first) model.
    #[default]
    Default,
    /// A model of the manifest, by id.
    Shipped(String),
    /// The model trained in this tab.
    Live,
    /// A model of the page tuned in this tab on the visitor's examples.
    Tuned,
}

impl ModelRef {
    /// The model the id `id` names.
    pub fn from_id(id: &str) -> Self {
        if id == LIVE_MODEL {
            ModelRef::Live
        } else if id == TUNED_MODEL {
            ModelRef::Tuned
        } else {
            ModelRef::Shipped(id.to_string())
        }
    }

    /// Its model id (`None`: the default model).
    pub fn id(&self) -> Option<&str> {
        match self {
            ModelRef::Default => None,
            ModelRef::Shipped(id) => Some(id),
            ModelRef::Live => Some(LIVE_MODEL),
            ModelRef::Tuned => Some(TUNED_MODEL),
        }
    }

    /// The id of the manifest's model it names (`None`: the default, the live or the tuned
    /// model).
    pub fn shipped(&self) -> Option<&str> {
        match self {
            ModelRef::Shipped(id) => Some(id),
            _ => None,
        }
    }

    pub fn is_live(&self) -> bool {
        *self == ModelRef::Live
    }

    pub fn is_tuned(&self) -> bool {
        *self == ModelRef::Tuned
    }

    /// Whether it is made in this tab (the live or the tuned model): not a model of the
    /// manifest, so it has no checkpoints or training curves, and it cannot be tuned.
    pub fn made_here(&self) -> bool {
        matches!(self, ModelRef::Live | ModelRef::Tuned)
    }
}

impl From<Option<String>> for ModelRef {
    fn from(id: Option<String>) -> Self {
        id.map_or(ModelRef::Default, |id| ModelRef::from_id(&id))
    }
}

impl From<ModelRef> for Option<String> {
    fn from(m: ModelRef) -> Self {
        m.id().map(String::from)
    }
}

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
        target: Target,
    },
    /// Attention maps and head scores of `prompt`; random strings drawn from `seed`.
    Explain {
        run: u64,
        target: Target,
        prompt: String,
        seed: u64,
    },
    /// An ICL curve: one [`FromWorker::Swept`] per shot count as it is measured.
    Sweep {
        run: u64,
        target: Target,
        template: Template,
        source: SweepSource,
        ks: Vec<usize>,
    },
    /// Complete several prompts (one per compared variant), greedy or sampled, each scored
    /// against its expected answer.
    Compare { run: u64, variants: Vec<Variant> },
    /// A model's training curves (from the manifest's curves file).
    Curves { model: String },
    /// The ladder's measured table ([`LADDER_FILE`] beside the manifest).
    Ladder,
    /// End the current job (a completion, a sweep or a comparison) after the step being
    /// computed.
    Stop,
    /// Panics the worker: the end-to-end test of the page's worker supervisor sends it.
    Crash,
    /// Train the live model (a new one unless these settings are the paused run's) until
    /// Stop, another request, or the end of its schedule.
    Train {
        run: u64,
        settings: crate::live_run::LiveSettings,
        /// Pause at this step (a link's run reproduced).
        until: Option<usize>,
    },
    /// Forget the live model.
    ResetTraining,
    /// The live model's weight file (answered by `LiveWeights`).
    ExportLive,
    /// Tune a model of the page on the visitor's examples (boxed: it is large); reports
    /// [`FromWorker::Tuned`] after each step and ends with [`FromWorker::TuneDone`]. The
    /// tuned weights replace any earlier ones as the model [`ModelRef::Tuned`].
    Tune { run: u64, request: Box<TuneRequest> },
    /// Forget the tuned model.
    ResetTune,
    /// The tuned model's weight file (answered by `TunedWeights`).
    ExportTuned,
    /// Answer the requests sent before this one, then end: the page has started the trainer
    /// worker in this one's place.
    Close,
}

impl ToWorker {
    /// Whether only the trainer worker can do it (it trains or tunes: the inference worker
    /// has no training code).
    pub fn needs_trainer(&self) -> bool {
        matches!(self, ToWorker::Train { .. } | ToWorker::Tune { .. })
    }
}

/// What a tune runs: the weights it starts from, the visitor's examples in their template,
/// their query (scored, never trained on) and the tune's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneRequest {
    /// The weights tuned: a model of the manifest or one of its checkpoints (never the live
    /// or the tuned model; ablations are not applied).
    pub base: Target,
    pub template: Template,
    pub examples: Vec<(String, String)>,
    pub query: String,
    /// The query's right answer (without the output prefix's space), when known.
    pub expected: Option<String>,
    pub settings: TuneSettings,
}

/// How a tune ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuneOutcome {
    /// Whether Stop ended it before its last step (the weights are those of its last step).
    pub stopped: bool,
    /// The side-by-side view's columns, in [`icl_model::eval::in_weights::Column::ALL`]'s
    /// order.
    pub columns: Vec<SideColumn>,
}

/// A weight file of the project, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One column of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub target: Target,
    pub prompt: String,
    pub sampling: SamplingConfig,
    /// The right completion (with the output prefix's space), if known.
    pub expected: Option<String>,
}

/// Why a completion ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ended {
    /// The visitor pressed Stop.
    Stopped,
    /// The model reached a stop sequence or the token limit.
    Finished(StopReason),
}

impl Ended {
    /// Why the completion ended, in the page's language.
    pub fn words(&self, lang: crate::i18n::Lang) -> String {
        match self {
            Ended::Stopped => lang.t("stopped").to_string(),
            Ended::Finished(StopReason::StopSequence(s)) => {
                lang.f("stop sequence {s}", &[("s", &format!("{s:?}"))])
            }
            Ended::Finished(StopReason::MaxTokens) => lang.t("max tokens").to_string(),
        }
    }
}

impl std::fmt::Display for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ended::Stopped => write!(f, "stopped"),
            Ended::Finished(StopReason::StopSequence(s)) => write!(f, "stop sequence {s:?}"),
            Ended::Finished(StopReason::MaxTokens) => write!(f, "max tokens"),
        }
    }
}

/// A model the page can offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub params: u64,
    pub bytes: u64,
    /// Steps of its shipped training checkpoints.
    pub checkpoints: Vec<u64>,
    /// Its rung, if it is one of the ladder's (`rung3`): the Scale view's models, not
    /// offered by the model picker.
    #[serde(default)]
    pub rung: Option<usize>,
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
    /// The live run `run` now.
    Trained {
        run: u64,
        point: Box<crate::live_run::LivePoint>,
    },
    /// The live run `run` stopped training (Pause, another request, or its schedule ended).
    TrainingPaused { run: u64 },
    /// The live model as the project's weight file.
    LiveWeights(WeightFile),
    /// The tune `run` after a step (and once before the first: step 0).
    Tuned { run: u64, point: Box<TunePoint> },
    /// The tune `run` ended (finished or stopped), or could not run.
    TuneDone {
        run: u64,
        result: Result<TuneOutcome, WorkerError>,
    },
    /// The tuned model as the project's weight file.
    TunedWeights(WeightFile),
    /// The manifest's models, default first.
    Models(Vec<ModelSummary>),
    /// A model is being fetched.
    Loading { model: String },
    /// Download progress of the model file.
    Progress { loaded: u64, total: u64 },
    /// The model is verified and ready.
    Ready(ModelInfo),
    /// The model asked for is not in the manifest; the default model `used` was loaded
    /// instead (sent after its [`FromWorker::Ready`]).
    UnknownModel { requested: String, used: String },
    /// The model could not be loaded (why, and what to do).
    LoadFailed(WorkerError),
    /// Something the visitor should know that is not an answer (e.g. offline storage is full).
    Notice(Notice),
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
        reason: Ended,
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
    Failed { run: u64, error: WorkerError },
    /// The explanation asked for by [`ToWorker::Explain`] (boxed: it is large).
    Explained {
        run: u64,
        explanation: Box<Explanation>,
    },
    /// One point of a sweep.
    Swept { run: u64, point: SweepPoint },
    /// One variant of a comparison, by index, or why it could not run.
    ComparedOne {
        run: u64,
        index: usize,
        result: Result<Compared, WorkerError>,
    },
    /// A sweep or comparison ended (all points sent, stopped, or failed with `error`).
    JobDone {
        run: u64,
        error: Option<WorkerError>,
    },
    /// A model's training curves.
    Curves {
        model: String,
        points: Vec<CurvePoint>,
    },
    /// The ladder's measured table, or why there is none.
    Ladder(Result<LadderReport, WorkerError>),
}

/// What travels from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Envelope {
    /// The worker's wasm is running: messages can be delivered.
    Loaded,
    Out(FromWorker),
    /// The worker panicked (the panic message); it is dead from here on.
    Panicked(String),
}

/// A job id as exports write it: 0 for none (job ids start at 1).
pub fn job_or_zero<S: serde::Serializer>(job: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(job.unwrap_or(0))
}

/// The bytes a message travels as (bincode).
pub fn pack<T: Serialize>(msg: &T) -> Vec<u8> {
    bincode::serialize(msg).expect("a message serialises")
}

/// A message from its bytes; `None` when they are not one.
pub fn unpack<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    bincode::deserialize(bytes).ok()
}
