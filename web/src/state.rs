//! The page's one store: model status, prompt, and the streamed completion.

use std::rc::Rc;

use icl_model::sampling::TokenInfo;
use yew::Reducible;

use crate::protocol::{FromWorker, ModelInfo};

/// Where the model is.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelStatus {
    Loading,
    Ready(ModelInfo),
    Failed(String),
}

/// Where a completion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Running,
    Done,
}

/// The default prompt: a few-shot reverse task in the training format.
pub const DEFAULT_PROMPT: &str = "in: stone\nout: enots\nin: river\nout: revir\nin: cloud\nout:";

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub model: ModelStatus,
    pub prompt: String,
    pub run: u64,
    pub run_state: RunState,
    pub tokens: Vec<TokenInfo>,
    /// Final text (without the stop sequence) once done.
    pub text: Option<String>,
    pub reason: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            model: ModelStatus::Loading,
            prompt: DEFAULT_PROMPT.to_string(),
            run: 0,
            run_state: RunState::Idle,
            tokens: Vec::new(),
            text: None,
            reason: None,
            notice: None,
            error: None,
        }
    }
}

pub enum Action {
    SetPrompt(String),
    /// A new run was requested with this id.
    Start(u64),
    Worker(FromWorker),
    WorkerGone,
    Retry,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetPrompt(p) => s.prompt = p,
            Action::Start(run) => {
                s.run = run;
                s.run_state = RunState::Running;
                s.tokens.clear();
                s.text = None;
                s.reason = None;
                s.notice = None;
                s.error = None;
            }
            Action::Retry => {
                s.model = ModelStatus::Loading;
                s.error = None;
            }
            Action::WorkerGone => {
                s.error = Some("the model worker stopped; reload the page".into());
                s.run_state = RunState::Idle;
            }
            Action::Worker(msg) => match msg {
                FromWorker::Loading { .. } => s.model = ModelStatus::Loading,
                FromWorker::Ready(info) => s.model = ModelStatus::Ready(info),
                FromWorker::LoadFailed { message } => s.model = ModelStatus::Failed(message),
                FromWorker::Started {
                    run,
                    unknown_chars,
                    dropped_tokens,
                } if run == s.run => {
                    let mut notes = Vec::new();
                    if unknown_chars > 0 {
                        notes.push(format!(
                            "{unknown_chars} character{} not in the model's alphabet (read as <unk>)",
                            if unknown_chars == 1 { " is" } else { "s are" }
                        ));
                    }
                    if dropped_tokens > 0 {
                        notes.push(format!(
                            "the prompt is longer than the model's window: its first {dropped_tokens} characters were left out"
                        ));
                    }
                    s.notice = (!notes.is_empty()).then(|| notes.join("; "));
                }
                FromWorker::Token { run, token } if run == s.run => s.tokens.push(token),
                FromWorker::Done { run, text, reason } if run == s.run => {
                    s.text = Some(text);
                    s.reason = Some(reason);
                    s.run_state = RunState::Done;
                }
                FromWorker::Failed { run, message } if run == s.run => {
                    // "busy" answers a second request; the first run is still streaming.
                    if !message.starts_with("busy") {
                        s.run_state = RunState::Idle;
                    }
                    s.error = Some(message);
                }
                _ => {}
            },
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icl_model::sampling::TokenInfo;

    fn token(id: u32) -> TokenInfo {
        TokenInfo {
            id,
            text: "a".into(),
            prob: 0.5,
            logprob: -0.69,
            top: Vec::new(),
        }
    }

    fn apply(s: Rc<State>, a: Action) -> Rc<State> {
        s.reduce(a)
    }

    #[test]
    fn a_run_streams_then_finishes_and_stale_runs_are_ignored() {
        let mut s = Rc::new(State::default());
        s = apply(s, Action::Start(1));
        assert_eq!(s.run_state, RunState::Running);
        s = apply(
            s,
            Action::Worker(FromWorker::Token {
                run: 1,
                token: token(5),
            }),
        );
        s = apply(
            s,
            Action::Worker(FromWorker::Token {
                run: 0,
                token: token(6),
            }),
        );
        assert_eq!(s.tokens.len(), 1, "tokens of an older run are dropped");
        s = apply(
            s,
            Action::Worker(FromWorker::Started {
                run: 1,
                unknown_chars: 3,
                dropped_tokens: 0,
            }),
        );
        assert!(
            s.notice
                .as_deref()
                .unwrap()
                .starts_with("3 characters are not in the model's alphabet")
        );
        s = apply(
            s,
            Action::Worker(FromWorker::Done {
                run: 1,
                text: "a".into(),
                reason: "max tokens".into(),
            }),
        );
        assert_eq!(s.run_state, RunState::Done);
        assert_eq!(s.text.as_deref(), Some("a"));
    }

    #[test]
    fn busy_keeps_the_run_and_other_failures_end_it() {
        let mut s = apply(Rc::new(State::default()), Action::Start(2));
        s = apply(
            s,
            Action::Worker(FromWorker::Failed {
                run: 2,
                message: "busy: stop first".into(),
            }),
        );
        assert_eq!(s.run_state, RunState::Running);
        s = apply(
            s,
            Action::Worker(FromWorker::Failed {
                run: 2,
                message: "no model".into(),
            }),
        );
        assert_eq!(s.run_state, RunState::Idle);
        assert_eq!(s.error.as_deref(), Some("no model"));
    }
}
