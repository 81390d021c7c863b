//! The row of buttons that saves a chart or the heatmap as SVG, PNG, CSV or JSON, with what
//! the last one did.

use yew::prelude::*;

use crate::export::Format;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct ExportButtonsProps {
    pub on_export: Callback<Format>,
    /// What the last export did ("Saved …", or why it failed).
    pub said: AttrValue,
}

#[function_component]
pub fn ExportButtons(p: &ExportButtonsProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="export" role="group" aria-label={lang.t("Save this chart")}>
            { for Format::ALL.iter().map(|&f| html! {
                <button type="button" class={format!("secondary small export-{}", f.ext())} title={f.hint(lang)} aria-label={f.hint(lang)}
                    onclick={p.on_export.reform(move |_: MouseEvent| f)}>
                    { f.ext().to_uppercase() }
                </button>
            }) }
            <span class="hint export-said" aria-live="polite">{ p.said.clone() }</span>
        </div>
    }
}
