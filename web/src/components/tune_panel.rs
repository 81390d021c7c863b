//! "In context or in weights?": tune the model on the visitor's own examples (Tune, Stop,
//! Reset, Download), follow the tune step by step, and see the examples used in the prompt,
//! in the weights, or both, side by side.

use std::rc::Rc;

use icl_model::train::tune::TuneSettings;
use yew::prelude::*;

use super::about_box::AboutBox;
use super::download_link::DownloadLink;
use super::side_by_side::SideBySide;
use super::tune_curve::TuneCurves;
use super::tune_settings::TuneSettingsForm;
use crate::i18n::{Lang, use_lang};
use crate::store::{Series, Tune};

#[derive(Properties, PartialEq)]
pub struct TunePanelProps {
    pub tune: Rc<Tune>,
    /// The in-context curve on the examples, once measured.
    pub in_context: Option<Series>,
    /// A model is ready and the worker free for a new job.
    pub ready: bool,
    /// The raw prompt is being edited: a tune reads the builder's examples.
    pub raw_view: bool,
    pub on_settings: Callback<TuneSettings>,
    pub on_tune: Callback<()>,
    pub on_stop: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_export: Callback<()>,
    pub on_measure: Callback<()>,
    /// The exports' names without extension: the table's, the tuning curve's, the
    /// in-context curve's.
    pub files: [AttrValue; 3],
}

/// Where the tune stands, in words.
fn status(t: &Tune, lang: Lang) -> String {
    let steps = t.request.as_ref().map_or(0, |r| r.settings.steps);
    let last = t.points.last();
    let loss = last
        .filter(|p| p.loss.is_finite())
        .map_or("–".to_string(), |p| format!("{:.3}", p.loss));
    match last {
        None if t.running => lang.t("Starting the tune…").to_string(),
        None => lang.t("Not tuned yet.").to_string(),
        Some(p) if t.running => lang.f(
            "Tuning: step {step} of {n} · loss {loss}",
            &[("step", &p.step), ("n", &steps), ("loss", &loss)],
        ),
        Some(p) if t.stopped => lang.f(
            "Stopped at step {step} of {n} · loss {loss}",
            &[("step", &p.step), ("n", &steps), ("loss", &loss)],
        ),
        Some(p) => lang.f(
            "Tuned: {step} steps · loss {loss}",
            &[("step", &p.step), ("loss", &loss)],
        ),
    }
}

#[function_component]
pub fn TunePanel(p: &TunePanelProps) -> Html {
    let lang = use_lang();
    let t = &p.tune;
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    let step = t.points.last().map(|q| q.step);
    // The losses the tune reported, for a test to compare two tabs' tunes.
    let losses: Vec<String> = t
        .points
        .iter()
        .filter(|q| q.step > 0)
        .map(|q| q.loss.to_string())
        .collect();
    html! {
        <section class="panel" aria-labelledby="tune-h" id="tune">
            <h2 id="tune-h">{ lang.t("In context or in weights?") }</h2>
            <AboutBox about="in-weights" />
            if p.raw_view {
                <p class="hint">{ lang.t("A tune uses the examples of the builder, not the raw prompt.") }</p>
            }
            <TuneSettingsForm settings={t.settings} disabled={t.running} on_change={p.on_settings.clone()} />
            <div class="row wrap">
                if t.running {
                    <button id="tune-stop" onclick={click(&p.on_stop)} title={lang.t("Stop after the current step; the weights it reached stay")}>{ lang.t("Stop") }</button>
                } else {
                    <button id="tune-start" onclick={click(&p.on_tune)} disabled={!p.ready}
                        title={lang.t("Tune a copy of the model on your examples with these settings")}>{ lang.t("Tune") }</button>
                }
                <button id="tune-export" class="secondary" onclick={click(&p.on_export)} disabled={!t.ready() || t.running}
                    title={lang.t("Save the tuned model as a weight file of the project")}>{ lang.t("Download weights") }</button>
                if let Some(f) = &t.file { <DownloadLink id="tune-download" file={f.clone()} /> }
                <button id="tune-reset" class="secondary" onclick={click(&p.on_reset)} disabled={t.points.is_empty() && !t.running}
                    title={lang.t("Forget the tuned model: every panel goes back to the shipped weights")}>{ lang.t("Reset") }</button>
            </div>
            <p id="tune-status" class="status-line" aria-live="polite" data-running={t.running.to_string()} data-stopped={t.stopped.to_string()}
                data-step={step.map(|s| s.to_string()).unwrap_or_default()} data-losses={losses.join(" ")}>{ status(t, lang) }</p>
            if let Some(e) = &t.error {
                <p id="tune-error" class="notice">{ e.words(lang) }</p>
            }
            if let (Some(r), false) = (&t.request, t.columns.is_empty()) {
                <SideBySide request={r.clone()} columns={t.columns.clone()} steps={step.unwrap_or(0)} stopped={t.stopped} file={p.files[0].clone()} />
            }
            <TuneCurves points={t.points.clone()} in_context={p.in_context.clone()} busy={!p.ready || t.running}
                on_measure={p.on_measure.clone()} file={p.files[1].clone()} file_in_context={p.files[2].clone()} />
            <p class="explain">{ lang.t("Your examples can teach the model two ways: read in the prompt (in context, the weights unchanged), or as a few steps of gradient descent on the weights (in weights, then no examples in the prompt). Tune trains a copy of the model on your examples, each in turn the query of some of the others, and compares the two ways on your query.") }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{FromWorker, Target, TuneOutcome, TuneRequest};
    use crate::store::tune::Action;
    use yew::Reducible;

    fn reported(t: Rc<Tune>, step: usize, loss: f32) -> Rc<Tune> {
        t.reduce(Action::Worker(crate::store::tune::reported(1, step, loss)))
    }

    #[test]
    fn the_status_says_how_far_the_tune_got() {
        let request = Rc::new(TuneRequest {
            base: Target::default(),
            template: Default::default(),
            examples: vec![],
            query: String::new(),
            expected: None,
            settings: TuneSettings {
                steps: 40,
                ..TuneSettings::default()
            },
        });
        let idle = Rc::new(Tune::default());
        assert_eq!(status(&idle, Lang::En), "Not tuned yet.");
        let t = idle.reduce(Action::Started { run: 1, request });
        assert_eq!(status(&t, Lang::En), "Starting the tune…");
        let t = reported(t, 0, f32::NAN);
        assert_eq!(status(&t, Lang::En), "Tuning: step 0 of 40 · loss –");
        let t = reported(t, 5, 0.25);
        assert_eq!(status(&t, Lang::En), "Tuning: step 5 of 40 · loss 0.250");
        let done = |stopped| {
            t.clone().reduce(Action::Worker(FromWorker::TuneDone {
                run: 1,
                result: Ok(TuneOutcome {
                    stopped,
                    columns: vec![],
                }),
            }))
        };
        assert_eq!(
            status(&done(true), Lang::En),
            "Stopped at step 5 of 40 · loss 0.250"
        );
        assert_eq!(
            status(&done(false), Lang::En),
            "Tuned: 5 steps · loss 0.250"
        );
        assert!(status(&done(false), Lang::Zh).contains('5'));
    }
}
