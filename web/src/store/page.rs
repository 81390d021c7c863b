//! The page part of the store: the document on screen (what is shared and drafted), the model
//! list and the loaded model's status, the page's messages, a link waiting for a choice, the
//! work set aside, and the worker's restarts.
//!
//! What it holds is data: [`Message`]s and [`ModelStatus`] are worded by the components that
//! show them, in the page's language.

use std::rc::Rc;

use yew::Reducible;

use crate::doc::Doc;
use crate::live_run::LiveRun;
use crate::protocol::{FromWorker, ModelInfo, ModelRef, ModelSummary, Notice, WorkerError};
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
    Failed(Message),
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

/// Something the page tells the visitor (as a page message, or why the model failed).
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Text made elsewhere (a link's, the browser storage's): shown as it is, or as the
    /// catalogue has it where it knows the whole text.
    Text(String),
    /// The worker could not do something.
    Worker(WorkerError),
    /// The browser's storage is full: the model is kept in memory for this visit only.
    StorageFull,
    /// The model worker stopped (why); a new one was started and the model loads again.
    WorkerRestarted { why: String },
    /// The model worker keeps stopping (why): the page starts no new one.
    WorkerKeepsStopping { why: String },
    /// The link or draft named a model the page does not have: this one is used instead.
    ModelReplaced { used: String },
}

/// Crashes in a row after which the page stops starting new workers (Retry starts one).
pub const MAX_RESTARTS: u32 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub doc: Doc,
    pub models: Vec<ModelSummary>,
    pub model: ModelStatus,
    /// Page messages: a broken link, an unreadable draft, storage full.
    pub messages: Vec<Message>,
    /// A link's document waiting for "keep mine" or "open the link".
    pub pending_link: Option<Doc>,
    /// The last link made by "Copy link".
    pub share_url: Option<String>,
    /// Earlier work set aside (oldest first), for Recover; saved as it changes.
    pub set_aside: Vec<SetAside>,
    /// The stored draft could not be set aside: autosave must not overwrite it.
    pub protect_draft: bool,
    /// Workers started after a crash (the page reloads the model when it changes).
    pub worker_restarts: u32,
    /// Crashes since the model was last ready: past [`MAX_RESTARTS`] the page stops trying.
    pub crashes_since_ready: u32,
    /// A first visit (see [`Startup::first_visit`]): its document is run once the model is
    /// ready.
    pub first_visit: bool,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            doc: Doc::default(),
            models: Vec::new(),
            model: ModelStatus::loading(),
            messages: Vec::new(),
            pending_link: None,
            share_url: None,
            set_aside: Vec::new(),
            protect_draft: false,
            worker_restarts: 0,
            crashes_since_ready: 0,
            first_visit: false,
        }
    }
}

/// The page's share of the store's actions (see [`super::Action`] for what each means).
// Actions live for one dispatch; boxing the document would only add allocations.
#[allow(clippy::large_enum_variant)]
pub enum Action {
    SetDoc(Doc),
    Reload,
    /// The worker died (why): unless it keeps dying, the model loads again in a new one.
    WorkerCrashed(String),
    /// A page message (said once).
    Say(Message),
    DismissMessages,
    Shared(String),
    /// A link's document (its live run already taken out) meets the one on screen.
    LinkOpened(Result<Doc, String>),
    Recover {
        index: usize,
        now: f64,
    },
    ResolveLink {
        keep_mine: bool,
        now: f64,
    },
    /// A document of the page's own (a tour step) replaces the one on screen, which is set
    /// aside (at `now`) unless it holds nothing of the visitor's.
    Show {
        doc: Doc,
        now: f64,
    },
    /// The worker's word on the model list, the model's loading and the page's notices.
    Worker(FromWorker),
}

impl Page {
    /// The page part a page opens with (the document's live run already taken out).
    pub fn from_startup(s: Startup, set_aside: Vec<SetAside>) -> Self {
        Self {
            doc: s.doc,
            pending_link: s.pending_link,
            messages: s.messages.into_iter().map(Message::Text).collect(),
            protect_draft: s.protect_draft,
            first_visit: s.first_visit,
            set_aside,
            ..Self::default()
        }
    }

    /// The id of the model that is loaded and ready, if any.
    pub fn ready_model(&self) -> Option<String> {
        match &self.model {
            ModelStatus::Ready(i) => Some(i.id.clone()),
            _ => None,
        }
    }

    /// The model the page shows: the document's, or the default one that is loaded.
    pub fn shown_model(&self) -> ModelRef {
        match (&self.doc.model, self.ready_model()) {
            (ModelRef::Default, Some(id)) => ModelRef::Shipped(id),
            (m, _) => m.clone(),
        }
    }

    /// The window of the model that is ready, if any (the live run's with the live model).
    pub fn block_size(&self, live: &LiveRun) -> Option<usize> {
        if self.doc.model.is_live() {
            return Some(live.settings.live().block);
        }
        match &self.model {
            ModelStatus::Ready(i) => Some(i.block_size),
            _ => None,
        }
    }

    /// The name (without extension) of an export of `view`: the view, the model it shows and
    /// the checkpoint or live step, e.g. `icl-curve_base_step6300`.
    pub fn file_stem(&self, live: &LiveRun, view: &str) -> String {
        let model = self.shown_model();
        let step = if model.is_live() {
            live.last().map(|p| p.step)
        } else {
            self.doc.explore.checkpoint.map(|c| c as usize)
        };
        crate::export::file_stem(view, model.id(), step)
    }

    /// Adds a page message once.
    fn say(&mut self, message: Message) {
        if !self.messages.contains(&message) {
            self.messages.push(message);
        }
    }

    /// Sets the document on screen aside (when it holds anything) before it is replaced.
    fn keep_aside(&mut self, now: f64) {
        if self.doc.is_default() || crate::tour::is_step_doc(&self.doc) {
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

    /// Unless the worker keeps crashing, the model loads again in a new one.
    fn worker_crashed(&mut self, why: &str) {
        let why: String = why.chars().take(200).collect();
        self.crashes_since_ready += 1;
        if self.crashes_since_ready > MAX_RESTARTS {
            self.model = ModelStatus::Failed(Message::WorkerKeepsStopping { why });
        } else {
            self.worker_restarts += 1;
            self.model = ModelStatus::loading();
            self.say(Message::WorkerRestarted { why });
        }
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
            FromWorker::LoadFailed(e) => self.model = ModelStatus::Failed(Message::Worker(e)),
            FromWorker::Notice(Notice::StorageFull) => self.say(Message::StorageFull),
            FromWorker::Notice(Notice::Failed(e)) => self.say(Message::Worker(e)),
            FromWorker::UnknownModel { requested, used } => {
                // Only when the page still asks for that model (the visitor may have chosen
                // another since); the document then names the model that runs.
                if self.doc.model.shipped() == Some(requested.as_str()) {
                    self.doc.model = ModelRef::Shipped(used.clone());
                }
                self.say(Message::ModelReplaced { used });
            }
            _ => {}
        }
    }
}

impl Reducible for Page {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::SetDoc(d) => {
                // The inputs hold these limits too; the reducer is where they are kept.
                s.doc = d.clamped().0;
                s.share_url = None;
            }
            Action::Reload => s.model = ModelStatus::loading(),
            Action::WorkerCrashed(why) => s.worker_crashed(&why),
            Action::Say(m) => s.say(m),
            Action::DismissMessages => s.messages.clear(),
            Action::LinkOpened(Ok(link)) => {
                let (doc, pending) = meet(&s.doc, link);
                s.doc = doc;
                s.pending_link = pending;
            }
            Action::LinkOpened(Err(message)) => s.say(Message::Text(message)),
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
            Action::Show { doc, now } => {
                s.keep_aside(now);
                s.doc = doc.clamped().0;
                s.share_url = None;
            }
            Action::Shared(url) => s.share_url = Some(url),
            Action::Worker(msg) => s.apply(msg),
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::messages::words;
    use crate::components::model_status::status_line;
    use crate::i18n::Lang;
    use crate::store::run::Run;

    fn apply(s: Rc<Page>, a: Action) -> Rc<Page> {
        s.reduce(a)
    }

    #[test]
    fn an_unknown_model_becomes_the_default_in_the_document_too() {
        let asked = Page {
            doc: Doc {
                model: ModelRef::from_id("gone"),
                ..Doc::default()
            },
            ..Page::default()
        };
        let unknown = |requested: &str| {
            Action::Worker(FromWorker::UnknownModel {
                requested: requested.into(),
                used: "base".into(),
            })
        };
        let s = apply(Rc::new(asked.clone()), unknown("gone"));
        assert_eq!(s.doc.model, ModelRef::from_id("base"));
        let said = words(&s.messages[0], Lang::En);
        assert!(said.contains("base is used instead"), "{:?}", s.messages);
        assert!(!said.contains("gone"));
        // The visitor chose another model since: their choice stays.
        let s = apply(Rc::new(asked), unknown("older"));
        assert_eq!(s.doc.model, ModelRef::from_id("gone"));
    }

    #[test]
    fn a_tour_step_sets_the_visitors_document_aside_but_not_its_own() {
        use crate::tour::Step;
        let mine = Doc {
            query: "mine".into(),
            ..Doc::default()
        };
        let s = Rc::new(Page {
            doc: mine.clone(),
            ..Page::default()
        });
        let show = |step: Step| Action::Show {
            doc: step.doc(crate::i18n::Lang::En),
            now: 1.0,
        };
        let s = apply(s, show(Step::Compression));
        assert_eq!(s.doc, Step::Compression.doc(crate::i18n::Lang::En));
        assert_eq!(s.set_aside.len(), 1);
        assert_eq!(s.set_aside[0].doc(), Some(mine));
        // The tour's own steps are not the visitor's work: walking on keeps one entry.
        let s = apply(s, show(Step::Learns));
        let s = apply(s, show(Step::PhaseChange));
        assert_eq!(s.set_aside.len(), 1);
        assert_eq!(s.doc.explore.checkpoint, Some(crate::tour::PHASE_BEFORE));
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
        let s = Rc::new(Page::from_startup(
            Startup {
                doc: mine.clone(),
                pending_link: Some(theirs.clone()),
                messages: vec![],
                protect_draft: false,
                first_visit: false,
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
        assert_eq!(
            status_line(Lang::En, &p.model, &Run::default()),
            "Loading the model… 25%"
        );
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
        let s = apply(Rc::new(Page::default()), Action::SetDoc(on_screen.clone()));
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
            Rc::new(Page::default()),
            Action::LinkOpened(Ok(link.clone())),
        );
        assert_eq!(
            (opened.doc.clone(), opened.pending_link.clone()),
            (link, None)
        );
    }

    #[test]
    fn edits_are_held_to_the_limits() {
        let long = Doc {
            query: "é".repeat(crate::doc::MAX_TEXT + 10),
            ..Doc::default()
        };
        let s = apply(Rc::new(Page::default()), Action::SetDoc(long));
        assert_eq!(s.doc.query.chars().count(), crate::doc::MAX_TEXT);
    }
}
