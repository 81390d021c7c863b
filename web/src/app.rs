//! The page: builder, settings, Run / Stop, the streamed completion, the compression strip,
//! share links and drafts. The model runs in the worker; this thread only renders.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;
use yew_agent::reactor::{ReactorEvent, ReactorProvider, use_reactor_bridge};

use crate::components::builder::Builder;
use crate::components::completion::Completion;
use crate::components::compression::Compression;
use crate::components::explain::{AttentionView, Compare, Heads, IclCurve, Training, head_name};
use crate::components::model_status::ModelStatusLine;
use crate::components::settings::Settings;
use crate::doc::{Doc, Vary};
use crate::presets;
use crate::protocol::{SweepSource, Target, ToWorker, Variant};
use crate::share;
use crate::state::{Action, Comparison, ModelStatus, RunState, State};
use crate::storage::{self, browser};
use crate::worker::ModelWorker;
use icl_model::eval::Labels;
use icl_model::tasks::Task;

/// Absolute URL of the models folder, next to the page.
fn models_url() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base("models/", &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| "models/".to_string())
}

/// The current URL's fragment, without `#`.
fn current_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let f = hash.strip_prefix('#').unwrap_or(&hash);
    (!f.is_empty()).then(|| f.to_string())
}

/// The page URL without its fragment.
fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Removes the fragment from the address bar without reloading (the link is consumed).
fn consume_fragment() {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_url()));
    }
}

thread_local! {
    static JOBS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A fresh id for a worker job (explanations, sweeps, comparisons).
fn next_job() -> u64 {
    JOBS.with(|j| {
        j.set(j.get() + 1);
        j.get()
    })
}

/// Before any run, how long the page waits before asking for an explanation (ms).
const EXPLAIN_DELAY_MS: u32 = 1_500;

/// Shot counts of the ICL curve.
const SWEEP_KS: [usize; 9] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
/// Held-out queries per shot count.
const SWEEP_QUERIES: usize = 16;

/// How a target is named on charts and tables: `base @ step 845 − L1H3`.
fn target_label(t: &Target, state: &State) -> String {
    let id = t
        .model
        .clone()
        .or_else(|| state.models.first().map(|m| m.id.clone()))
        .unwrap_or_default();
    let mut s = id;
    if let Some(c) = t.checkpoint {
        s += &format!(" @ step {c}");
    }
    if !t.ablated.is_empty() {
        let names: Vec<String> = t.ablated.iter().map(|&h| head_name(h)).collect();
        s += &format!(" − {}", names.join(","));
    }
    s
}

/// The held-out batch the current document is measured on.
fn sweep_source(doc: &Doc, labels: Labels) -> SweepSource {
    match doc
        .preset
        .as_ref()
        .filter(|p| Task::from_name(&p.task).is_some())
    {
        Some(p) => SweepSource::Task {
            task: p.task.clone(),
            seed: p.seed,
            queries: SWEEP_QUERIES,
            labels,
        },
        None => SweepSource::Examples(
            doc.examples
                .iter()
                .map(|e| (e.input.clone(), e.output.clone()))
                .collect(),
        ),
    }
}

/// One column of a comparison, as the page builds it.
struct Column {
    label: String,
    target: Target,
    /// The document the column's prompt, sampling and expected answer come from.
    doc: Doc,
    /// Shot count and labels of its held-out batch (none for sampling variants, whose
    /// greedy batch would be the same for every column).
    batch: Option<(usize, Labels)>,
    /// Parameters of its model.
    params: u64,
}

fn column(
    label: impl Into<String>,
    target: Target,
    doc: Doc,
    batch: Option<(usize, Labels)>,
    params: u64,
) -> Column {
    Column {
        label: label.into(),
        target,
        doc,
        batch,
        params,
    }
}

/// The columns of a comparison.
fn variants(state: &State) -> Vec<Column> {
    let doc = &state.doc;
    let target = doc.target();
    let k = doc.examples.len();
    let params = |id: &Option<String>| {
        state
            .models
            .iter()
            .find(|m| Some(&m.id) == id.as_ref())
            .or(state.models.first())
            .map_or(0, |m| m.params)
    };
    let here = params(&doc.model);
    match doc.explore.vary {
        Vary::Shots => (0..=k.min(8))
            .map(|i| {
                let mut d = doc.clone();
                d.examples.truncate(i);
                column(
                    format!("{i} examples"),
                    target.clone(),
                    d,
                    Some((i, Labels::Correct)),
                    here,
                )
            })
            .collect(),
        Vary::Model => state
            .models
            .iter()
            .map(|m| {
                let t = Target {
                    model: Some(m.id.clone()),
                    ..Target::default()
                };
                column(
                    m.id.clone(),
                    t,
                    doc.clone(),
                    Some((k, Labels::Correct)),
                    m.params,
                )
            })
            .collect(),
        Vary::Checkpoint => {
            let steps = state
                .models
                .iter()
                .find(|m| Some(&m.id) == doc.model.as_ref())
                .or(state.models.first())
                .map(|m| m.checkpoints.clone())
                .unwrap_or_default();
            steps
                .iter()
                .map(|&s| Some(s))
                .chain(std::iter::once(None))
                .map(|c| {
                    let t = Target {
                        checkpoint: c,
                        ..target.clone()
                    };
                    let label = c.map_or("final".to_string(), |s| format!("step {s}"));
                    column(label, t, doc.clone(), Some((k, Labels::Correct)), here)
                })
                .collect()
        }
        Vary::Sampling => [(0.0, 0), (0.5, 1), (1.0, 1), (1.0, 2), (1.5, 3)]
            .iter()
            .map(|&(temperature, seed)| {
                let mut d = doc.clone();
                d.sampling.temperature = temperature;
                d.sampling.seed = seed;
                let label = if temperature == 0.0 {
                    "greedy".to_string()
                } else {
                    format!("T = {temperature}, seed {seed}")
                };
                column(label, target.clone(), d, None, here)
            })
            .collect(),
        Vary::Labels => {
            let flipped = presets::flip(doc);
            let wrong = presets::wrong_rule(doc);
            vec![
                column(
                    "correct",
                    target.clone(),
                    doc.clone(),
                    Some((k, Labels::Correct)),
                    here,
                ),
                column(
                    "shuffled",
                    target.clone(),
                    presets::shuffle_labels(doc, 1),
                    Some((k, Labels::Shuffled)),
                    here,
                ),
                column(
                    "flipped",
                    target.clone(),
                    flipped,
                    Some((k, Labels::Flipped(wrong))),
                    here,
                ),
            ]
        }
    }
}

/// A callback that replaces the document.
fn on_doc_change(state: &UseReducerHandle<State>) -> Callback<Doc> {
    let dispatch = state.dispatcher();
    Callback::from(move |d: Doc| dispatch.dispatch(Action::SetDoc(d)))
}

fn open_link(fragment: Option<String>) -> storage::Startup {
    storage::startup(browser::load_draft(), fragment.as_deref())
}

#[function_component]
fn Playground() -> Html {
    let state = use_reducer(|| {
        let s = State::from_startup(open_link(current_fragment()));
        consume_fragment();
        s
    });
    let bridge = {
        let dispatch = state.dispatcher();
        use_reactor_bridge::<ModelWorker, _>(move |event| match event {
            ReactorEvent::Output(msg) => dispatch.dispatch(Action::Worker(msg)),
            ReactorEvent::Finished => dispatch.dispatch(Action::WorkerGone),
        })
    };
    // Load (again) whenever the chosen model changes.
    {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        use_effect_with(state.doc.model.clone(), move |model| {
            dispatch.dispatch(Action::Reload);
            bridge.send(ToWorker::Load {
                models_url: models_url(),
                model: model.clone(),
            });
        });
    }
    // Autosave the draft on every change; say once if the browser refuses.
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.doc.clone(), move |doc| {
            if let Err(e) = browser::save_draft(doc) {
                dispatch.dispatch(Action::Message(e));
            }
        });
    }
    // Keep the page's own files for offline visits (the worker caches the model).
    use_effect_with((), |_| {
        if let Some(w) = web_sys::window() {
            let registered = w.navigator().service_worker().register("sw.js");
            // Without it the page still works; it just needs the network next time.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(registered).await;
            });
        }
    });
    // A link pasted into the address bar of the open page.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                if let Some(f) = current_fragment() {
                    dispatch.dispatch(Action::Opened(open_link(Some(f))));
                    consume_fragment();
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    // Explain again when the weights, the seed or the last run's text change; not while a
    // completion runs, and the very first time only after a pause, so a first Run is not
    // queued behind the explanation.
    {
        let (bridge, dispatch) = (bridge.clone(), state.dispatcher());
        let ready_id = match &state.model {
            ModelStatus::Ready(i) => Some(i.id.clone()),
            _ => None,
        };
        let running = state.run_state == RunState::Running;
        let ran = match (&state.text, state.run_state) {
            (Some(t), RunState::Done) => format!("{}{t}", state.run_prompt),
            _ => String::new(),
        };
        let doc_prompt = state.doc.prompt();
        let none_yet = state.explanation.is_none();
        use_effect_with(
            (
                ready_id,
                state.doc.target(),
                state.doc.explore.seed,
                ran,
                running,
            ),
            move |(ready, target, seed, ran, running)| {
                let mut timer = None;
                if ready.is_some() && !*running {
                    let (target, seed, first) = (target.clone(), *seed, ran.is_empty());
                    let prompt = if first { doc_prompt } else { ran.clone() };
                    let send = move || {
                        let run = next_job();
                        dispatch.dispatch(Action::Explaining(run));
                        bridge.send(ToWorker::Explain {
                            run,
                            target,
                            prompt,
                            seed,
                        });
                    };
                    if first && none_yet {
                        timer = Some(gloo_timers::callback::Timeout::new(EXPLAIN_DELAY_MS, send));
                    } else {
                        send();
                    }
                }
                // Dropping a pending timer cancels it.
                move || drop(timer)
            },
        );
    }
    // The training curves of each model that becomes ready.
    {
        let bridge = bridge.clone();
        let ready_id = match &state.model {
            ModelStatus::Ready(i) => Some(i.id.clone()),
            _ => None,
        };
        use_effect_with(ready_id, move |id| {
            if let Some(model) = id.clone() {
                bridge.send(ToWorker::Curves { model });
            }
        });
    }
    let busy =
        state.series.iter().any(|s| !s.done) || state.comparison.as_ref().is_some_and(|c| !c.done);
    let on_measure = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            let run = next_job();
            let target = state.doc.target();
            let label = target_label(&target, &state);
            state.dispatch(Action::SweepStarted { run, label });
            bridge.send(ToWorker::Sweep {
                run,
                target,
                template: state.doc.template.clone(),
                source: sweep_source(&state.doc, Labels::Correct),
                ks: SWEEP_KS.to_vec(),
            });
        })
    };
    // Switching heads, checkpoint or model re-measures the curve when one is on the chart, so
    // the new curve lies over the old one.
    {
        let (on_measure, has_curves) = (on_measure.clone(), !state.series.is_empty());
        use_effect_with(state.doc.target(), move |_| {
            if has_curves {
                on_measure.emit(());
            }
        });
    }
    let on_clear = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: ()| dispatch.dispatch(Action::ClearSeries))
    };
    let on_compare = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            let run = next_job();
            let vs = variants(&state);
            let batches: Vec<(u64, Option<icl_model::eval::SweepPoint>)> = vs
                .iter()
                .map(|v| (if v.batch.is_some() { next_job() } else { 0 }, None))
                .collect();
            state.dispatch(Action::CompareStarted(Comparison {
                run,
                vary: state.doc.explore.vary,
                labels: vs.iter().map(|v| v.label.clone()).collect(),
                params: vs.iter().map(|v| v.params).collect(),
                results: vec![None; vs.len()],
                batches: batches.clone(),
                done: false,
            }));
            bridge.send(ToWorker::Compare {
                run,
                variants: vs
                    .iter()
                    .map(|v| Variant {
                        target: v.target.clone(),
                        prompt: v.doc.prompt(),
                        sampling: v.doc.sampling.config(),
                        expected: v.doc.expected_completion(),
                    })
                    .collect(),
            });
            for (v, (job, _)) in vs.iter().zip(&batches) {
                if let Some((k, labels)) = v.batch {
                    bridge.send(ToWorker::Sweep {
                        run: *job,
                        target: v.target.clone(),
                        template: v.doc.template.clone(),
                        source: sweep_source(&state.doc, labels),
                        ks: vec![k],
                    });
                }
            }
        })
    };
    let current_model = state
        .models
        .iter()
        .find(|m| Some(&m.id) == state.doc.model.as_ref())
        .or(state.models.first())
        .cloned();
    let live_top = state.explanation.as_ref().map(|x| x.random.top_induction());
    let source = match &state.doc.preset {
        Some(p) => format!(
            "{SWEEP_QUERIES} fresh held-out queries of the preset “{}” per k",
            p.task
        ),
        None => "your own examples, each left out in turn as the query".to_string(),
    };

    let altered = !state.doc.explore.ablated.is_empty() || state.doc.explore.checkpoint.is_some();
    let on_reset_weights = {
        let (doc, cb) = (state.doc.clone(), on_doc_change(&state));
        Callback::from(move |_: MouseEvent| {
            let mut d = doc.clone();
            d.explore.ablated.clear();
            d.explore.checkpoint = None;
            cb.emit(d);
        })
    };

    let ready = matches!(state.model, ModelStatus::Ready(_));
    let running = state.run_state == RunState::Running;
    let run = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_: ()| {
            if !matches!(state.model, ModelStatus::Ready(_)) || state.run_state == RunState::Running
            {
                return;
            }
            let run = state.run + 1;
            let prompt = state.doc.prompt();
            let expected = state.doc.expected_completion();
            state.dispatch(Action::Start {
                run,
                prompt: prompt.clone(),
                expected: expected.clone(),
            });
            bridge.send(ToWorker::Generate {
                run,
                prompt,
                sampling: state.doc.sampling.config(),
                expected,
                target: state.doc.target(),
            });
        })
    };
    let on_run = run.reform(|_: MouseEvent| ());
    let on_key = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run.emit(());
            }
        })
    };
    let on_stop = {
        let bridge = bridge.clone();
        Callback::from(move |_: MouseEvent| bridge.send(ToWorker::Stop))
    };
    let on_retry = {
        let (bridge, dispatch, model) =
            (bridge.clone(), state.dispatcher(), state.doc.model.clone());
        Callback::from(move |_| {
            dispatch.dispatch(Action::Reload);
            bridge.send(ToWorker::Load {
                models_url: models_url(),
                model: model.clone(),
            });
        })
    };
    let on_doc = on_doc_change(&state);
    let on_message = {
        let dispatch = state.dispatcher();
        Callback::from(move |m: String| dispatch.dispatch(Action::Message(m)))
    };
    let on_share = {
        let (dispatch, doc) = (state.dispatcher(), state.doc.clone());
        Callback::from(move |_: MouseEvent| {
            let url = format!("{}#{}", page_url(), share::encode(&doc));
            if let Some(w) = web_sys::window() {
                // Best effort: the link is also shown in a field to copy by hand.
                let _ = w.navigator().clipboard().write_text(&url);
            }
            dispatch.dispatch(Action::Shared(url));
        })
    };
    let resolve = |keep_mine: bool| {
        let (dispatch, doc) = (state.dispatcher(), state.doc.clone());
        Callback::from(move |_: MouseEvent| {
            if !keep_mine {
                // Keep the replaced draft recoverable.
                if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                    let _ = s.set_item("icl-playground.draft.replaced", &storage::draft_json(&doc));
                }
            }
            dispatch.dispatch(Action::ResolveLink { keep_mine });
        })
    };
    let dismiss = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissMessages))
    };
    let block_size = match &state.model {
        ModelStatus::Ready(i) => Some(i.block_size),
        _ => None,
    };
    let expected_logprob = state.analysis.as_ref().and_then(|a| a.expected_logprob);

    html! {
        <main onkeydown={on_key}>
            <header class="top">
                <h1>{ "ICL Playground" }</h1>
                <p class="lede">{ "A small transformer runs in this tab. Give it a few examples of a rule and watch it continue the pattern: that is in-context learning. Nothing you type leaves your browser." }</p>
                <ModelStatusLine status={state.model.clone()} on_retry={on_retry} />
            </header>
            if let Some(link) = &state.pending_link {
                <div id="link-choice" class="dialog" role="dialog" aria-labelledby="link-choice-h">
                    <h2 id="link-choice-h">{ "Open the shared link?" }</h2>
                    <p>{ format!("The link holds other examples ({} examples, query “{}”) than your saved work. Which do you want to keep on screen?",
                        link.examples.len(), link.query.chars().take(40).collect::<String>()) }</p>
                    <div class="row">
                        <button id="keep-mine" onclick={resolve(true)}>{ "Keep mine" }</button>
                        <button id="open-link" class="secondary" onclick={resolve(false)}>{ "Open the link (mine is kept aside)" }</button>
                    </div>
                </div>
            }
            if !state.messages.is_empty() {
                <div id="messages" class="messages" role="alert">
                    { for state.messages.iter().map(|m| html! { <p class="message">{ m }</p> }) }
                    <button class="secondary" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            }
            <div class="layout">
                <div class="col">
                    <Builder doc={state.doc.clone()} block_size={block_size} on_change={on_doc.clone()} on_message={on_message} />
                </div>
                <div class="col">
                    <section class="panel" aria-labelledby="run-h">
                        <h2 id="run-h">{ "2 · Run" }</h2>
                        <p class="explain">{ "The model reads the prompt once, then writes one character at a time, each time picking from its predicted probabilities." }</p>
                        <div class="row wrap">
                            <button id="run" onclick={on_run} disabled={!ready || running} title="Ctrl+Enter">{ "Run" }</button>
                            <button id="stop" class="secondary" onclick={on_stop} disabled={!running}>{ "Stop" }</button>
                            <button id="share" class="secondary" onclick={on_share}>{ "Copy link" }</button>
                        </div>
                        if altered {
                            <p id="weights-note" class="notice">
                                { format!("Every run uses {}. ", target_label(&state.doc.target(), &state)) }
                                <button class="secondary" onclick={on_reset_weights}>{ "Final weights, all heads" }</button>
                            </p>
                        }
                        if let Some(url) = &state.share_url {
                            <p class="share">
                                <label for="share-url">{ "Link to exactly this (copied to the clipboard where the browser allows):" }</label>
                                <input id="share-url" type="text" readonly=true value={url.clone()} />
                            </p>
                        }
                        <Settings doc={state.doc.clone()} models={state.models.clone()} on_change={on_doc.clone()} />
                    </section>
                    if let Some(n) = &state.notice { <p class="notice" id="run-notice">{ n }</p> }
                    <Completion tokens={state.tokens.clone()} run_state={state.run_state} text={state.text.clone()}
                        reason={state.reason.clone()} expected={state.run_expected.clone()} expected_logprob={expected_logprob} />
                    <Compression analysis={state.analysis.clone()} />
                </div>
            </div>
            <h2 class="part">{ "Compare and explain" }</h2>
            <div class="layout">
                <div class="col">
                    <IclCurve series={state.series.clone()} busy={busy || !ready} on_measure={on_measure} on_clear={on_clear} source={source} />
                    <Compare doc={state.doc.clone()} comparison={state.comparison.clone()} busy={busy || !ready} on_doc={on_doc.clone()} on_compare={on_compare} />
                    <Training doc={state.doc.clone()} model={current_model} curves={state.current_curves()} live_top={live_top} on_doc={on_doc.clone()} />
                </div>
                <div class="col">
                    <Heads doc={state.doc.clone()} explanation={state.explanation.clone()} on_doc={on_doc.clone()} />
                    <AttentionView doc={state.doc.clone()} explanation={state.explanation.clone()} on_doc={on_doc.clone()} />
                </div>
            </div>
            <p id="status" class="status" role="status" aria-live="polite">{ state.status_line() }</p>
        </main>
    }
}

/// The root component: connects the page to the model worker.
#[function_component]
pub fn App() -> Html {
    html! {
        <ReactorProvider<ModelWorker> path="worker.js">
            <Playground />
        </ReactorProvider<ModelWorker>>
    }
}
