//! The Run panel: Run, Stop and Copy link, the note when the weights are altered, the share
//! link and the settings.

use yew::prelude::*;

use crate::i18n::use_lang;

use super::about_box::AboutBox;

use crate::doc::Doc;

#[derive(Properties, PartialEq)]
pub struct RunPanelProps {
    pub doc: Doc,
    pub ready: bool,
    pub running: bool,
    /// `base @ step 845 − L1H3` when the weights are not the final ones with every head.
    pub altered: Option<String>,
    /// The last copied share link.
    pub share_url: Option<String>,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
    pub on_share: Callback<()>,
    /// Saves the whole state and its results as one JSON file.
    pub on_export_all: Callback<()>,
    pub on_doc: Callback<Doc>,
}

#[function_component]
pub fn RunPanel(p: &RunPanelProps) -> Html {
    let lang = use_lang();
    let on_reset_weights = {
        let (doc, cb) = (p.doc.clone(), p.on_doc.clone());
        Callback::from(move |_: MouseEvent| {
            let mut d = doc.clone();
            d.explore.ablated.clear();
            d.explore.checkpoint = None;
            cb.emit(d);
        })
    };
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    html! {
        <section class="panel" aria-labelledby="run-h">
            <h2 id="run-h">{ lang.t("2 · Run") }</h2>
            <AboutBox about="run" />
            <p class="explain">{ lang.t("The model reads the prompt once, then writes one character at a time, each time picking from its predicted probabilities.") }</p>
            <div class="row wrap">
                <button id="run" onclick={click(&p.on_run)} disabled={!p.ready || p.running} title={lang.t("Ctrl+Enter")}>{ lang.t("Run") }</button>
                <button id="stop" title={lang.t("Stop writing now")} class="secondary" onclick={click(&p.on_stop)} disabled={!p.running}>{ lang.t("Stop") }</button>
                <button id="share" class="secondary" onclick={click(&p.on_share)} title={lang.t("Copy a link that opens exactly this: examples, model, settings and views")}>{ lang.t("Copy link") }</button>
                <button id="export-all" class="secondary" onclick={click(&p.on_export_all)} title={lang.t("Save the state and every result on the page (completion, curves, comparison, head scores, live run, tune) as one JSON file")}>{ lang.t("Export all") }</button>
            </div>
            if let Some(label) = &p.altered {
                <p id="weights-note" class="notice">
                    { lang.f("Every run uses {label}. ", &[("label", &label)]) }
                    <button class="secondary" onclick={on_reset_weights} title={lang.t("Go back to the final weights with every head on")}>{ lang.t("Final weights, all heads") }</button>
                </p>
            }
            if let Some(url) = &p.share_url {
                <p class="share">
                    <label for="share-url">{ lang.t("Link to exactly this (copied to the clipboard where the browser allows):") }</label>
                    <input id="share-url" type="text" title={lang.t("The link to exactly this state")} readonly=true value={url.clone()} />
                </p>
            }
        </section>
    }
}
