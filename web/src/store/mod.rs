//! The page's store, in five parts, each its own type with its own reducer (its own
//! `use_reducer`), so an action re-makes only the parts it concerns:
//!
//! - [`page`]: the document on screen, the model list and the model's status, the page's
//!   messages, a link waiting for a choice, the work set aside;
//! - [`run`]: the last completion and the analysis of its prompt (a streamed token batch
//!   re-makes this part alone);
//! - [`explore`]: the ICL curves, the comparison, the explanation (attention, heads) and the
//!   training curves;
//! - [`live`]: the model trained in this tab;
//! - [`tune`]: the weights tuned in this tab on the visitor's examples.
//!
//! The page dispatches one [`Action`]; `route` hands each part its share. The parts know
//! nothing of each other. The store holds data, not text: the components word it, in the
//! page's language. [`Store`] is the page's handle on the parts, [`State`] the same parts as
//! plain values (for exports and tests).

pub mod explore;
pub mod live;
pub mod page;
pub mod run;
pub mod tune;

use std::rc::Rc;

use yew::prelude::*;

pub use explore::{Batch, Comparison, Explore, MAX_SERIES, Series};
pub use live::Live;
pub use page::{MAX_RESTARTS, Message, ModelStatus, Page};
pub use run::{Analysis, PromptNotice, Run, RunState};
pub use tune::Tune;

use crate::doc::Doc;
use crate::live_run::LiveSettings;
use crate::protocol::FromWorker;
use crate::protocol::TuneRequest;
use crate::storage::{SetAside, Startup};

/// What the page asks of its store.
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
    /// The inference worker that the trainer worker replaced died before it answered what it
    /// was sent: the runs, curves and comparisons it had end (the page's model is in the
    /// trainer worker, so nothing restarts).
    JobsLost,
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
    /// A tour step's document replaces the one on screen (set aside unless it holds nothing
    /// of the visitor's, at `now`).
    Show {
        doc: Doc,
        now: f64,
    },
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
    /// The tune's settings were edited.
    TuneSettings(icl_model::train::tune::TuneSettings),
    /// A tune started as this job.
    TuneStarted {
        run: u64,
        request: Rc<TuneRequest>,
    },
    /// The tuned model was forgotten.
    TuneReset,
    /// A link's tune was sent to the worker (or given up).
    TuneReplayed,
    /// The in-context curve beside the tune's is measured as this job.
    TuneInContext(u64),
}

/// Where the parts' actions go: the page's reducers, or a [`State`]'s values.
trait Parts {
    fn page(&mut self, a: page::Action);
    fn run(&mut self, a: run::Action);
    fn explore(&mut self, a: explore::Action);
    fn live(&mut self, a: live::Action);
    fn tune(&mut self, a: tune::Action);
}

/// Hands each part its share of `action`.
fn route(action: Action, to: &mut impl Parts) {
    match action {
        Action::SetDoc(d) => to.page(page::Action::SetDoc(d)),
        Action::Start {
            run,
            prompt,
            expected,
        } => to.run(run::Action::Start {
            run,
            prompt,
            expected,
        }),
        Action::Worker(msg) => route_worker(msg, to),
        Action::WorkerCrashed(why) => {
            to.page(page::Action::WorkerCrashed(why));
            to.run(run::Action::WorkerCrashed);
            to.explore(explore::Action::WorkerCrashed);
            to.live(live::Action::WorkerCrashed);
            to.tune(tune::Action::WorkerCrashed);
        }
        Action::JobsLost => {
            to.run(run::Action::WorkerCrashed);
            to.explore(explore::Action::WorkerCrashed);
        }
        Action::Reload => {
            to.page(page::Action::Reload);
            to.run(run::Action::Reload);
        }
        Action::Message(m) => to.page(page::Action::Say(Message::Text(m))),
        Action::DismissMessages => to.page(page::Action::DismissMessages),
        Action::LinkOpened(mut link) => {
            // A link's live run is trained again, not kept in the document.
            if let Some(l) = link.as_mut().ok().and_then(|d| d.live.take()) {
                to.live(live::Action::Replay(l));
            }
            if let Some(t) = link.as_mut().ok().and_then(|d| d.tune.take()) {
                to.tune(tune::Action::Replay(t));
            }
            to.page(page::Action::LinkOpened(link));
        }
        Action::ResolveLink { keep_mine, now } => {
            // A link's tune is of the link's examples: kept mine, it is not run.
            if keep_mine {
                to.tune(tune::Action::Replayed);
            }
            to.page(page::Action::ResolveLink { keep_mine, now })
        }
        Action::Recover { index, now } => to.page(page::Action::Recover { index, now }),
        Action::Shared(url) => to.page(page::Action::Shared(url)),
        Action::Show { doc, now } => to.page(page::Action::Show { doc, now }),
        Action::Explaining(run) => to.explore(explore::Action::Explaining(run)),
        Action::LiveSettings(l) => to.live(live::Action::Settings(l)),
        Action::LiveStarted(run) => to.live(live::Action::Started(run)),
        Action::LiveReset => to.live(live::Action::Reset),
        Action::SweepStarted { run, label } => {
            to.explore(explore::Action::SweepStarted { run, label })
        }
        Action::ClearSeries => to.explore(explore::Action::ClearSeries),
        Action::CompareStarted(c) => to.explore(explore::Action::CompareStarted(c)),
        Action::TuneSettings(t) => to.tune(tune::Action::Settings(t)),
        Action::TuneStarted { run, request } => to.tune(tune::Action::Started { run, request }),
        Action::TuneReset => to.tune(tune::Action::Reset),
        Action::TuneReplayed => to.tune(tune::Action::Replayed),
        Action::TuneInContext(run) => to.tune(tune::Action::InContext(run)),
    }
}

/// Hands a worker message to the part it is about (a job's error also to the page).
fn route_worker(msg: FromWorker, to: &mut impl Parts) {
    use FromWorker as W;
    match msg {
        W::Models(_)
        | W::Loading { .. }
        | W::Progress { .. }
        | W::Ready(_)
        | W::UnknownModel { .. }
        | W::LoadFailed(_)
        | W::Notice(_) => to.page(page::Action::Worker(msg)),
        W::Started { .. }
        | W::Tokens { .. }
        | W::Done { .. }
        | W::Analysis { .. }
        | W::Failed { .. } => to.run(run::Action::Worker(msg)),
        W::Explained { .. }
        | W::Swept { .. }
        | W::ComparedOne { .. }
        | W::Curves { .. }
        | W::Ladder(_) => to.explore(explore::Action::Worker(msg)),
        W::JobDone { run, error } => {
            to.explore(explore::Action::JobDone(run));
            if let Some(e) = error {
                to.page(page::Action::Say(Message::Worker(e)));
            }
        }
        W::Trained { .. } | W::TrainingPaused { .. } | W::LiveWeights { .. } => {
            to.live(live::Action::Worker(msg))
        }
        W::TuneDone {
            result: Err(ref e), ..
        } => {
            to.page(page::Action::Say(Message::Worker(e.clone())));
            to.tune(tune::Action::Worker(msg));
        }
        W::Tuned { .. } | W::TuneDone { .. } | W::TunedWeights(_) => {
            to.tune(tune::Action::Worker(msg))
        }
    }
}

/// The five parts as values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub page: Rc<Page>,
    pub run: Rc<Run>,
    pub explore: Rc<Explore>,
    pub live: Rc<Live>,
    pub tune: Rc<Tune>,
}

impl State {
    /// The state a page opens with; a link's live run and tune are taken out of the
    /// document (or of the link waiting for a choice), to be run again.
    pub fn from_startup(mut s: Startup, set_aside: Vec<SetAside>) -> Self {
        let mut waiting = s.pending_link.as_mut();
        let replay = s.doc.live.take().or_else(|| waiting.as_mut()?.live.take());
        let tune = s.doc.tune.take().or_else(|| waiting?.tune.take());
        Self {
            page: Rc::new(Page::from_startup(s, set_aside)),
            live: Rc::new(Live {
                replay,
                ..Live::default()
            }),
            tune: Rc::new(Tune {
                replay: tune,
                ..Tune::default()
            }),
            ..Self::default()
        }
    }

    /// Applies `action` as the page's reducers do.
    pub fn apply(&mut self, action: Action) {
        route(action, self);
    }
}

impl Parts for State {
    fn page(&mut self, a: page::Action) {
        self.page = self.page.clone().reduce(a);
    }
    fn run(&mut self, a: run::Action) {
        self.run = self.run.clone().reduce(a);
    }
    fn explore(&mut self, a: explore::Action) {
        self.explore = self.explore.clone().reduce(a);
    }
    fn live(&mut self, a: live::Action) {
        self.live = self.live.clone().reduce(a);
    }
    fn tune(&mut self, a: tune::Action) {
        self.tune = self.tune.clone().reduce(a);
    }
}

/// The page's handle on its store: each part's own reducer (reading one gives its current
/// value).
#[derive(Clone)]
pub struct Store {
    pub page: UseReducerHandle<Page>,
    pub run: UseReducerHandle<Run>,
    pub explore: UseReducerHandle<Explore>,
    pub live: UseReducerHandle<Live>,
    pub tune: UseReducerHandle<Tune>,
}

impl Store {
    pub fn dispatch(&self, action: Action) {
        self.dispatcher().dispatch(action);
    }

    /// Dispatches to the store without holding its values.
    pub fn dispatcher(&self) -> Dispatcher {
        Dispatcher {
            page: self.page.dispatcher(),
            run: self.run.dispatcher(),
            explore: self.explore.dispatcher(),
            live: self.live.dispatcher(),
            tune: self.tune.dispatcher(),
        }
    }

    /// The parts as they are now, as values (copied: for an export).
    pub fn snapshot(&self) -> State {
        State {
            page: Rc::new((*self.page).clone()),
            run: Rc::new((*self.run).clone()),
            explore: Rc::new((*self.explore).clone()),
            live: Rc::new((*self.live).clone()),
            tune: Rc::new((*self.tune).clone()),
        }
    }
}

/// The store's reducers, to dispatch to (cheap to clone).
#[derive(Clone)]
pub struct Dispatcher {
    page: UseReducerDispatcher<Page>,
    run: UseReducerDispatcher<Run>,
    explore: UseReducerDispatcher<Explore>,
    live: UseReducerDispatcher<Live>,
    tune: UseReducerDispatcher<Tune>,
}

impl Dispatcher {
    pub fn dispatch(&self, action: Action) {
        route(action, &mut &*self);
    }
}

impl Parts for &Dispatcher {
    fn page(&mut self, a: page::Action) {
        self.page.dispatch(a);
    }
    fn run(&mut self, a: run::Action) {
        self.run.dispatch(a);
    }
    fn explore(&mut self, a: explore::Action) {
        self.explore.dispatch(a);
    }
    fn live(&mut self, a: live::Action) {
        self.live.dispatch(a);
    }
    fn tune(&mut self, a: tune::Action) {
        self.tune.dispatch(a);
    }
}

/// The page's store, starting from what `init` makes (called once, on the first render).
#[hook]
pub fn use_store(init: impl FnOnce() -> State) -> Store {
    let first = use_memo((), move |_| init());
    let (page, run, explore, live, tune) = (
        first.page.clone(),
        first.run.clone(),
        first.explore.clone(),
        first.live.clone(),
        first.tune.clone(),
    );
    Store {
        page: use_reducer(move || Rc::unwrap_or_clone(page)),
        run: use_reducer(move || Rc::unwrap_or_clone(run)),
        explore: use_reducer(move || Rc::unwrap_or_clone(explore)),
        live: use_reducer(move || Rc::unwrap_or_clone(live)),
        tune: use_reducer(move || Rc::unwrap_or_clone(tune)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::messages::words;
    use crate::doc::LiveLink;
    use crate::i18n::Lang;

    #[test]
    fn a_crashed_worker_ends_its_jobs_and_restarts_a_few_times() {
        let mut s = State::default();
        s.apply(Action::Start {
            run: 1,
            prompt: "in: a\nout:".into(),
            expected: None,
        });
        s.apply(Action::WorkerCrashed("boom".into()));
        assert_eq!(s.run.state, RunState::Idle);
        assert_eq!(s.page.worker_restarts, 1);
        assert_eq!(s.page.model, ModelStatus::loading());
        assert!(words(&s.page.messages[0], Lang::En).contains("boom"));
        for _ in 0..MAX_RESTARTS {
            s.apply(Action::WorkerCrashed("boom".into()));
        }
        assert_eq!(s.page.worker_restarts, MAX_RESTARTS);
        assert!(matches!(s.page.model, ModelStatus::Failed(_)));
    }

    #[test]
    fn jobs_lost_with_the_replaced_worker_end_without_a_restart() {
        let mut s = State::default();
        s.apply(Action::Start {
            run: 1,
            prompt: "in: a\nout:".into(),
            expected: None,
        });
        let model = s.page.model.clone();
        s.apply(Action::JobsLost);
        assert_eq!(s.run.state, RunState::Idle);
        assert_eq!(s.page.worker_restarts, 0);
        assert_eq!(s.page.model, model);
        assert!(s.page.messages.is_empty());
    }

    /// The state a page opens with on `doc` (a link's document, not a first visit).
    fn opened(doc: Doc) -> State {
        State::from_startup(
            Startup {
                doc,
                pending_link: None,
                messages: vec![],
                protect_draft: false,
                first_visit: false,
            },
            vec![],
        )
    }

    #[test]
    fn a_links_tune_is_taken_out_to_be_run_again_within_the_pages_limits() {
        use crate::doc::TuneLink;
        use crate::protocol::ModelRef;
        use icl_model::train::tune::{MAX_STEPS, Moving, TuneSettings};
        let link = TuneLink {
            settings: TuneSettings {
                seed: 7,
                ..TuneSettings::default()
            },
            base: ModelRef::Shipped("learner".into()),
            checkpoint: Some(6000),
        };
        let doc = Doc {
            tune: Some(link.clone()),
            ..Doc::default()
        };
        let back = crate::share::decode(&crate::share::encode(&doc)).unwrap();
        assert_eq!(back.tune.as_ref(), Some(&link));
        let s = opened(back);
        assert_eq!(s.page.doc.tune, None, "the draft does not keep it");
        assert_eq!(s.tune.replay.as_ref(), Some(&link));
        let mut later = State::default();
        later.apply(Action::LinkOpened(Ok(doc.clone())));
        assert_eq!(later.tune.replay.as_ref(), Some(&link));
        // A link that waits for the visitor's choice (their own work is on screen): its tune
        // waits with it, and goes if they keep their own work (it was of the link's examples).
        let mine = Doc {
            query: "my own".into(),
            ..Doc::default()
        };
        let s = State::from_startup(
            Startup {
                doc: mine,
                pending_link: Some(doc),
                messages: vec![],
                protect_draft: false,
                first_visit: false,
            },
            vec![],
        );
        assert_eq!(s.tune.replay.as_ref(), Some(&link));
        assert_eq!(
            s.page.pending_link.as_ref().map(|d| d.tune.is_none()),
            Some(true)
        );
        for keep_mine in [false, true] {
            let mut chosen = s.clone();
            chosen.apply(Action::ResolveLink {
                keep_mine,
                now: 0.0,
            });
            assert_eq!(chosen.tune.replay.is_some(), !keep_mine);
            assert_eq!(chosen.page.doc.tune, None);
        }
        // A hostile link's tune is held to what the page allows, on a model of the page.
        let far = Doc {
            tune: Some(TuneLink {
                settings: TuneSettings {
                    steps: 1_000_000,
                    lr: f64::INFINITY,
                    batch: 0,
                    moving: Moving::Adapter(100_000),
                    seed: 1,
                },
                base: ModelRef::Tuned,
                checkpoint: None,
            }),
            ..Doc::default()
        }
        .checked()
        .unwrap()
        .tune
        .unwrap();
        let d = TuneSettings::default();
        assert_eq!(
            (far.settings.steps, far.settings.lr, far.settings.batch),
            (MAX_STEPS, d.lr, 1)
        );
        assert_eq!(
            far.settings.moving,
            Moving::Adapter(crate::doc::MAX_TUNE_RANK)
        );
        assert_eq!(far.base, ModelRef::Default);
    }

    #[test]
    fn a_links_live_run_is_taken_out_to_be_trained_again() {
        let doc = Doc {
            live: Some(LiveLink {
                settings: LiveSettings::default(),
                step: 700,
            }),
            ..Doc::default()
        };
        let back = crate::share::decode(&crate::share::encode(&doc)).unwrap();
        assert_eq!(back.live, doc.live);
        let s = opened(back);
        assert_eq!(s.page.doc.live, None, "the draft does not keep it");
        assert_eq!(s.live.replay.as_ref().map(|l| l.step), Some(700));
        // A link opened later: the same.
        let mut later = State::default();
        later.apply(Action::LinkOpened(Ok(doc.clone())));
        assert_eq!(later.page.doc.live, None);
        assert_eq!(later.live.replay, doc.live);
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
}
