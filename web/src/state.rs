//! The page's one store: the document (what is shared and drafted), the model's status, and
//! the last run with its analysis.
//!
//! Its length is ≈425 lines of code; the rest are tests of the reducer.

use std::rc::Rc;

use icl_model::eval::score::SweepPoint;
use icl_model::net::sampling::TokenInfo;
use icl_model::train::curves::CurvePoint;
use yew::Reducible;

use crate::doc::Doc;
use crate::live::{LiveRun, LiveSettings};
use crate::protocol::{Compared, Ended, Explanation, FromWorker, ModelInfo, ModelSummary};
use crate::storage::{SET_ASIDE_KEEP, SetAside, Startup, Why, draft_json, meet};

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

impl ModelStatus {
    /// Loading, size not known yet.
    pub fn loading() -> Self {
        ModelStatus::Loading {
            loaded: 0,
            total: 0,
        }
    }
}

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

/// One line of the ICL curve chart: a sweep of one model (checkpoint, ablation).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Series {
    pub run: u64,
    pub label: String,
    pub points: Vec<SweepPoint>,
    pub done: bool,
}

/// A comparison: one row per variant, filled as results arrive.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    pub run: u64,
    pub vary: crate::doc::Vary,
    pub labels: Vec<String>,
    /// Parameters of each row's model (for the scaling strip).
    pub params: Vec<u64>,
    pub results: Vec<Option<Compared>>,
    /// Per row: the run of its batch sweep and its point once measured.
    pub batches: Vec<(u64, Option<SweepPoint>)>,
    pub done: bool,
}

/// Most ICL curves kept on the chart.
pub const MAX_SERIES: usize = 6;

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
    pub reason: Option<Ended>,
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
    /// Attention maps and head scores (shared, not copied: they are large).
    pub explanation: Option<Rc<Explanation>>,
    /// The explanation asked for last; older ones are dropped when they arrive.
    pub explain_run: u64,
    /// ICL curves on the chart, oldest first.
    pub series: Vec<Series>,
    pub comparison: Option<Comparison>,
    /// Training curves by model id.
    pub curves: Vec<(String, Rc<Vec<CurvePoint>>)>,
    /// Earlier work set aside (oldest first), for Recover; saved as it changes.
    pub set_aside: Vec<SetAside>,
    /// The stored draft could not be set aside: autosave must not overwrite it.
    pub protect_draft: bool,
    /// Workers started after a crash (the page reloads the model when it changes).
    pub worker_restarts: u32,
    /// Crashes since the model was last ready: past [`MAX_RESTARTS`] the page stops trying.
    pub crashes_since_ready: u32,
    /// The model trained in this tab.
    pub live: LiveRun,
    /// The live training settings as shown (applied by the next Train).
    pub live_settings: LiveSettings,
    /// A link's live run, to train again to its step (taken out of the document).
    pub live_replay: Option<crate::doc::LiveLink>,
    /// The live model's weight file, once asked for: its name and bytes.
    pub live_file: Option<Rc<(String, Vec<u8>)>>,
}

/// Crashes in a row after which the page stops starting new workers (Retry starts one).
pub const MAX_RESTARTS: u32 = 3;

impl Default for State {
    fn default() -> Self {
        Self {
            doc: Doc::default(),
            models: Vec::new(),
            model: ModelStatus::loading(),
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
            explanation: None,
            explain_run: 0,
            series: Vec::new(),
            comparison: None,
            curves: Vec::new(),
            set_aside: Vec::new(),
            protect_draft: false,
            worker_restarts: 0,
            crashes_since_ready: 0,
            live: LiveRun::default(),
            live_settings: LiveSettings::default(),
            live_replay: None,
            live_file: None,
        }
    }
}

impl State {
    /// The state a page opens with.
    pub fn from_startup(s: Startup, set_aside: Vec<SetAside>) -> Self {
        let mut doc = s.doc;
        let live_replay = doc.live.take();
        Self {
            doc,
            live_replay,
            pending_link: s.pending_link,
            messages: s.messages,
            protect_draft: s.protect_draft,
            set_aside,
            ..Self::default()
        }
    }

    /// Sets the document on screen aside (when it holds anything) before it is replaced.
    fn keep_aside(&mut self, now: f64) {
        if self.doc.is_default() {
            return;
        }
        self.set_aside.push(SetAside {
            when: now,
            why: Why::Replaced,
            text: draft_json(&self.doc),
        });
        let excess = self.set_aside.len().saturating_sub(SET_ASIDE_KEEP);
        self.set_aside.drain(..excess);
    }

    /// The line the `role=status` region announces.
    pub fn status_line(&self) -> String {
        let lang = self.doc.lang;
        let fixed = |en: &'static str| lang.t(en).to_string();
        match (&self.model, self.run_state, &self.error) {
            (_, _, Some(e)) => lang.f("Error: {e}", &[("e", &lang.t_owned(e))]),
            (ModelStatus::Loading { loaded, total }, _, _) if *total > 0 => lang.f(
                "Loading the model… {pct}%",
                &[(
                    "pct",
                    &format!("{:.0}", 100.0 * *loaded as f64 / *total as f64),
                )],
            ),
            (ModelStatus::Loading { .. }, _, _) => fixed("Loading the model…"),
            (ModelStatus::Failed(_), _, _) => fixed("The model could not be loaded."),
            (_, RunState::Running, _) => fixed("Generating…"),
            (_, RunState::Done, _) => fixed("Done."),
            (_, RunState::Idle, _) => fixed("Ready."),
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
    /// The worker died (why); the supervisor has ended it.
    WorkerCrashed(String),
    /// Loading again (Retry, or another model picked).
    Reload,
    /// A page message.
    Message(String),
    DismissMessages,
    /// A link was opened while the page was open: its document, or the message saying why
    /// it could not be opened. It meets the document on screen.
    LinkOpened(Result<Doc, String>),
    /// The visitor chose between the document on screen (`true`) and a link's document; the
    /// one replaced is set aside (at `now`, ms since 1970).
    ResolveLink {
        keep_mine: bool,
        now: f64,
    },
    /// Restore the set-aside entry at this index; the document on screen is set aside.
    Recover {
        index: usize,
        now: f64,
    },
    Shared(String),
    /// An explanation was asked for with this run id.
    Explaining(u64),
    /// The live training settings were edited.
    LiveSettings(LiveSettings),
    /// Live training started (or resumed) as this run with the shown settings.
    LiveStarted(u64),
    /// The live model was forgotten.
    LiveReset,
    /// An ICL curve is being measured.
    SweepStarted {
        run: u64,
        label: String,
    },
    ClearSeries,
    /// A comparison was started (its rows empty).
    CompareStarted(Comparison),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetDoc(d) => {
                // The inputs hold these limits too; the reducer is where they are kept.
                s.doc = d.clamped().0;
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
                s.model = ModelStatus::loading();
                s.error = None;
            }
            Action::WorkerCrashed(why) => s.worker_crashed(&why),
            Action::Message(m) => s.say(m),
            Action::Explaining(run) => s.explain_run = run,
            Action::SweepStarted { run, label } => {
                s.series.push(Series {
                    run,
                    label,
                    points: Vec::new(),
                    done: false,
                });
                if s.series.len() > MAX_SERIES {
                    s.series.remove(0);
                }
            }
            Action::ClearSeries => s.series.clear(),
            Action::LiveSettings(l) => s.live_settings = l,
            Action::LiveStarted(run) => {
                let settings = s.live_settings.clone();
                s.live.start(run, settings);
            }
            Action::LiveReset => {
                s.live = LiveRun::default();
                s.live_file = None;
            }
            Action::CompareStarted(c) => s.comparison = Some(c),
            Action::DismissMessages => s.messages.clear(),
            Action::LinkOpened(Ok(mut link)) => {
                if let Some(l) = link.live.take() {
                    s.live_replay = Some(l);
                }
                let (doc, pending) = meet(&s.doc, link);
                s.doc = doc;
                s.pending_link = pending;
            }
            Action::LinkOpened(Err(message)) => s.say(message),
            Action::ResolveLink { keep_mine, now } => {
                if let Some(link) = s.pending_link.take()
                    && !keep_mine
                {
                    s.keep_aside(now);
                    s.doc = link;
                }
            }
            Action::Recover { index, now } => {
                if let Some(doc) = s.set_aside.get(index).and_then(SetAside::doc) {
                    s.set_aside.remove(index);
                    s.keep_aside(now);
                    s.doc = doc;
                    s.share_url = None;
                }
            }
            Action::Shared(url) => s.share_url = Some(url),
            Action::Worker(msg) => s.apply(msg),
        }
        Rc::new(s)
    }
}

impl State {
    /// Adds a page message once.
    fn say(&mut self, message: String) {
        if !self.messages.contains(&message) {
            self.messages.push(message);
        }
    }

    /// Ends what the dead worker was doing and, unless it keeps crashing, asks for a new one.
    fn worker_crashed(&mut self, why: &str) {
        let why: String = why.chars().take(200).collect();
        self.crashes_since_ready += 1;
        self.live.training = false;
        if self.run_state == RunState::Running {
            self.run_state = RunState::Idle;
        }
        for series in &mut self.series {
            series.done = true;
        }
        if let Some(c) = &mut self.comparison {
            c.done = true;
        }
        if self.crashes_since_ready > MAX_RESTARTS {
            self.model = ModelStatus::Failed(format!("the model worker keeps stopping ({why})"));
        } else {
            self.worker_restarts += 1;
            self.model = ModelStatus::loading();
            let said = self.doc.lang.f(
                "The model worker stopped ({why}). A new one was started and the model is loading again: run again once it is ready.",
                &[("why", &why)],
            );
            self.say(said);
        }
    }

    /// The models of the list, and the model trained in this tab once it has trained (Run
    /// and Compare offer it beside the shipped ones).
    pub fn models_with_live(&self) -> Vec<ModelSummary> {
        let mut models = self.models.clone();
        if let Some(p) = self.live.last() {
            let live = self.live.settings.live();
            let name = if live.n_layers == 1 {
                "Trained in this tab (1 layer, step {step})"
            } else {
                "Trained in this tab ({n} layers, step {step})"
            };
            models.push(ModelSummary {
                id: crate::protocol::LIVE_MODEL.into(),
                name: self
                    .doc
                    .lang
                    .f(name, &[("n", &live.n_layers), ("step", &p.step)]),
                description: String::new(),
                params: live.model_config().param_count(),
                bytes: 0,
                checkpoints: Vec::new(),
            });
        }
        models
    }

    /// The id of the model that is loaded and ready, if any.
    pub fn ready_model(&self) -> Option<String> {
        match &self.model {
            ModelStatus::Ready(i) => Some(i.id.clone()),
            _ => None,
        }
    }

    /// The window of the model that is ready, if any.
    pub fn block_size(&self) -> Option<usize> {
        if self.doc.model.as_deref() == Some(crate::protocol::LIVE_MODEL) {
            return Some(self.live.settings.live().block);
        }
        match &self.model {
            ModelStatus::Ready(i) => Some(i.block_size),
            _ => None,
        }
    }

    /// Whether an ICL curve or a comparison is being measured.
    pub fn measuring(&self) -> bool {
        self.series.iter().any(|s| !s.done) || self.comparison.as_ref().is_some_and(|c| !c.done)
    }

    /// The training curves of the current model, once fetched.
    /// The name (without extension) of an export of `view`: the view, the model it shows and
    /// the checkpoint or live step, e.g. `icl-curve_base_step6300`.
    pub fn file_stem(&self, view: &str) -> String {
        let model = self.doc.model.clone().or_else(|| self.ready_model());
        let step = if model.as_deref() == Some(crate::protocol::LIVE_MODEL) {
            self.live.last().map(|p| p.step)
        } else {
            self.doc.explore.checkpoint.map(|c| c as usize)
        };
        crate::export::file_stem(view, model.as_deref(), step)
    }

    pub fn current_curves(&self) -> Option<Rc<Vec<CurvePoint>>> {
        let id = match (&self.doc.model, &self.model) {
            (Some(m), _) => m.clone(),
            (None, ModelStatus::Ready(i)) => i.id.clone(),
            _ => return None,
        };
        self.curves
            .iter()
            .find(|(m, _)| *m == id)
            .map(|(_, c)| c.clone())
    }

    fn apply(&mut self, msg: FromWorker) {
        match msg {
            FromWorker::Models(m) => self.models = m,
            FromWorker::Loading { .. } => self.model = ModelStatus::loading(),
            FromWorker::Progress { loaded, total } => {
                if matches!(self.model, ModelStatus::Loading { .. }) {
                    self.model = ModelStatus::Loading { loaded, total };
                }
            }
            FromWorker::Ready(info) => {
                self.model = ModelStatus::Ready(info);
                self.crashes_since_ready = 0;
            }
            FromWorker::LoadFailed { message } => self.model = ModelStatus::Failed(message),
            FromWorker::Notice { message } => self.say(message),
            FromWorker::Trained { run, point } => self.live.reported(run, *point),
            FromWorker::TrainingPaused { run } => self.live.paused(run),
            FromWorker::LiveWeights { name, bytes } => {
                self.live_file = Some(Rc::new((name, bytes)))
            }
            FromWorker::UnknownModel { requested, used } => {
                // Only when the page still asks for that model (the visitor may have chosen
                // another since); the document then names the model that runs.
                if self.doc.model.as_deref() == Some(requested.as_str()) {
                    self.doc.model = Some(used.clone());
                }
                let said = self.doc.lang.f(
                    "This page has no model with the name the link or draft gave; the model {used} is used instead.",
                    &[("used", &used)],
                );
                self.say(said);
            }
            FromWorker::Explained { run, explanation } if run == self.explain_run => {
                self.explanation = Some(Rc::new(*explanation));
            }
            FromWorker::Swept { run, point } => {
                if let Some(series) = self.series.iter_mut().find(|x| x.run == run) {
                    series.points.push(point);
                } else if let Some(c) = self.comparison.as_mut()
                    && let Some(b) = c.batches.iter_mut().find(|b| b.0 == run)
                {
                    b.1 = Some(point);
                }
            }
            FromWorker::ComparedOne { run, index, result } => {
                if let Some(c) = self.comparison.as_mut().filter(|c| c.run == run)
                    && let Some(slot) = c.results.get_mut(index)
                {
                    *slot = Some(result);
                }
            }
            FromWorker::JobDone { run, error } => {
                if let Some(series) = self.series.iter_mut().find(|x| x.run == run) {
                    series.done = true;
                }
                if let Some(c) = self.comparison.as_mut().filter(|c| c.run == run) {
                    c.done = true;
                }
                if let Some(e) = error {
                    self.say(e);
                }
            }
            FromWorker::Curves { model, points } => {
                self.curves.retain(|(m, _)| *m != model);
                self.curves.push((model, Rc::new(points)));
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
                self.run_state = RunState::Idle;
                self.error = Some(message);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icl_model::eval::score::SweepPoint;
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
    fn an_unknown_model_becomes_the_default_in_the_document_too() {
        let asked = State {
            doc: Doc {
                model: Some("gone".into()),
                ..Doc::default()
            },
            ..State::default()
        };
        let unknown = |requested: &str| {
            Action::Worker(FromWorker::UnknownModel {
                requested: requested.into(),
                used: "base".into(),
            })
        };
        let s = apply(Rc::new(asked.clone()), unknown("gone"));
        assert_eq!(s.doc.model.as_deref(), Some("base"));
        assert!(
            s.messages[0].contains("base is used instead"),
            "{:?}",
            s.messages
        );
        assert!(!s.messages[0].contains("gone"));
        // The visitor chose another model since: their choice stays.
        let s = apply(Rc::new(asked), unknown("older"));
        assert_eq!(s.doc.model.as_deref(), Some("gone"));
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
                reason: Ended::Finished(StopReason::MaxTokens),
            }),
        );
        assert_eq!(s.run_state, RunState::Done);
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
        let mut s = apply(Rc::new(State::default()), start(2));
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
        let s = Rc::new(State::from_startup(
            Startup {
                doc: mine.clone(),
                pending_link: Some(theirs.clone()),
                messages: vec![],
                protect_draft: false,
            },
            vec![],
        ));
        let kept = apply(
            s.clone(),
            Action::ResolveLink {
                keep_mine: true,
                now: 1.0,
            },
        );
        assert_eq!(
            (kept.doc.clone(), kept.pending_link.clone()),
            (mine.clone(), None)
        );
        assert!(kept.set_aside.is_empty());
        let taken = apply(
            s,
            Action::ResolveLink {
                keep_mine: false,
                now: 2.0,
            },
        );
        assert_eq!(taken.doc, theirs);
        // The replaced work is set aside, and Recover brings it back (setting the link's aside).
        assert_eq!(taken.set_aside.len(), 1);
        assert_eq!(taken.set_aside[0].doc(), Some(mine.clone()));
        let back = apply(taken.clone(), Action::Recover { index: 0, now: 3.0 });
        assert_eq!(back.doc, mine);
        assert_eq!(back.set_aside.len(), 1);
        assert_eq!(back.set_aside[0].doc(), Some(theirs));
        let p = apply(
            taken,
            Action::Worker(FromWorker::Progress {
                loaded: 50,
                total: 200,
            }),
        );
        assert_eq!(p.status_line(), "Loading the model… 25%");
    }

    #[test]
    fn a_link_opened_later_meets_the_document_on_screen() {
        let on_screen = Doc {
            query: "typed, not yet saved".into(),
            ..Doc::default()
        };
        let link = Doc {
            query: "from the link".into(),
            ..Doc::default()
        };
        let s = apply(Rc::new(State::default()), Action::SetDoc(on_screen.clone()));
        let asked = apply(s.clone(), Action::LinkOpened(Ok(link.clone())));
        assert_eq!(asked.doc, on_screen);
        assert_eq!(asked.pending_link, Some(link.clone()));
        let broken = apply(
            s,
            Action::LinkOpened(Err("This link could not be opened".into())),
        );
        assert_eq!(broken.doc, on_screen);
        assert_eq!(broken.messages.len(), 1);
        // Nothing of the visitor's on screen: the link opens.
        let opened = apply(
            Rc::new(State::default()),
            Action::LinkOpened(Ok(link.clone())),
        );
        assert_eq!(
            (opened.doc.clone(), opened.pending_link.clone()),
            (link, None)
        );
    }

    #[test]
    fn a_crashed_worker_ends_its_jobs_and_restarts_a_few_times() {
        let running = apply(
            Rc::new(State::default()),
            Action::Start {
                run: 1,
                prompt: "in: a\nout:".into(),
                expected: None,
            },
        );
        let s = apply(running, Action::WorkerCrashed("boom".into()));
        assert_eq!(s.run_state, RunState::Idle);
        assert_eq!(s.worker_restarts, 1);
        assert_eq!(s.model, ModelStatus::loading());
        assert!(s.messages[0].contains("boom"));
        let mut s = s;
        for _ in 0..MAX_RESTARTS {
            s = apply(s, Action::WorkerCrashed("boom".into()));
        }
        assert_eq!(s.worker_restarts, MAX_RESTARTS);
        assert!(matches!(s.model, ModelStatus::Failed(_)));
    }

    #[test]
    fn a_links_live_run_is_taken_out_to_be_trained_again() {
        use crate::doc::LiveLink;
        let doc = Doc {
            live: Some(LiveLink {
                settings: LiveSettings::default(),
                step: 700,
            }),
            ..Doc::default()
        };
        let back = crate::share::decode(&crate::share::encode(&doc)).unwrap();
        assert_eq!(back.live, doc.live);
        let s = State::from_startup(
            Startup {
                doc: back,
                pending_link: None,
                messages: vec![],
                protect_draft: false,
            },
            vec![],
        );
        assert_eq!(s.doc.live, None, "the draft does not keep it");
        assert_eq!(s.live_replay.map(|l| l.step), Some(700));
        let far = Doc {
            live: Some(LiveLink {
                settings: LiveSettings {
                    layers: 9,
                    ..LiveSettings::default()
                },
                step: 1_000_000,
            }),
            ..Doc::default()
        }
        .checked()
        .unwrap()
        .live
        .unwrap();
        let two = icl_model::train::live::Live::TWO;
        assert_eq!((far.settings.layers, far.step), (two.n_layers, two.steps));
    }

    #[test]
    fn edits_are_held_to_the_limits() {
        let long = Doc {
            query: "é".repeat(crate::doc::MAX_TEXT + 10),
            ..Doc::default()
        };
        let s = apply(Rc::new(State::default()), Action::SetDoc(long));
        assert_eq!(s.doc.query.chars().count(), crate::doc::MAX_TEXT);
    }

    fn point(k: usize) -> SweepPoint {
        SweepPoint {
            k,
            n: 4,
            exact_match: 0.5,
            mean_logprob: -1.0,
        }
    }

    #[test]
    fn sweeps_fill_their_own_series_and_old_explanations_are_dropped() {
        let s = Rc::new(State::default());
        let s = apply(
            s,
            Action::SweepStarted {
                run: 7,
                label: "base".into(),
            },
        );
        let s = apply(
            s,
            Action::SweepStarted {
                run: 8,
                label: "attn2".into(),
            },
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::Swept {
                run: 8,
                point: point(0),
            }),
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::Swept {
                run: 7,
                point: point(0),
            }),
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::Swept {
                run: 7,
                point: point(1),
            }),
        );
        assert_eq!(s.series[0].points.len(), 2);
        assert_eq!(s.series[1].points.len(), 1);
        let s = apply(
            s,
            Action::Worker(FromWorker::JobDone {
                run: 7,
                error: Some("no model".into()),
            }),
        );
        assert!(s.series[0].done && !s.series[1].done);
        assert_eq!(s.messages, vec!["no model".to_string()]);
        // At most MAX_SERIES curves stay, the oldest go first.
        let mut s = s;
        for run in 100..110 {
            s = apply(
                s,
                Action::SweepStarted {
                    run,
                    label: String::new(),
                },
            );
        }
        assert_eq!(s.series.len(), MAX_SERIES);
        assert_eq!(s.series[0].run, 110 - MAX_SERIES as u64);

        let explanation = |n: usize| Explanation {
            chars: vec!["a".into(); n],
            skipped: 0,
            layers: 1,
            heads: 1,
            attention: vec![0.0; n * n],
            random: icl_model::eval::metrics::HeadScores {
                induction: vec![vec![0.0]],
                duplicate: vec![vec![0.0]],
                previous_token: vec![vec![0.0]],
                prefix_matching: vec![vec![0.0]],
                copying: vec![vec![0.0]],
                loss_first_copy: 1.0,
                loss_second_copy: 1.0,
            },
            prompt: icl_model::eval::metrics::PromptHeads {
                previous_token: vec![vec![0.0]],
                prefix_matching: vec![vec![0.0]],
            },
            repeat: String::new(),
            repeat_losses: Vec::new(),
        };
        let s = apply(s, Action::Explaining(3));
        let s = apply(
            s,
            Action::Worker(FromWorker::Explained {
                run: 2,
                explanation: Box::new(explanation(2)),
            }),
        );
        assert!(s.explanation.is_none(), "a stale explanation was shown");
        let s = apply(
            s,
            Action::Worker(FromWorker::Explained {
                run: 3,
                explanation: Box::new(explanation(3)),
            }),
        );
        assert_eq!(s.explanation.as_ref().unwrap().chars.len(), 3);
    }

    #[test]
    fn comparisons_fill_rows_and_batches_by_run() {
        let s = apply(
            Rc::new(State::default()),
            Action::CompareStarted(Comparison {
                run: 5,
                vary: crate::doc::Vary::Model,
                labels: vec!["a".into(), "b".into()],
                params: vec![1, 2],
                results: vec![None, None],
                batches: vec![(6, None), (0, None)],
                done: false,
            }),
        );
        let result = Compared {
            text: " X".into(),
            exact_match: Some(true),
            logprob: Some(-0.1),
            error: None,
        };
        let s = apply(
            s,
            Action::Worker(FromWorker::ComparedOne {
                run: 4,
                index: 0,
                result: result.clone(),
            }),
        );
        assert_eq!(
            s.comparison.as_ref().unwrap().results[0],
            None,
            "another comparison's row"
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::ComparedOne {
                run: 5,
                index: 1,
                result: result.clone(),
            }),
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::ComparedOne {
                run: 5,
                index: 9,
                result,
            }),
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::Swept {
                run: 6,
                point: point(3),
            }),
        );
        let s = apply(
            s,
            Action::Worker(FromWorker::JobDone {
                run: 5,
                error: None,
            }),
        );
        let c = s.comparison.as_ref().unwrap();
        assert!(c.results[1].is_some() && c.results[0].is_none());
        assert_eq!(c.batches[0].1.as_ref().unwrap().k, 3);
        assert!(c.done);
    }
}
