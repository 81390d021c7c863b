//! The tour's card: the step's title and words, a button per step, Back, Next and Leave.
//! It is a non-modal dialog: the page stays usable under it, and Esc leaves (see
//! `hooks/tour.rs`). The title takes focus at each step, so a screen reader reads it.

use yew::prelude::*;

use crate::i18n::use_lang;
use crate::tour::Step;

#[derive(Properties, PartialEq)]
pub struct TourCardProps {
    pub step: Step,
    /// Goes to a step, or (`None`) leaves the tour.
    pub on_go: Callback<Option<Step>>,
}

#[function_component]
pub fn TourCard(p: &TourCardProps) -> Html {
    let lang = use_lang();
    let step = p.step;
    use_effect_with(step, |_| {
        if let Some(t) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("tour-title"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = t.focus();
        }
    });
    let go = |s: Option<Step>| p.on_go.reform(move |_: MouseEvent| s);
    let on_key = {
        let on_go = p.on_go.clone();
        Callback::from(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowRight" => step.next(),
                "ArrowLeft" => step.previous(),
                _ => return,
            };
            if to.is_some() {
                e.prevent_default();
                on_go.emit(to);
            }
        })
    };
    let n = step.number();
    let total = Step::ALL.len();
    html! {
        <aside id="tour" class="tour-card" role="dialog" aria-modal="false" aria-labelledby="tour-title"
            aria-describedby="tour-text" data-step={n.to_string()} onkeydown={on_key}>
            <p class="tour-count">{ lang.f("Tour · step {n} of {total}", &[("n", &n), ("total", &total)]) }</p>
            <h2 id="tour-title" tabindex="-1">{ lang.t(step.title()) }</h2>
            <p id="tour-text" aria-live="polite">{ step.text(lang) }</p>
            <ol class="tour-steps" aria-label={lang.t("Tour steps")}>
                { for Step::ALL.iter().map(|&s| html! {
                    <li><button type="button" class={classes!("tour-dot", (s == step).then_some("active"))}
                        aria-current={(s == step).then_some("step")} title={lang.t(s.title())}
                        aria-label={lang.f("Step {n}: {title}", &[("n", &s.number()), ("title", &lang.t(s.title()))])}
                        onclick={go(Some(s))}>{ s.number() }</button></li>
                }) }
            </ol>
            <div class="tour-buttons">
                <button id="tour-back" type="button" class="secondary" disabled={step.previous().is_none()}
                    onclick={go(step.previous())}>{ lang.t("Back") }</button>
                if let Some(next) = step.next() {
                    <button id="tour-next" type="button" onclick={go(Some(next))}>{ lang.t("Next") }</button>
                } else {
                    <button id="tour-done" type="button" onclick={go(None)}>{ lang.t("Finish the tour") }</button>
                }
                <button id="tour-leave" type="button" class="secondary" title={lang.t("Leave the tour; the page stays as it is (Esc)")}
                    onclick={go(None)}>{ lang.t("Leave") }</button>
            </div>
        </aside>
    }
}
