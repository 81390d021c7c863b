//! Drafts in localStorage, the drafts set aside, and how a draft and a share link meet.
//!
//! The draft is `{"version":1,"doc":…}`. A draft the page cannot use as it is (damaged JSON,
//! another version, longer than the page's limits) is first copied into the set-aside list
//! (`{"version":1,"items":[…]}`, the last [`SET_ASIDE_KEEP`]), and only removed once that copy
//! is written: a failed write never removes the original. The same list keeps the draft a link
//! replaced, and the page's Recover control restores any of them. Storage that throws (private
//! mode, quota) only costs autosave, never the page; all of it goes through [`Kv`], so the
//! tests can make storage throw, fill up or hold a newer page's data.

use serde::{Deserialize, Serialize};

use crate::doc::Doc;
use crate::presets;
use crate::share::{self, LinkError};

/// Where the draft lives.
pub const DRAFT_KEY: &str = "icl-playground.draft";
/// Where the drafts set aside live.
pub const SET_ASIDE_KEY: &str = "icl-playground.set-aside";
/// How many set-aside drafts are kept (the oldest go first).
pub const SET_ASIDE_KEEP: usize = 5;
const DRAFT_VERSION: u32 = 1;
const SET_ASIDE_VERSION: u32 = 1;

/// Storage said no (it throws, is full, or is blocked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// Key-value storage (localStorage in the page). Every call may fail.
pub trait Kv {
    fn get(&self, key: &str) -> Result<Option<String>, Refused>;
    fn set(&self, key: &str, value: &str) -> Result<(), Refused>;
    fn remove(&self, key: &str) -> Result<(), Refused>;
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    doc: Doc,
}

/// The JSON a draft is stored as.
pub fn draft_json(doc: &Doc) -> String {
    serde_json::to_string(&Stored {
        version: DRAFT_VERSION,
        doc: doc.clone(),
    })
    .expect("a document serialises")
}

/// A stored draft the page can show.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub doc: Doc,
    /// It was longer than the page's limits and was cut to fit.
    pub clamped: bool,
}

#[derive(Deserialize)]
struct Head {
    version: u32,
}

/// Reads a stored draft, cutting texts and lists that exceed the page's limits; `Err` says
/// why it cannot be used.
pub fn parse_draft(text: &str) -> Result<Draft, String> {
    let head: Head =
        serde_json::from_str(text).map_err(|_| "the saved draft is damaged".to_string())?;
    if head.version != DRAFT_VERSION {
        return Err(format!(
            "the saved draft has format {} and this page reads format {DRAFT_VERSION}",
            head.version
        ));
    }
    let s: Stored =
        serde_json::from_str(text).map_err(|_| "the saved draft is damaged".to_string())?;
    let (doc, clamped) = s.doc.clamped();
    let doc = doc.checked().map_err(|e| format!("the saved draft: {e}"))?;
    Ok(Draft { doc, clamped })
}

/// Why a draft was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The page could not read it (damaged, another version).
    Unreadable,
    /// It was longer than the page's limits; the page shows it cut.
    Clamped,
    /// A link or a recovered draft took its place.
    Replaced,
}

impl Why {
    pub fn describe(self) -> &'static str {
        match self {
            Why::Unreadable => "a saved draft this page could not read",
            Why::Clamped => "a saved draft before it was cut to the page's limits",
            Why::Replaced => "your work before a link or a recovery replaced it",
        }
    }
}

/// One set-aside draft: its stored text, whatever it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAside {
    /// When it was set aside (ms since 1970).
    pub when: f64,
    pub why: Why,
    pub text: String,
}

impl SetAside {
    /// Its document, if this page can read it (cut to the limits).
    pub fn doc(&self) -> Option<Doc> {
        parse_draft(&self.text).ok().map(|d| d.doc)
    }
}

#[derive(Serialize, Deserialize)]
struct SetAsideList {
    version: u32,
    items: Vec<SetAside>,
}

/// The set-aside drafts, oldest first; `Err` when the list is there but unreadable (then it is
/// left as it is).
pub fn set_aside_list(kv: &dyn Kv) -> Result<Vec<SetAside>, String> {
    let text = match kv.get(SET_ASIDE_KEY) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(Vec::new()),
        Err(Refused) => return Err("browser storage cannot be read".into()),
    };
    let head: Head = serde_json::from_str(&text)
        .map_err(|_| "the list of set-aside drafts is damaged".to_string())?;
    if head.version != SET_ASIDE_VERSION {
        return Err(format!(
            "the set-aside drafts have format {} (a newer page wrote them)",
            head.version
        ));
    }
    serde_json::from_str::<SetAsideList>(&text)
        .map(|l| l.items)
        .map_err(|_| "the list of set-aside drafts is damaged".to_string())
}

/// Writes the list, dropping the oldest entries while storage is full; `Err` when not even the
/// newest fits.
fn write_list(kv: &dyn Kv, mut items: Vec<SetAside>) -> Result<(), String> {
    let excess = items.len().saturating_sub(SET_ASIDE_KEEP);
    items.drain(..excess);
    while !items.is_empty() {
        let list = SetAsideList {
            version: SET_ASIDE_VERSION,
            items: items.clone(),
        };
        let json = serde_json::to_string(&list).expect("a list serialises");
        if kv.set(SET_ASIDE_KEY, &json).is_ok() {
            return Ok(());
        }
        items.remove(0);
    }
    Err("browser storage is full or blocked".into())
}

/// Adds `item` to the set-aside list.
pub fn set_aside(kv: &dyn Kv, item: SetAside) -> Result<(), String> {
    let mut items = set_aside_list(kv)?;
    items.push(item);
    write_list(kv, items)
}

/// Stores the page's list in place of the stored one, unless the stored one is unreadable (a
/// newer page's, or damaged: it is left alone).
pub fn save_set_aside(kv: &dyn Kv, items: &[SetAside]) -> Result<(), String> {
    let stored = set_aside_list(kv).map_err(|e| format!("earlier work is not saved: {e}"))?;
    if stored == items {
        return Ok(());
    }
    if items.is_empty() {
        return kv
            .remove(SET_ASIDE_KEY)
            .map_err(|_| "browser storage is blocked".into());
    }
    write_list(kv, items.to_vec()).map_err(|e| format!("earlier work is not saved: {e}"))
}

/// The stored draft as the page opens.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    /// The draft to show (`None`: start from the first visit's document).
    pub doc: Option<Doc>,
    pub messages: Vec<String>,
    /// The stored draft could not be set aside: autosave must not overwrite it.
    pub protect_draft: bool,
}

/// Reads the draft. One the page cannot use as it is goes to the set-aside list first; if that
/// fails, the original stays where it is and `protect_draft` is set.
pub fn load_draft(kv: &dyn Kv, now: f64) -> Loaded {
    let Ok(Some(text)) = kv.get(DRAFT_KEY) else {
        return Loaded::default();
    };
    let (doc, why, message) = match parse_draft(&text) {
        Ok(Draft {
            doc,
            clamped: false,
        }) => {
            return Loaded {
                doc: Some(doc),
                ..Loaded::default()
            };
        }
        Ok(Draft { doc, clamped: true }) => (
            Some(doc),
            Why::Clamped,
            "Your saved draft was longer than the page's limits and was cut to fit".to_string(),
        ),
        Err(e) => (
            None,
            Why::Unreadable,
            format!("{e}; the page starts afresh"),
        ),
    };
    let kept = set_aside(
        kv,
        SetAside {
            when: now,
            why,
            text: text.clone(),
        },
    );
    match kept {
        Ok(()) => {
            if why == Why::Unreadable {
                let _ = kv.remove(DRAFT_KEY);
            }
            Loaded {
                doc,
                messages: vec![format!(
                    "{message}. The whole draft is kept: open “Recover earlier work” to get it back."
                )],
                protect_draft: false,
            }
        }
        Err(e) => Loaded {
            doc,
            messages: vec![format!(
                "{message}. It could not be set aside ({e}), so it stays saved as it was and this page will not save over it."
            )],
            protect_draft: true,
        },
    }
}

/// How the page starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Startup {
    /// The document shown.
    pub doc: Doc,
    /// A link's document waiting for the visitor to choose between it and their draft.
    pub pending_link: Option<Doc>,
    /// Messages for the visitor (a broken link, an unreadable draft).
    pub messages: Vec<String>,
    /// Autosave must not overwrite the stored draft (see [`Loaded::protect_draft`]).
    pub protect_draft: bool,
    /// A first visit: no draft (readable or not), no link. The page opens on
    /// [`presets::first_visit`] and runs it once the model is ready.
    pub first_visit: bool,
}

/// How a link meets the document on screen: it opens when the screen holds nothing of the
/// visitor's (the default document, or the same document); otherwise it waits for a choice.
/// Returns the document to show and the link waiting, if any.
pub fn meet(on_screen: &Doc, link: Doc) -> (Doc, Option<Doc>) {
    if on_screen.is_default() || *on_screen == link {
        (link, None)
    } else {
        (on_screen.clone(), Some(link))
    }
}

/// Decides the starting document from the stored draft and the URL fragment. A link never
/// silently replaces a draft that has edits in it; a broken link leaves the draft in place.
pub fn startup(loaded: Loaded, fragment: Option<&str>) -> Startup {
    // An unreadable draft leaves a message: that visitor has been here before.
    let first_visit = loaded.doc.is_none() && loaded.messages.is_empty() && fragment.is_none();
    let mut messages = loaded.messages;
    let mut doc = loaded.doc.unwrap_or_else(presets::first_visit);
    let mut pending_link = None;
    if let Some(f) = fragment {
        match share::decode(f) {
            Ok(link) => (doc, pending_link) = meet(&doc, link),
            Err(e) => messages.push(link_message(&e, doc.lang)),
        }
    }
    Startup {
        doc,
        pending_link,
        messages,
        protect_draft: loaded.protect_draft,
        first_visit,
    }
}

/// What the page says about a link it could not open.
pub fn link_message(e: &LinkError, lang: crate::i18n::Lang) -> String {
    lang.f(
        "This link could not be opened: {why}. Your current work is unchanged.",
        &[("why", &lang.t_owned(&e.to_string()))],
    )
}

/// Browser storage (meaningful in the browser; natively every call reports no storage).
pub mod browser {
    use super::*;

    /// localStorage, or why there is none.
    pub struct Local(Result<web_sys::Storage, String>);

    impl Local {
        pub fn open() -> Self {
            Local(
                web_sys::window()
                    .ok_or_else(|| "no window".to_string())
                    .and_then(|w| {
                        w.local_storage()
                            .map_err(|_| "this browser blocks local storage".to_string())?
                            .ok_or_else(|| "this browser has no local storage".to_string())
                    }),
            )
        }
    }

    impl Kv for Local {
        fn get(&self, key: &str) -> Result<Option<String>, Refused> {
            self.0
                .as_ref()
                .map_err(|_| Refused)?
                .get_item(key)
                .map_err(|_| Refused)
        }
        fn set(&self, key: &str, value: &str) -> Result<(), Refused> {
            self.0
                .as_ref()
                .map_err(|_| Refused)?
                .set_item(key, value)
                .map_err(|_| Refused)
        }
        fn remove(&self, key: &str) -> Result<(), Refused> {
            self.0
                .as_ref()
                .map_err(|_| Refused)?
                .remove_item(key)
                .map_err(|_| Refused)
        }
    }

    /// Now, in ms since 1970.
    pub fn now() -> f64 {
        js_sys::Date::now()
    }

    /// The saved draft as the page opens.
    pub fn load_draft() -> Loaded {
        super::load_draft(&Local::open(), now())
    }

    /// The set-aside drafts (none when storage cannot be read).
    pub fn set_aside_list() -> Vec<SetAside> {
        super::set_aside_list(&Local::open()).unwrap_or_default()
    }

    /// Saves the page's set-aside list, unless storage holds one this page cannot read.
    pub fn save_set_aside(items: &[SetAside]) -> Result<(), String> {
        super::save_set_aside(&Local::open(), items)
    }

    /// Saves the draft; `Err` when the browser refuses (quota, private mode).
    pub fn save_draft(doc: &Doc) -> Result<(), String> {
        Local::open()
            .set(DRAFT_KEY, &draft_json(doc))
            .map_err(|_| "the draft could not be saved (browser storage is full or blocked)".into())
    }
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
