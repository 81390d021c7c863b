//! "What am I seeing?": a panel's explanation from [`crate::about`], folded under its title.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AboutBoxProps {
    /// The panel's key in [`crate::about::ABOUT`].
    pub about: &'static str,
}

#[function_component]
pub fn AboutBox(p: &AboutBoxProps) -> Html {
    let Some(a) = crate::about::about(p.about) else {
        return html! {};
    };
    html! {
        <details class="about" data-about={a.key}>
            <summary>{ "What am I seeing?" }</summary>
            <p class="about-what">{ a.what }</p>
            <p class="about-why"><strong>{ "Why it matters: " }</strong>{ a.why }</p>
            <p class="about-paper">{ "Read: " }<a href={a.url} target="_blank" rel="noopener noreferrer">{ a.paper }</a></p>
        </details>
    }
}
