//! "What am I seeing?": a panel's explanation from [`crate::about`], folded under its title.

use yew::prelude::*;

use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct AboutBoxProps {
    /// The panel's key in [`crate::about::ABOUT`].
    pub about: &'static str,
}

#[function_component]
pub fn AboutBox(p: &AboutBoxProps) -> Html {
    let lang = use_lang();
    let Some(a) = crate::about::about(p.about) else {
        return html! {};
    };
    html! {
        <details class="about" data-about={a.key}>
            <summary>{ lang.t("What am I seeing?") }</summary>
            <p class="about-what">{ lang.t(a.what) }</p>
            <p class="about-why"><strong>{ lang.t("Why it matters: ") }</strong>{ lang.t(a.why) }</p>
            <p class="about-paper">{ lang.t("Read: ") }<a href={a.url} target="_blank" rel="noopener noreferrer">{ lang.t(a.paper) }</a></p>
            if !a.more.is_empty() {
                <p class="about-paper">{ lang.t("And: ") }
                    { for a.more.iter().enumerate().map(|(i, &(paper, url))| html! {
                        <>{ if i > 0 { lang.t("; ") } else { "" } }<a href={url} target="_blank" rel="noopener noreferrer">{ lang.t(paper) }</a></>
                    }) }
                </p>
            }
        </details>
    }
}
