//! The run part of the store: the last completion (its prompt, the tokens as they stream in,
//! how it ended) and the analysis of its prompt.
//!
//! It is its own reducer, so a streamed token batch re-makes only this part; the token list
//! sits behind an `Rc`, so renders pass it on without copying it.

use std::rc::Rc;

use icl_model::net::sampling::TokenInfo;
use yew::Reducible;

use crate::protocol::{Ended, FromWorker, WorkerError};

/// Where a completion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Running,
    Done,
}

/// Scores of the last run's prompt and expected answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    /// The prompt that was scored.
    pub prompt: String,
    /// Surprisal in bits per scored character.
    pub bits: Vec<f32>,
    /// Leading characters outside the window (not scored).
    pub skipped: usize,
    pub expected_logprob: Option<f32>,
}

/// What the worker found in the prompt it started from: characters outside the model's
/// alphabet, and characters past the window that were left out (at least one is not zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptNotice {
    pub unknown_chars: usize,
    pub dropped_tokens: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The job id of the current run (`None`: no run yet).
    pub id: Option<u64>,
    pub state: RunState,
    /// The prompt and expected completion the current run was started with.
    pub prompt: String,
    pub expected: Option<String>,
    /// The tokens so far (appended in place when this part is the only holder).
    pub tokens: Rc<Vec<TokenInfo>>,
    /// Final text (without the stop sequence) once done.
    pub text: Option<String>,
    pub reason: Option<Ended>,
    pub analysis: Option<Analysis>,
    /// About the current run (unknown characters, truncation).
    pub notice: Option<PromptNotice>,
    pub error: Option<WorkerError>,
}

impl Default for Run {
    fn default() -> Self {
        Self {
            id: None,
            state: RunState::Idle,
            prompt: String::new(),
            expected: None,
            tokens: Rc::default(),
            text: None,
            reason: None,
            analysis: None,
            notice: None,
            error: None,
        }
    }
}

impl Run {
    /// Whether the finished completion equals the expected one.
    pub fn exact_match(&self) -> Option<bool> {
        let expected = self.expected.as_ref()?;
        let text = self.text.as_ref()?;
        Some(text == expected)
    }
}

pub enum Action {
    /// A new run was requested.
    Start {
        run: u64,
        prompt: String,
        expected: Option<String>,
    },
    /// The model loads again: an earlier error is no longer the news.
    Reload,
    /// The worker died: a run in progress ends.
    WorkerCrashed,
    /// The worker's word on a run (answers to another run are dropped).
    Worker(FromWorker),
}

/// The run id a worker message answers, if it is about a run.
fn run_of(msg: &FromWorker) -> Option<u64> {
    match msg {
        FromWorker::Started { run, .. }
        | FromWorker::Tokens { run, .. }
        | FromWorker::Done { run, .. }
        | FromWorker::Analysis { run, .. }
        | FromWorker::Failed { run, .. } => Some(*run),
        _ => None,
    }
}

impl Reducible for Run {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if let Action::Worker(msg) = &action
            && (run_of(msg).is_none() || run_of(msg) != self.id)
        {
            // Not this run's: nothing to re-make.
            return self;
        }
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Start {
                run,
                prompt,
                expected,
            } => {
                s = Run {
                    id: Some(run),
                    state: RunState::Running,
                    prompt,
                    expected,
                    ..Run::default()
                };
            }
            Action::Reload => s.error = None,
            Action::WorkerCrashed => {
                if s.state == RunState::Running {
                    s.state = RunState::Idle;
                }
            }
            Action::Worker(msg) => s.apply(msg),
        }
        Rc::new(s)
    }
}

impl Run {
    fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Started {
                unknown_chars,
                dropped_tokens,
                ..
            } => {
                self.notice = (unknown_chars > 0 || dropped_tokens > 0).then_some(PromptNotice {
                    unknown_chars,
                    dropped_tokens,
                });
            }
            // Copies the list only while an earlier render still holds it.
            FromWorker::Tokens { tokens, .. } => Rc::make_mut(&mut self.tokens).extend(tokens),
            FromWorker::Done { text, reason, .. } => {
                self.text = Some(text);
                self.reason = Some(reason);
                self.state = RunState::Done;
            }
            FromWorker::Analysis {
                bits,
                skipped,
                expected_logprob,
                ..
            } => {
                self.analysis = Some(Analysis {
                    prompt: self.prompt.clone(),
                    bits,
                    skipped,
                    expected_logprob,
                });
            }
            FromWorker::Failed { error, .. } => {
                self.state = RunState::Idle;
                self.error = Some(error);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::completion::notice_words;
    use crate::components::model_status::status_line;
    use crate::i18n::Lang;
    use crate::store::page::ModelStatus;
    use icl_model::net::sampling::StopReason;

    fn token(id: u32) -> TokenInfo {
        TokenInfo {
            id,
            text: "a".into(),
            prob: 0.5,
            logprob: -0.69,
            top: Vec::new(),
        }
    }

    fn apply(s: Rc<Run>, a: Action) -> Rc<Run> {
        s.reduce(a)
    }

    fn start(run: u64) -> Action {
        Action::Start {
            run,
            prompt: "p".into(),
            expected: Some(" a".into()),
        }
    }

    /// The status line while the model loads.
    fn status(s: &Run) -> String {
        status_line(Lang::En, &ModelStatus::loading(), s)
    }

    #[test]
    fn a_run_streams_then_finishes_and_stale_runs_are_ignored() {
        let mut s = Rc::new(Run::default());
        s = apply(s, start(1));
        assert_eq!(s.state, RunState::Running);
        assert_eq!(status(&s), "Loading the model…");
        s = apply(
            s,
            Action::Worker(FromWorker::Tokens {
                run: 1,
                tokens: vec![token(5)],
            }),
        );
        let before = s.clone();
        s = apply(
            s,
            Action::Worker(FromWorker::Tokens {
                run: 0,
                tokens: vec![token(6)],
            }),
        );
        assert_eq!(s.tokens.len(), 1, "tokens of an older run are dropped");
        assert!(Rc::ptr_eq(&s, &before), "and nothing is re-made for them");
        s = apply(
            s,
            Action::Worker(FromWorker::Started {
                run: 1,
                unknown_chars: 3,
                dropped_tokens: 0,
            }),
        );
        assert!(
            notice_words(s.notice.as_ref().unwrap())
                .starts_with("3 characters are not in the model's alphabet")
        );
        s = apply(
            s,
            Action::Worker(FromWorker::Done {
                run: 1,
                text: " a".into(),
                reason: Ended::Finished(StopReason::MaxTokens),
            }),
        );
        assert_eq!(s.state, RunState::Done);
        assert_eq!(
            s.reason.as_ref().map(ToString::to_string).as_deref(),
            Some("max tokens")
        );
        assert_eq!(s.exact_match(), Some(true));
        s = apply(
            s,
            Action::Worker(FromWorker::Analysis {
                run: 1,
                bits: vec![1.0],
                skipped: 0,
                expected_logprob: Some(-0.5),
            }),
        );
        assert_eq!(s.analysis.as_ref().unwrap().prompt, "p");
    }

    #[test]
    fn a_failure_ends_the_run_and_says_why() {
        let mut s = apply(Rc::new(Run::default()), start(2));
        assert_eq!(s.state, RunState::Running);
        s = apply(
            s,
            Action::Worker(FromWorker::Failed {
                run: 2,
                error: WorkerError::NoLiveModel,
            }),
        );
        assert_eq!(s.state, RunState::Idle);
        assert_eq!(s.error, Some(WorkerError::NoLiveModel));
        assert_eq!(
            status(&s),
            "Error: no model was trained in this tab yet: press Train first"
        );
        let zh = status_line(Lang::Zh, &ModelStatus::loading(), &s);
        assert!(!zh.contains("Error") && !zh.contains("press Train"), "{zh}");
    }

    #[test]
    fn a_token_batch_appends_to_the_list_it_holds_alone() {
        let s = apply(Rc::new(Run::default()), start(1));
        let batch = |s: Rc<Run>, id| {
            apply(
                s,
                Action::Worker(FromWorker::Tokens {
                    run: 1,
                    tokens: vec![token(id)],
                }),
            )
        };
        let s = batch(s, 1);
        let list = Rc::as_ptr(&s.tokens);
        // Nothing else holds the part or its list: the batch is appended in place.
        let s = batch(s, 2);
        assert_eq!(Rc::as_ptr(&s.tokens), list);
        // A render still holds the list: it keeps what it was shown.
        let shown = s.tokens.clone();
        let s = batch(s, 3);
        assert_eq!((shown.len(), s.tokens.len()), (2, 3));
    }
}
