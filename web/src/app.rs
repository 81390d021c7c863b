//! The page: the state, the hooks that keep the worker, the draft and the link in step with
//! it, and the panels. The model runs in the worker; this thread only renders.

use yew::prelude::*;

use crate::comparison::{model_of, offered, source_words, target_label};
use crate::components::attention_view::AttentionView;
use crate::components::builder::Builder;
use crate::components::compare::Compare;
use crate::components::completion::{Completion, notice_words};
use crate::components::compression::Compression;
use crate::components::curve_preview::CurvePreview;
use crate::components::focus_tip::FocusTip;
use crate::components::heads::Heads;
use crate::components::icl_curve::IclCurve;
use crate::components::link_choice::LinkChoice;
use crate::components::live_training::LiveTraining;
use crate::components::messages::Messages;
use crate::components::model_status::{ModelStatusLine, status_line};
use crate::components::recover::Recover;
use crate::components::run_panel::RunPanel;
use crate::components::scale_view::ScaleView;
use crate::components::settings::Settings;
use crate::components::tour_card::TourCard;
use crate::components::training::Training;
use crate::components::tune_panel::TunePanel;
use crate::doc::Doc;
use crate::hooks::{
    Store, consume_fragment, current_fragment, open_link, page_url, use_autosave, use_explanations,
    use_first_visit, use_jobs, use_ladder, use_link_listener, use_live_training, use_model_loading,
    use_service_worker, use_tour, use_training_curves, use_tune, use_worker,
};
use crate::i18n::Lang;
use crate::live_run::LiveRun;
use crate::share;
use crate::share_state::shared;
use crate::storage::browser;
use crate::store::{Action, RunState, State, Tune, use_store};

/// A callback that dispatches the action `f` makes of its argument.
fn dispatching<T: 'static>(state: &Store, f: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let dispatch = state.dispatcher();
    Callback::from(move |x: T| dispatch.dispatch(f(x)))
}

/// The link to exactly this state: the document, and the live run and the tune to run again.
fn link_to(doc: &Doc, live: &LiveRun, tune: &Tune) -> String {
    format!("{}#{}", page_url(), share::encode(&shared(doc, live, tune)))
}

/// Copies the link to exactly this state and shows it.
fn share_callback(state: &Store) -> Callback<()> {
    let state = state.clone();
    Callback::from(move |_: ()| {
        let url = link_to(&state.page.doc, &state.live.run, &state.tune);
        if let Some(w) = web_sys::window() {
            // Best effort: the link is also shown in a field to copy by hand.
            let _ = w.navigator().clipboard().write_text(&url);
        }
        state.dispatch(Action::Shared(url));
    })
}

/// Saves one JSON file made from the state at the time of the click, named after `view`.
fn export_callback(
    state: &Store,
    view: &'static str,
    make: fn(&State) -> serde_json::Value,
) -> Callback<()> {
    let state = state.clone();
    Callback::from(move |_: ()| {
        let name = format!("{}.json", state.page.file_stem(&state.live.run, view));
        let text = serde_json::to_string_pretty(&make(&state.snapshot())).unwrap_or_default();
        // The download is the answer; only a failure needs words.
        if let Err(e) = crate::download::save(&name, "application/json", text.as_bytes()) {
            state.dispatch(Action::Message(e));
        }
    })
}

/// Keeps the draft or opens the waiting link; the replaced draft stays recoverable.
fn choose_callback(state: &Store) -> Callback<bool> {
    dispatching(state, |keep_mine| Action::ResolveLink {
        keep_mine,
        now: browser::now(),
    })
}

/// The page.
#[function_component]
pub fn App() -> Html {
    // Read before the store takes the fragment out of the address bar.
    let tour_link = *use_state(crate::hooks::tour_link);
    let state = use_store(|| {
        // The link is taken out of the address bar before it is read, so a link that breaks
        // the page cannot break it again on reload.
        let fragment = current_fragment();
        consume_fragment();
        let startup = open_link(fragment);
        State::from_startup(startup, browser::set_aside_list())
    });
    let bridge = use_worker(&state);
    use_model_loading(&bridge, &state);
    use_autosave(&state);
    use_service_worker();
    use_explanations(&bridge, &state);
    use_training_curves(&bridge, &state);
    use_ladder(&bridge, &state);
    let jobs = use_jobs(&bridge, &state);
    use_first_visit(&state, &jobs);
    let tour = use_tour(&state, &jobs, tour_link);
    use_link_listener(&state, tour.go.clone());
    let live = use_live_training(&bridge, &state);
    let tune = use_tune(&bridge, &state);

    let on_doc = dispatching(&state, Action::SetDoc);
    let (page, run, explore, live_part) = (&state.page, &state.run, &state.explore, &state.live);
    let tune_part = &state.tune;
    let lang = page.doc.lang;
    let set_lang = {
        let (dispatch, doc) = (state.dispatcher(), page.doc.clone());
        Callback::from(move |l: Lang| {
            let mut d = doc.clone();
            d.lang = l;
            dispatch.dispatch(Action::SetDoc(d));
        })
    };
    use_effect_with(lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    let on_key = {
        let run = jobs.run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run.emit(());
            }
        })
    };
    let ready = page.ready_model().is_some();
    // A tune holds the worker until it ends: jobs asked for meanwhile would wait behind it.
    let busy = explore.measuring() || !ready || tune_part.running;
    let target = page.doc.target();
    let altered = (!target.ablated.is_empty() || target.checkpoint.is_some())
        .then(|| target_label(&target, &page.models, lang));
    let expected_logprob = run.analysis.as_ref().and_then(|a| a.expected_logprob);
    let run_models = offered(&page.models, &live_part.run, tune_part, lang);
    let file = |view: &str| page.file_stem(&live_part.run, view);
    let curves = explore.curves_of(page.shown_model().id());

    html! {
        <main onkeydown={on_key}>
            <ContextProvider<Lang> context={lang}>
            <header class="top">
                <div class="title-row">
                    <h1>{ "ICL Playground" }</h1>
                    <div class="top-tools">
                        <button type="button" id="tour-open" class="secondary small" title={lang.t("A guided walk through the ideas, one step at a time: each step sets up the page and says what to look at")}
                            aria-pressed={tour.step.is_some().to_string()} onclick={tour.go.reform(|_: MouseEvent| Some(crate::tour::Step::ALL[0]))}>{ lang.t("Tour") }</button>
                        <div class="lang-switch" role="group" aria-label={lang.t("Language")}>
                            { for Lang::ALL.iter().map(|&l| html! {
                                <button type="button" id={format!("lang-{}", l.code())} lang={l.code()}
                                    class={classes!("secondary", "small", (l == lang).then_some("active"))}
                                    aria-pressed={(l == lang).to_string()} title={l.t("Show the page in this language")}
                                    onclick={set_lang.reform(move |_: MouseEvent| l)}>{ l.name() }</button>
                            }) }
                        </div>
                    </div>
                </div>
                <p class="lede">{ lang.t("A small transformer runs in this tab. Give it a few examples of a rule and watch it continue the pattern: that is in-context learning. Nothing you type leaves your browser.") }</p>
                <ModelStatusLine status={page.model.clone()} on_retry={jobs.retry.clone()} />
            </header>
            if let Some(link) = &page.pending_link {
                <LinkChoice link={link.clone()} on_choose={choose_callback(&state)} />
            }
            <Messages messages={page.messages.clone()} on_dismiss={dispatching(&state, |_: ()| Action::DismissMessages)} />
            <Recover items={page.set_aside.clone()} on_recover={dispatching(&state, |index| Action::Recover { index, now: browser::now() })} />
            <div class="layout">
                <div class="col">
                    <Builder doc={page.doc.clone()} block_size={page.block_size(&live_part.run)} on_change={on_doc.clone()} on_message={dispatching(&state, Action::Message)} />
                    // The run's settings (model, sampling), under the prompt they run: the two columns
                    // then end level (no hole under the shorter one).
                    <div class="panel" role="region" aria-label={lang.t("Settings")}>
                        <Settings doc={page.doc.clone()} models={run_models} on_change={on_doc.clone()} />
                    </div>
                </div>
                <div class="col">
                    <RunPanel doc={page.doc.clone()} ready={ready && !tune_part.running} running={run.state == RunState::Running}
                        altered={altered} share_url={page.share_url.clone()} on_run={jobs.run.clone()} on_stop={jobs.stop.clone()}
                        on_share={share_callback(&state)} on_doc={on_doc.clone()}
                        on_export_all={export_callback(&state, "icl-playground", |s| crate::bundle::all(s, &link_to(&s.page.doc, &s.live.run, &s.tune)))} />
                    if let Some(n) = &run.notice { <p class="notice" id="run-notice">{ notice_words(n) }</p> }
                    <Completion tokens={run.tokens.clone()} run_state={run.state} text={run.text.clone()}
                        reason={run.reason.as_ref().map(|r| r.words(lang))} expected={run.expected.clone()} expected_logprob={expected_logprob}
                        on_export={export_callback(&state, "completion", crate::bundle::completion)} />
                    <CurvePreview series={explore.series.clone()} file={file("icl-curve-preview")} />
                    <Compression analysis={run.analysis.clone()} />
                </div>
            </div>
            <h2 class="part">{ lang.t("Compare and explain") }</h2>
            <div class="layout">
                <div class="col">
                    <IclCurve series={explore.series.clone()} busy={busy} on_measure={jobs.measure.clone()}
                        on_clear={dispatching(&state, |_: ()| Action::ClearSeries)} source={source_words(&page.doc)} file={file("icl-curve")} />
                    <Compare doc={page.doc.clone()} comparison={explore.comparison.clone()} busy={busy} on_doc={on_doc.clone()} on_compare={jobs.compare.clone()} />
                    <AttentionView doc={page.doc.clone()} explanation={explore.explanation.clone()} on_doc={on_doc.clone()} file={file("attention")} />
                </div>
                <div class="col">
                    <Heads doc={page.doc.clone()} explanation={explore.explanation.clone()} on_doc={on_doc.clone()} file={file("repeat")} />
                    <Training doc={page.doc.clone()} model={model_of(&page.models, &page.doc.model).filter(|_| !page.doc.model.made_here()).cloned()} curves={curves}
                        live_top={explore.explanation.as_ref().map(|x| x.random.top_induction())} on_doc={on_doc.clone()} file={file("training")} />
                </div>
            </div>
            <ScaleView doc={page.doc.clone()} rungs={crate::comparison::ladder(&page.models).into_iter().cloned().collect::<Vec<_>>()}
                comparison={explore.comparison.clone()} ladder={explore.ladder.clone()} busy={busy} on_doc={on_doc} on_scale={jobs.scale.clone()}
                files={[file("scale-table").into(), file("scale-prompt").into(), file("scale-sets").into(), file("scale-loss").into()]} />
            <h2 class="part">{ lang.t("Learn in context, or in weights") }</h2>
            <TunePanel tune={std::rc::Rc::new((**tune_part).clone())} in_context={tune_part.in_context.and_then(|r| explore.series.iter().find(|s| s.run == r)).cloned()}
                ready={!busy} raw_view={page.doc.view == crate::doc::View::Raw} on_settings={dispatching(&state, Action::TuneSettings)}
                on_tune={tune.tune} on_stop={tune.stop} on_reset={tune.reset} on_export={tune.export} on_measure={tune.measure}
                files={[file("in-context-or-in-weights").into(), file("tuning-curve").into(), file("in-context-curve").into()]} />
            <h2 class="part">{ lang.t("Train it yourself") }</h2>
            <LiveTraining live={live_part.run.clone()} settings={live_part.settings.clone()}
                file={live_part.file.clone()} on_settings={dispatching(&state, Action::LiveSettings)}
                on_train={live.train} on_pause={live.pause} on_reset={live.reset} on_export={live.export} />
            <p id="status" class="status" role="status" aria-live="polite">{ status_line(lang, &page.model, run) }</p>
            if let Some(step) = tour.step {
                <TourCard step={step} on_go={tour.go.clone()} />
            }
            <FocusTip />
            </ContextProvider<Lang>>
        </main>
    }
}
