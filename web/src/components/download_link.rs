//! A weight file made in the tab (the live model's, the tuned model's), offered as a link
//! that saves it.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::use_lang;
use crate::protocol::WeightFile;

#[derive(Properties, PartialEq)]
pub struct DownloadLinkProps {
    /// The link's element id.
    pub id: AttrValue,
    pub file: Rc<WeightFile>,
}

/// A download link for `file` (an object URL, revoked when the file changes), clicked once
/// when it appears.
#[function_component]
pub fn DownloadLink(p: &DownloadLinkProps) -> Html {
    let lang = use_lang();
    let url = use_memo(p.file.clone(), |file| {
        let bytes = js_sys::Uint8Array::from(file.bytes.as_slice());
        let parts = js_sys::Array::of1(&bytes);
        web_sys::Blob::new_with_u8_array_sequence(&parts)
            .ok()
            .and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok())
    });
    let link = use_node_ref();
    {
        let (url, link) = (url.clone(), link.clone());
        use_effect_with(url, move |url| {
            if let Some(a) = link.cast::<web_sys::HtmlElement>() {
                a.click();
            }
            let url = (**url).clone();
            move || {
                if let Some(u) = url {
                    let _ = web_sys::Url::revoke_object_url(&u);
                }
            }
        });
    }
    match &*url {
        Some(u) => html! {
            <a id={p.id.clone()} ref={link} href={u.clone()} download={p.file.name.clone()} data-size={p.file.bytes.len().to_string()}>
                { lang.f("Save {name} ({kb} kB)", &[("name", &p.file.name), ("kb", &(p.file.bytes.len() / 1000))]) }
            </a>
        },
        None => {
            html! { <span class="notice">{ lang.t("This browser could not make the file.") }</span> }
        }
    }
}
