//! Drafts in localStorage, and how a draft and a share link meet when the page opens.
//!
//! The draft is `{"version":1,"doc":…}`. A draft that cannot be read (corrupt JSON, another
//! version) is moved aside to [`BROKEN_KEY`] rather than overwritten, and the page starts from
//! the default document with a notice. Storage that throws (private mode, quota) only
//! costs autosave, never the page.

use serde::{Deserialize, Serialize};

use crate::doc::Doc;
use crate::share::{self, LinkError};

/// Where the draft lives.
pub const DRAFT_KEY: &str = "icl-playground.draft";
/// Where an unreadable draft is kept, so nothing is lost.
pub const BROKEN_KEY: &str = "icl-playground.draft.unreadable";
/// Where the draft a shared link replaced is kept.
pub const REPLACED_KEY: &str = "icl-playground.draft.replaced";
const DRAFT_VERSION: u32 = 1;

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

/// Reads a stored draft; `Err` says why it cannot be used.
pub fn parse_draft(text: &str) -> Result<Doc, String> {
    #[derive(Deserialize)]
    struct Head {
        version: u32,
    }
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
    s.doc.checked().map_err(|e| format!("the saved draft: {e}"))
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
}

/// Decides the starting document from the stored draft (`Ok(None)`: none; `Err`: unreadable)
/// and the URL fragment. A link never silently replaces a draft that has edits in it; a broken
/// link leaves the draft in place.
pub fn startup(draft: Result<Option<Doc>, String>, fragment: Option<&str>) -> Startup {
    let mut messages = Vec::new();
    let draft = match draft {
        Ok(d) => d,
        Err(e) => {
            messages.push(format!("{e}; it was set aside and the page starts afresh"));
            None
        }
    };
    let mut doc = draft.clone().unwrap_or_default();
    let mut pending_link = None;
    if let Some(f) = fragment {
        match share::decode(f) {
            Ok(link) => match &draft {
                Some(d) if !d.is_default() && *d != link => pending_link = Some(link),
                _ => doc = link,
            },
            Err(e) => messages.push(link_message(&e)),
        }
    }
    Startup {
        doc,
        pending_link,
        messages,
    }
}

/// What the page says about a link it could not open.
pub fn link_message(e: &LinkError) -> String {
    format!("This link could not be opened: {e}. Your current work is unchanged.")
}

/// Browser storage (meaningful in the browser; natively every call reports no storage).
pub mod browser {
    use super::*;

    fn storage() -> Result<web_sys::Storage, String> {
        web_sys::window()
            .ok_or("no window")?
            .local_storage()
            .map_err(|_| "this browser blocks local storage".to_string())?
            .ok_or_else(|| "this browser has no local storage".to_string())
    }

    /// The saved draft: `Ok(None)` when there is none or storage is unavailable, `Err` when
    /// one exists but cannot be read (it is then moved to [`BROKEN_KEY`]).
    pub fn load_draft() -> Result<Option<Doc>, String> {
        let Ok(s) = storage() else { return Ok(None) };
        let Ok(Some(text)) = s.get_item(DRAFT_KEY) else {
            return Ok(None);
        };
        parse_draft(&text).map(Some).inspect_err(|_| {
            let _ = s.set_item(BROKEN_KEY, &text);
            let _ = s.remove_item(DRAFT_KEY);
        })
    }

    /// Keeps `doc` under [`REPLACED_KEY`] before a link replaces it; `Err` when the browser
    /// refuses.
    pub fn keep_replaced(doc: &Doc) -> Result<(), String> {
        storage()?
            .set_item(REPLACED_KEY, &draft_json(doc))
            .map_err(|_| "the replaced draft could not be kept (browser storage is full)".into())
    }

    /// Saves the draft; `Err` when the browser refuses (quota, private mode).
    pub fn save_draft(doc: &Doc) -> Result<(), String> {
        storage()?
            .set_item(DRAFT_KEY, &draft_json(doc))
            .map_err(|_| "the draft could not be saved (browser storage is full or blocked)".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Example;

    fn edited() -> Doc {
        Doc {
            query: "my own query".into(),
            examples: vec![Example::new("a", "b")],
            ..Doc::default()
        }
    }

    #[test]
    fn drafts_round_trip_and_bad_ones_are_errors() {
        assert_eq!(parse_draft(&draft_json(&edited())).unwrap(), edited());
        assert!(parse_draft("{not json").is_err());
        assert!(
            parse_draft(r#"{"version":7,"doc":{}}"#)
                .unwrap_err()
                .contains("format 7")
        );
    }

    #[test]
    fn a_link_never_silently_replaces_an_edited_draft() {
        let link_doc = Doc {
            query: "from the link".into(),
            ..Doc::default()
        };
        let link = share::encode(&link_doc);
        // No draft: the link opens.
        let s = startup(Ok(None), Some(&link));
        assert_eq!((s.doc, s.pending_link), (link_doc.clone(), None));
        // An untouched draft: the link opens.
        let s = startup(Ok(Some(Doc::default())), Some(&link));
        assert_eq!(s.doc, link_doc);
        // An edited draft: the draft stays and the link waits for a choice.
        let s = startup(Ok(Some(edited())), Some(&link));
        assert_eq!(s.doc, edited());
        assert_eq!(s.pending_link, Some(link_doc));
        // A broken link: a message, and the draft is untouched.
        let s = startup(Ok(Some(edited())), Some("v1.garbage"));
        assert_eq!(s.doc, edited());
        assert_eq!(s.pending_link, None);
        assert!(s.messages[0].contains("could not be opened"));
        // An unreadable draft: defaults and a message.
        let s = startup(Err("the saved draft is damaged".into()), None);
        assert_eq!(s.doc, Doc::default());
        assert!(s.messages[0].contains("set aside"));
    }
}
