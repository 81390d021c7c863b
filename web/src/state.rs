//! The page's one store: the document (what is shared and drafted), the model's status, and
//! the last run with its analysis.

use std::rc::Rc;

use icl_model::sampling::TokenInfo;
use yew::Reducible;

use crate::doc::Doc;
use crate::protocol::{FromWorker, ModelInfo, ModelSummary};
use crate::storage::Startup;

/// Where the model is.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelStatus {
    /// Downloading: bytes so far of the total (0/0 before the size is known).
    Loading {
        loaded: u64,
        total: u64,
    },
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

/// Scores of the last run's prompt and expected answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The prompt that was scored.
    pub prompt: String,
    /// Surprisal in bits per scored character.
    pub bits: Vec<f32>,
    /// Leading characters outside the window (not scored).
    pub skipped: usize,
    pub expected_logprob: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub doc: Doc,
    pub models: Vec<ModelSummary>,
    pub model: ModelStatus,
    pub run: u64,
    pub run_state: RunState,
    /// The prompt and expected completion the current run was started with.
    pub run_prompt: String,
    pub run_expected: Option<String>,
    pub tokens: Vec<TokenInfo>,
    /// Final text (without the stop sequence) once done.
    pub text: Option<String>,
    pub reason: Option<String>,
    pub analysis: Option<Analysis>,
    /// About the current run (unknown characters, truncation).
    pub notice: Option<String>,
    /// Page messages: a broken link, an unreadable draft, storage full.
    pub messages: Vec<String>,
    pub error: Option<String>,
    /// A link's document waiting for "keep mine" or "open the link".
    pub pending_link: Option<Doc>,
    /// The last link made by "Copy link".
    pub share_url: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            doc: Doc::default(),
            models: Vec::new(),
            model: ModelStatus::Loading {
                loaded: 0,
                total: 0,
            },
            run: 0,
            run_state: RunState::Idle,
            run_prompt: String::new(),
            run_expected: None,
            tokens: Vec::new(),
            text: None,
            reason: None,
            analysis: None,
            notice: None,
            messages: Vec::new(),
            error: None,
            pending_link: None,
            share_url: None,
        }
    }
}

impl State {
    /// The state a page opens with.
    pub fn from_startup(s: Startup) -> Self {
        Self {
            doc: s.doc,
            pending_link: s.pending_link,
            messages: s.messages,
            ..Self::default()
        }
    }

    /// The line the `role=status` region announces.
    pub fn status_line(&self) -> String {
        match (&self.model, self.run_state, &self.error) {
            (_, _, Some(e)) => format!("Error: {e}"),
            (ModelStatus::Loading { loaded, total }, _, _) if *total > 0 => format!(
                "Loading the model… {:.0}%",
                100.0 * *loaded as f64 / *total as f64
            ),
            (ModelStatus::Loading { .. }, _, _) => "Loading the model…".to_string(),
            (ModelStatus::Failed(_), _, _) => "The model could not be loaded.".to_string(),
            (_, RunState::Running, _) => "Generating…".to_string(),
            (_, RunState::Done, _) => "Done.".to_string(),
            (_, RunState::Idle, _) => "Ready.".to_string(),
        }
    }

    /// Whether the finished completion equals the expected one.
    pub fn exact_match(&self) -> Option<bool> {
        let expected = self.run_expected.as_ref()?;
        let text = self.text.as_ref()?;
        Some(text == expected)
    }
}

// Actions live for one dispatch; boxing the document would only add allocations.
#[allow(clippy::large_enum_variant)]
pub enum Action {
    /// The visitor changed the document.
    SetDoc(Doc),
    /// A new run was requested.
    Start {
        run: u64,
        prompt: String,
        expected: Option<String>,
    },
    Worker(FromWorker),
    WorkerGone,
    /// Loading again (Retry, or another model picked).
    Reload,
    /// A page message.
    Message(String),
    DismissMessages,
    /// A link was opened while the page was open.
    Opened(Startup),
    /// The visitor chose between their draft (`true`) and a link's document.
    ResolveLink {
        keep_mine: bool,
    },
    Shared(String),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetDoc(d) => {
                s.doc = d;
                s.share_url = None;
            }
            Action::Start {
                run,
                prompt,
                expected,
            } => {
                s.run = run;
                s.run_state = RunState::Running;
                s.run_prompt = prompt;
                s.run_expected = expected;
                s.tokens.clear();
                s.text = None;
                s.reason = None;
                s.analysis = None;
                s.notice = None;
                s.error = None;
            }
            Action::Reload => {
                s.model = ModelStatus::Loading {
                    loaded: 0,
                    total: 0,
                };
                s.error = None;
            }
            Action::WorkerGone => {
                s.error = Some("the model worker stopped; reload the page".into());
                s.run_state = RunState::Idle;
            }
            Action::Message(m) => {
                if !s.messages.contains(&m) {
                    s.messages.push(m);
                }
            }
            Action::DismissMessages => s.messages.clear(),
            Action::Opened(o) => {
                s.messages.extend(o.messages);
                if o.pending_link.is_some() {
                    s.pending_link = o.pending_link;
                } else {
                    s.doc = o.doc;
                }
            }
            Action::ResolveLink { keep_mine } => {
                if let Some(link) = s.pending_link.take()
                    && !keep_mine
                {
                    s.doc = link;
                }
            }
            Action::Shared(url) => s.share_url = Some(url),
            Action::Worker(msg) => s.apply(msg),
        }
        Rc::new(s)
    }
}

impl State {
    fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Models(m) => self.models = m,
            FromWorker::Loading { .. } => {
                self.model = ModelStatus::Loading {
                    loaded: 0,
                    total: 0,
                }
            }
            FromWorker::Progress { loaded, total } => {
                if matches!(self.model, ModelStatus::Loading { .. }) {
                    self.model = ModelStatus::Loading { loaded, total };
                }
            }
            FromWorker::Ready(info) => self.model = ModelStatus::Ready(info),
            FromWorker::LoadFailed { message } => self.model = ModelStatus::Failed(message),
            FromWorker::Notice { message } if !self.messages.contains(&message) => {
                self.messages.push(message);
            }
            FromWorker::Started {
                run,
                unknown_chars,
                dropped_tokens,
            } if run == self.run => {
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
                self.notice = (!notes.is_empty()).then(|| notes.join("; "));
            }
            FromWorker::Tokens { run, tokens } if run == self.run => self.tokens.extend(tokens),
            FromWorker::Done { run, text, reason } if run == self.run => {
                self.text = Some(text);
                self.reason = Some(reason);
                self.run_state = RunState::Done;
            }
            FromWorker::Analysis {
                run,
                bits,
                skipped,
                expected_logprob,
            } if run == self.run => {
                self.analysis = Some(Analysis {
                    prompt: self.run_prompt.clone(),
                    bits,
                    skipped,
                    expected_logprob,
                });
            }
            FromWorker::Failed { run, message } if run == self.run => {
                // "busy" answers a second request; the first run is still streaming.
                if !message.starts_with("busy") {
                    self.run_state = RunState::Idle;
                }
                self.error = Some(message);
            }
            _ => {}
        }
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

    fn start(run: u64) -> Action {
        Action::Start {
            run,
            prompt: "p".into(),
            expected: Some(" a".into()),
        }
    }

    #[test]
    fn a_run_streams_then_finishes_and_stale_runs_are_ignored() {
        let mut s = Rc::new(State::default());
        s = apply(s, start(1));
        assert_eq!(s.run_state, RunState::Running);
        assert_eq!(s.status_line(), "Loading the model…");
        s = apply(
            s,
            Action::Worker(FromWorker::Tokens {
                run: 1,
                tokens: vec![token(5)],
            }),
        );
        s = apply(
            s,
            Action::Worker(FromWorker::Tokens {
                run: 0,
                tokens: vec![token(6)],
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
                text: " a".into(),
                reason: "max tokens".into(),
            }),
        );
        assert_eq!(s.run_state, RunState::Done);
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
    fn busy_keeps_the_run_and_other_failures_end_it() {
        let mut s = apply(Rc::new(State::default()), start(2));
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
        assert_eq!(s.status_line(), "Error: no model");
    }

    #[test]
    fn keep_mine_keeps_the_draft_and_progress_is_announced() {
        let mine = Doc {
            query: "mine".into(),
            ..Doc::default()
        };
        let theirs = Doc {
            query: "theirs".into(),
            ..Doc::default()
        };
        let s = Rc::new(State::from_startup(Startup {
            doc: mine.clone(),
            pending_link: Some(theirs.clone()),
            messages: vec![],
        }));
        let kept = apply(s.clone(), Action::ResolveLink { keep_mine: true });
        assert_eq!((kept.doc.clone(), kept.pending_link.clone()), (mine, None));
        let taken = apply(s, Action::ResolveLink { keep_mine: false });
        assert_eq!(taken.doc, theirs);
        let p = apply(
            taken,
            Action::Worker(FromWorker::Progress {
                loaded: 50,
                total: 200,
            }),
        );
        assert_eq!(p.status_line(), "Loading the model… 25%");
    }
}
