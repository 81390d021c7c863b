//! The model worker: loads weights listed in the manifest, verifies them, and streams
//! completions token by token, checking for Stop between tokens.

use std::time::Duration;

use futures::{FutureExt, SinkExt, StreamExt};
use icl_model::backend::Backend;
use icl_model::curves::{CurvePoint, Curves};
use icl_model::eval::{SweepPoint, sweep_examples, sweep_task};
use icl_model::lean::{Keep, LeanNet};
use icl_model::manifest::{MANIFEST_FILE, Manifest, ModelEntry};
use icl_model::metrics::{
    HeadScores, head_scores, position_losses, prompt_head_scores_from, repeated_string,
};
use icl_model::model::Model;
use icl_model::sampling::{Generator, StopReason, complete, score};
use icl_model::tasks::{Task, Template};
use icl_model::tokenizer::BOS;
use icl_model::transformer::HeadMask;
use icl_model::weights::load_verified;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, ReadableStreamDefaultReader, Request, Response, WorkerGlobalScope};
use yew::platform::time::sleep;
use yew_agent::prelude::*;

use crate::protocol::{
    Compared, Explanation, FromWorker, ModelInfo, ModelSummary, SweepSource, Target, ToWorker,
    Variant,
};

type Scope = ReactorScope<ToWorker, FromWorker>;

/// How often streamed tokens are sent to the page (ms).
const FLUSH_MS: f64 = 33.0;

/// Name of the Cache API store for model files (entries are keyed by URL and SHA-256).
const CACHE_NAME: &str = "icl-playground-models";

/// The backend the page's burn network runs on: `cargo xtask bench` measured flex faster than
/// ndarray in headless Chromium for base (decode at context 32: 886 vs 436 tokens/s; the k-shot
/// sweep 1.57 vs 1.74 s; prefill with attention 43 vs 48 ms). Generation, scoring and the
/// attention maps run the lean path over the same weights (`icl_model::lean`); the head
/// scores and losses on random strings run the burn network.
pub const WEB_BACKEND: Backend = Backend::Flex;

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

fn scope() -> Result<WorkerGlobalScope, String> {
    js_sys::global()
        .dyn_into()
        .map_err(|_| "the model must run in a web worker".to_string())
}

async fn fetch(url: &str) -> Result<Response, String> {
    let resp = JsFuture::from(scope()?.fetch_with_str(url))
        .await
        .map_err(|e| {
            format!(
                "could not download {url}: {} (check your connection and retry)",
                js_error(e)
            )
        })?;
    let resp: Response = resp
        .dyn_into()
        .map_err(|_| "fetch returned no response".to_string())?;
    if !resp.ok() {
        return Err(format!(
            "could not download {url}: HTTP {} {}",
            resp.status(),
            resp.status_text()
        ));
    }
    Ok(resp)
}

async fn response_text(resp: Response) -> Result<String, String> {
    let text = JsFuture::from(resp.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string()
        .ok_or_else(|| "the response is not text".to_string())
}

async fn response_bytes(resp: Response) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(resp.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Reads a response body chunk by chunk, reporting `(loaded, total)` as it goes.
async fn read_with_progress(
    resp: Response,
    total: u64,
    scope: &mut Scope,
) -> Result<Vec<u8>, String> {
    let Some(body) = resp.body() else {
        return response_bytes(resp).await;
    };
    let reader: ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| "the download cannot be read".to_string())?;
    let mut bytes = Vec::with_capacity(total as usize);
    let mut reported = 0u64;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|e| {
            format!(
                "the download broke off: {} (check your connection and retry)",
                js_error(e)
            )
        })?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            break;
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(js_error)?;
        bytes.extend(Uint8Array::new(&value).to_vec());
        let loaded = bytes.len() as u64;
        // About one message per percent.
        if loaded - reported >= total / 100 || loaded >= total {
            reported = loaded;
            let _ = scope.send(FromWorker::Progress { loaded, total }).await;
        }
        if bytes.len() as u64 > total.saturating_mul(2).max(1 << 20) {
            return Err("the server sent far more data than the model list says".into());
        }
    }
    Ok(bytes)
}

/// The browser's model cache; `None` where the Cache API is unavailable (e.g. http pages).
async fn open_cache() -> Option<Cache> {
    let caches = scope().ok()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// Cache key of a file: its URL with its hash, so a new file never meets a stale entry.
fn cache_key(url: &str, sha256: &str) -> String {
    format!("{url}?sha256={sha256}")
}

/// Removes cached files that the manifest no longer lists.
async fn evict_stale(cache: &Cache, keep: &[String]) {
    let Ok(keys) = JsFuture::from(cache.keys()).await else {
        return;
    };
    for req in js_sys::Array::from(&keys).iter() {
        if let Ok(req) = req.dyn_into::<Request>()
            && !keep.contains(&req.url())
        {
            let _ = JsFuture::from(cache.delete_with_str(&req.url())).await;
        }
    }
}

/// Fetches the manifest: the network first, the cached copy when offline.
async fn manifest(base: &str, cache: Option<&Cache>) -> Result<Manifest, String> {
    let text = text_network_first(&format!("{base}/{MANIFEST_FILE}"), cache).await?;
    Manifest::parse(&text).map_err(|e| format!("the model list is broken: {e}"))
}

/// A small text file from the network, kept in the cache for offline visits; the cached copy
/// when the network fails.
async fn text_network_first(url: &str, cache: Option<&Cache>) -> Result<String, String> {
    match fetch(url).await {
        Ok(resp) => {
            let text = response_text(resp).await?;
            if let Some(c) = cache
                && let Ok(r) = Response::new_with_opt_str(Some(&text))
            {
                let _ = JsFuture::from(c.put_with_str(url, &r)).await;
            }
            Ok(text)
        }
        Err(e) => match cached(cache, url).await {
            Some(resp) => response_text(resp).await,
            None => Err(e),
        },
    }
}

async fn cached(cache: Option<&Cache>, key: &str) -> Option<Response> {
    let found = JsFuture::from(cache?.match_with_str(key)).await.ok()?;
    found.dyn_into().ok()
}

/// Models loaded in this worker, by file, most recently used last.
const KEEP_LOADED: usize = 6;

/// What the worker knows: where the models are, their list, and the weights loaded so far.
#[derive(Default)]
struct Store {
    base: String,
    manifest: Option<Manifest>,
    loaded: Vec<(String, Model)>,
    /// The last probe, with the target and seed it was measured for.
    probe: Option<(Target, u64, Probe)>,
}

/// A weight file of the manifest: the final weights or a checkpoint.
struct FileRef {
    name: String,
    file: String,
    bytes: u64,
    sha256: String,
}

impl Store {
    /// The manifest entry of `id` (`None`: the default model).
    fn entry(&self, id: Option<&str>) -> Result<&ModelEntry, String> {
        let m = self
            .manifest
            .as_ref()
            .ok_or("the model list is not loaded yet")?;
        match id {
            None => m
                .models
                .first()
                .ok_or_else(|| "the model list is empty".into()),
            Some(id) => m
                .get(id)
                .ok_or_else(|| format!("there is no model called {:?}", short(id))),
        }
    }

    fn file(&self, target: &Target) -> Result<FileRef, String> {
        let e = self.entry(target.model.as_deref())?;
        Ok(match target.checkpoint {
            None => FileRef {
                name: e.name.clone(),
                file: e.file.clone(),
                bytes: e.bytes,
                sha256: e.sha256.clone(),
            },
            Some(step) => {
                let c = e
                    .checkpoints
                    .iter()
                    .find(|c| c.step == step)
                    .ok_or_else(|| format!("{} has no checkpoint at step {step}", e.name))?;
                FileRef {
                    name: format!("{} at step {step}", e.name),
                    file: c.file.clone(),
                    bytes: c.bytes,
                    sha256: c.sha256.clone(),
                }
            }
        })
    }

    /// The probe of `target` at `seed`, computed once and kept until either changes (a run
    /// changes the prompt, not these).
    fn probe(&mut self, m: &Model, target: &Target, seed: u64) -> Probe {
        match &self.probe {
            Some((t, s, p)) if t == target && *s == seed => p.clone(),
            _ => {
                let p = probe(m, seed);
                self.probe = Some((target.clone(), seed, p.clone()));
                p
            }
        }
    }

    fn remember(&mut self, file: String, model: Model) {
        self.loaded.retain(|(f, _)| *f != file);
        self.loaded.push((file, model));
        if self.loaded.len() > KEEP_LOADED {
            self.loaded.remove(0);
        }
    }

    /// The weights `target` names, with its heads ablated: from memory, the cache or the
    /// network (verified either way).
    async fn model(&mut self, target: &Target) -> Result<Model, String> {
        let f = self.file(target)?;
        let model = match self.loaded.iter().position(|(file, _)| *file == f.file) {
            Some(i) => {
                let (file, m) = self.loaded.remove(i);
                self.loaded.push((file, m.clone()));
                m
            }
            None => {
                let cache = open_cache().await;
                let m = fetch_weights(None, &self.base, cache.as_ref(), &f)
                    .await?
                    .model;
                self.remember(f.file.clone(), m.clone());
                m
            }
        };
        if target.ablated.is_empty() {
            return Ok(model);
        }
        let mask =
            HeadMask::from_ablated(model.config.n_layers, model.config.n_heads, &target.ablated);
        Ok(Model {
            net: model.net.clone().with_heads_ablated(&mask),
            ..model
        })
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Fetches one weight file (from the cache when its hash is there), checks its length and
/// SHA-256, and caches it; reports download progress when given a scope. Nothing unverified
/// is cached.
async fn fetch_weights(
    progress: Option<&mut Scope>,
    base: &str,
    cache: Option<&Cache>,
    f: &FileRef,
) -> Result<Fetched, String> {
    let url = format!("{base}/{}", f.file);
    let key = cache_key(&url, &f.sha256);
    let device = WEB_BACKEND.device();
    if let Some(resp) = cached(cache, &key).await {
        let bytes = response_bytes(resp).await?;
        match load_verified(&bytes, f.bytes, &f.sha256, &device) {
            Ok((model, _)) => {
                if let Some(scope) = progress {
                    let (loaded, total) = (f.bytes, f.bytes);
                    let _ = scope.send(FromWorker::Progress { loaded, total }).await;
                }
                return Ok(Fetched {
                    model,
                    from_cache: true,
                    stored: true,
                });
            }
            Err(_) => {
                // A damaged cached copy: drop it and download afresh.
                if let Some(c) = cache {
                    let _ = JsFuture::from(c.delete_with_str(&key)).await;
                }
            }
        }
    }
    let resp = fetch(&url).await?;
    let bytes = match progress {
        Some(scope) => read_with_progress(resp, f.bytes, scope).await?,
        None => response_bytes(resp).await?,
    };
    let (model, _) = load_verified(&bytes, f.bytes, &f.sha256, &device).map_err(|e| {
        format!(
            "{} could not be used: {e}. Retry; if it persists the server has a damaged copy.",
            f.name
        )
    })?;
    let mut stored = false;
    if let Some(c) = cache {
        let body = Uint8Array::from(bytes.as_slice());
        stored = match Response::new_with_opt_buffer_source(Some(&body)) {
            Ok(r) => JsFuture::from(c.put_with_str(&key, &r)).await.is_ok(),
            Err(_) => false,
        };
    }
    Ok(Fetched {
        model,
        from_cache: false,
        stored,
    })
}

/// A verified weight file.
struct Fetched {
    model: Model,
    from_cache: bool,
    /// Whether it is in the cache now.
    stored: bool,
}

const STORAGE_FULL: &str =
    "this browser's storage is full, so the model is kept in memory for this visit only";

/// What a load produced besides the model.
struct Loaded {
    info: ModelInfo,
    models: Vec<ModelSummary>,
    /// Said to the visitor (e.g. the cache is full, or the asked-for model does not exist).
    notices: Vec<String>,
}

/// Fetches the manifest, then the model's file, as [`fetch_weights`] does, and evicts cached
/// files the manifest no longer lists.
async fn load(
    scope: &mut Scope,
    store: &mut Store,
    models_url: &str,
    id: Option<String>,
) -> Result<Loaded, String> {
    let base = models_url.trim_end_matches('/').to_string();
    let cache = open_cache().await;
    store.manifest = Some(manifest(&base, cache.as_ref()).await?);
    store.base = base.clone();
    let mut notices = Vec::new();
    let entry = match store.entry(id.as_deref()) {
        Ok(e) => e,
        Err(_) => {
            notices.push(format!(
                "there is no model called \"{}\"; the default model is used instead",
                short(id.as_deref().unwrap_or_default())
            ));
            store.entry(None)?
        }
    };
    let entry = entry.clone();
    let manifest = store.manifest.clone().unwrap_or_default();
    let models = manifest
        .models
        .iter()
        .map(|e| ModelSummary {
            id: e.id.clone(),
            name: e.name.clone(),
            description: e.description.clone(),
            params: e.params,
            bytes: e.bytes,
            checkpoints: e.checkpoints.iter().map(|c| c.step).collect(),
        })
        .collect();
    let target = Target {
        model: Some(entry.id.clone()),
        ..Target::default()
    };
    let f = store.file(&target)?;
    let Fetched {
        model,
        from_cache,
        stored,
    } = fetch_weights(Some(scope), &base, cache.as_ref(), &f).await?;
    if let Some(c) = &cache {
        if !stored {
            notices.push(STORAGE_FULL.into());
        }
        let mut keep: Vec<String> = manifest
            .models
            .iter()
            .flat_map(|e| {
                std::iter::once((e.file.clone(), e.sha256.clone())).chain(
                    e.checkpoints
                        .iter()
                        .map(|c| (c.file.clone(), c.sha256.clone())),
                )
            })
            .map(|(f, h)| cache_key(&format!("{base}/{f}"), &h))
            .collect();
        keep.push(format!("{base}/{MANIFEST_FILE}"));
        keep.extend(
            manifest
                .models
                .iter()
                .filter_map(|e| e.curves.as_ref())
                .map(|c| format!("{base}/{c}")),
        );
        evict_stale(c, &keep).await;
    }
    store.remember(f.file.clone(), model.clone());
    Ok(Loaded {
        info: info(&entry, &model, from_cache),
        models,
        notices,
    })
}

fn info(entry: &ModelEntry, model: &Model, from_cache: bool) -> ModelInfo {
    ModelInfo {
        id: entry.id.clone(),
        name: entry.name.clone(),
        params: model.num_params() as u64,
        block_size: model.config.block_size,
        from_cache,
    }
}

/// Per-character surprisal (bits) of `text`, and how many leading characters did not fit.
fn surprisal(model: &Model, text: &str) -> (Vec<f32>, usize) {
    let ids = model.tokenizer.encode(text).ids;
    let room = model.config.block_size - 1;
    let skipped = ids.len().saturating_sub(room);
    if ids.len() == skipped {
        return (Vec::new(), skipped);
    }
    let row: Vec<u32> = std::iter::once(BOS)
        .chain(ids[skipped..].iter().copied())
        .collect();
    let nats = position_losses(&model.net, &[row], &model.device).remove(0);
    let bits = nats
        .into_iter()
        .map(|x| x / std::f32::consts::LN_2)
        .collect();
    (bits, skipped)
}

/// Messages that arrived during a job, handled after it in order.
type Pending = std::collections::VecDeque<ToWorker>;

/// Lets the worker's event loop run so messages can arrive: `Some(true)` when Stop came (the
/// job should end), `Some(false)` to go on, `None` when the page went away. Other messages
/// are queued.
async fn poll(scope: &mut Scope, pending: &mut Pending) -> Option<bool> {
    futures::select! {
        m = scope.next() => match m {
            None => None,
            Some(ToWorker::Stop) => Some(true),
            Some(other) => {
                pending.push_back(other);
                Some(false)
            }
        },
        _ = sleep(Duration::ZERO).fuse() => Some(false),
    }
}

/// Runs the model in the worker, one request at a time; requests that arrive during a long
/// job wait their turn, except Stop, which ends the job.
#[reactor]
pub async fn ModelWorker(mut scope: Scope) {
    let mut store = Store::default();
    let mut pending = Pending::new();
    loop {
        let msg = match pending.pop_front() {
            Some(m) => m,
            None => match scope.next().await {
                Some(m) => m,
                None => return,
            },
        };
        let replies = match msg {
            ToWorker::Load {
                models_url,
                model: id,
            } => {
                let name = id.clone().unwrap_or_default();
                if scope
                    .send(FromWorker::Loading { model: name })
                    .await
                    .is_err()
                {
                    return;
                }
                match load(&mut scope, &mut store, &models_url, id).await {
                    Ok(loaded) => {
                        let mut r = vec![FromWorker::Models(loaded.models)];
                        r.extend(
                            loaded
                                .notices
                                .into_iter()
                                .map(|message| FromWorker::Notice { message }),
                        );
                        r.push(FromWorker::Ready(loaded.info));
                        r
                    }
                    Err(message) => vec![FromWorker::LoadFailed { message }],
                }
            }
            ToWorker::Generate {
                run,
                prompt,
                sampling,
                expected,
                target,
            } => match store.model(&target).await {
                Err(message) => vec![FromWorker::Failed { run, message }],
                Ok(m) => match Generator::new(&m, &prompt, sampling, None) {
                    Err(e) => vec![FromWorker::Failed {
                        run,
                        message: e.to_string(),
                    }],
                    Ok(generator) => match stream(&mut scope, &mut pending, run, generator).await {
                        Some(done) => {
                            vec![done, analyse(&m, run, &prompt, expected.as_deref())]
                        }
                        None => return,
                    },
                },
            },
            ToWorker::Explain {
                run,
                target,
                prompt,
                seed,
            } => match store.model(&target).await {
                Err(e) => vec![FromWorker::JobDone {
                    run,
                    error: Some(e),
                }],
                Ok(m) => vec![FromWorker::Explained {
                    run,
                    explanation: Box::new(explain(&m, &prompt, store.probe(&m, &target, seed))),
                }],
            },
            ToWorker::Sweep {
                run,
                target,
                template,
                source,
                ks,
            } => {
                let error = match store.model(&target).await {
                    Err(e) => Some(e),
                    Ok(m) => {
                        for k in ks {
                            match poll(&mut scope, &mut pending).await {
                                None => return,
                                Some(true) => break,
                                Some(false) => {}
                            }
                            let point = sweep_point(&m, &template, &source, k);
                            if scope.send(FromWorker::Swept { run, point }).await.is_err() {
                                return;
                            }
                        }
                        None
                    }
                };
                vec![FromWorker::JobDone { run, error }]
            }
            ToWorker::Compare { run, variants } => {
                for (index, v) in variants.into_iter().enumerate() {
                    match poll(&mut scope, &mut pending).await {
                        None => return,
                        Some(true) => break,
                        Some(false) => {}
                    }
                    let result = match store.model(&v.target).await {
                        Ok(m) => compare_one(&m, &v),
                        Err(e) => Compared {
                            text: String::new(),
                            exact_match: None,
                            logprob: None,
                            error: Some(e),
                        },
                    };
                    let msg = FromWorker::ComparedOne { run, index, result };
                    if scope.send(msg).await.is_err() {
                        return;
                    }
                }
                vec![FromWorker::JobDone { run, error: None }]
            }
            ToWorker::Curves { model } => match curves(&store, &model).await {
                Ok(points) => vec![FromWorker::Curves { model, points }],
                Err(message) => vec![FromWorker::Notice { message }],
            },
            ToWorker::Stop => continue,
        };
        for reply in replies {
            if scope.send(reply).await.is_err() {
                return;
            }
        }
    }
}

/// One point of an ICL curve, by the model crate's own sweep functions (so the page and the
/// native `eval` agree).
fn sweep_point(m: &Model, template: &Template, source: &SweepSource, k: usize) -> SweepPoint {
    let points = match source {
        SweepSource::Task {
            task,
            seed,
            queries,
            labels,
        } => match Task::from_name(task) {
            Some(t) => sweep_task(m, t, template, &[k], *queries, *seed, *labels),
            None => Vec::new(),
        },
        SweepSource::Examples(examples) => sweep_examples(m, template, examples, &[k]),
    };
    points.into_iter().next().unwrap_or(SweepPoint {
        k,
        n: 0,
        exact_match: 0.0,
        mean_logprob: 0.0,
    })
}

/// One variant of a comparison: its completion and how it scores.
fn compare_one(m: &Model, v: &Variant) -> Compared {
    match complete(m, &v.prompt, v.sampling.clone(), None) {
        Err(e) => Compared {
            text: String::new(),
            exact_match: None,
            logprob: None,
            error: Some(e.to_string()),
        },
        Ok(c) => {
            let expected = v.expected.as_deref().filter(|e| !e.is_empty());
            Compared {
                exact_match: expected.map(|e| c.text == e),
                logprob: expected
                    .and_then(|e| score(m, &v.prompt, e).ok())
                    .map(|s| s.logprob),
                text: c.text,
                error: None,
            }
        }
    }
}

/// The part of an explanation that does not depend on the prompt: head scores and per-token
/// losses on seeded random repeated strings.
#[derive(Clone)]
struct Probe {
    random: HeadScores,
    repeat: String,
    repeat_losses: Vec<f32>,
}

fn probe(m: &Model, seed: u64) -> Probe {
    let len = REPEAT_LEN.min((m.config.block_size - 1) / 2);
    let repeat = repeated_string(seed, len);
    Probe {
        random: head_scores(&m.net, &m.device, seed, HEAD_SCORE_STRINGS, REPEAT_LEN),
        repeat: m.tokenizer.decode(&repeat[1..]),
        repeat_losses: position_losses(&m.net, std::slice::from_ref(&repeat), &m.device).remove(0),
    }
}

/// Attention maps of `prompt` and the head scores on it, in one forward pass, with `probe`.
fn explain(m: &Model, prompt: &str, probe: Probe) -> Explanation {
    let ids = m.tokenizer.encode(prompt).ids;
    let room = m.config.block_size - 1;
    let skipped = ids.len().saturating_sub(room);
    let row: Vec<u32> = std::iter::once(BOS)
        .chain(ids[skipped..].iter().copied())
        .collect();
    // The lean path gives the same maps as the burn forward (tested) in a fraction of the time.
    let net = LeanNet::new(&m.config, &m.net);
    let out = net.forward(&mut net.cache(), &row, false, Some(Keep::All));
    let attention = out.attention.concat();
    let chars = row
        .iter()
        .map(|&id| {
            if id == BOS {
                "<bos>".to_string()
            } else {
                m.tokenizer.char_of(id).to_string()
            }
        })
        .collect();
    Explanation {
        chars,
        skipped,
        layers: m.config.n_layers,
        heads: m.config.n_heads,
        prompt: prompt_head_scores_from(&attention, m.config.n_heads, &row),
        attention,
        random: probe.random,
        repeat: probe.repeat,
        repeat_losses: probe.repeat_losses,
    }
}

/// Length of the random strings the head scores repeat, and how many are drawn: the values
/// training records in the curves, so a checkpoint's scores here equal its curves' numbers
/// when the seed is the curves' seed.
pub const REPEAT_LEN: usize = 48;
pub const HEAD_SCORE_STRINGS: usize = 8;

/// A model's training curves, from the network or, offline, the cache.
async fn curves(store: &Store, id: &str) -> Result<Vec<CurvePoint>, String> {
    let entry = store.entry(Some(id))?;
    let file = entry
        .curves
        .as_ref()
        .ok_or_else(|| format!("{} has no training curves", entry.name))?;
    let url = format!("{}/{file}", store.base);
    let text = text_network_first(&url, open_cache().await.as_ref()).await?;
    let c: Curves =
        serde_json::from_str(&text).map_err(|e| format!("the training curves are broken: {e}"))?;
    Ok(c.points)
}

/// The prompt's surprisal and the expected completion's log-probability.
fn analyse(model: &Model, run: u64, prompt: &str, expected: Option<&str>) -> FromWorker {
    let (bits, skipped) = surprisal(model, prompt);
    let expected_logprob = expected
        .filter(|e| !e.is_empty())
        .and_then(|e| score(model, prompt, e).ok())
        .map(|s| s.logprob);
    FromWorker::Analysis {
        run,
        bits,
        skipped,
        expected_logprob,
    }
}

/// Streams tokens until the generator ends or Stop arrives; `None` when the page went away.
async fn stream(
    scope: &mut Scope,
    pending: &mut Pending,
    run: u64,
    mut generator: Generator<'_>,
) -> Option<FromWorker> {
    let (unknown_chars, dropped_tokens) = (generator.unknown_chars(), generator.dropped_tokens());
    scope
        .send(FromWorker::Started {
            run,
            unknown_chars,
            dropped_tokens,
        })
        .await
        .ok()?;
    let mut stopped = false;
    let mut batch = Vec::new();
    // The first token goes out at once.
    let mut flushed = 0.0;
    for token in generator.by_ref() {
        batch.push(token);
        // At most ~30 messages a second reach the page, however fast the model is.
        if js_sys::Date::now() - flushed >= FLUSH_MS {
            let tokens = std::mem::take(&mut batch);
            scope.send(FromWorker::Tokens { run, tokens }).await.ok()?;
            flushed = js_sys::Date::now();
        }
        // Yield to the worker's event loop so a Stop message can arrive between tokens.
        if poll(scope, pending).await? {
            stopped = true;
            break;
        }
    }
    if !batch.is_empty() {
        scope
            .send(FromWorker::Tokens { run, tokens: batch })
            .await
            .ok()?;
    }
    let c = generator.into_completion();
    let reason = match (&c.stop, stopped) {
        (_, true) => "stopped".to_string(),
        (StopReason::StopSequence(s), _) => format!("stop sequence {s:?}"),
        (StopReason::MaxTokens, _) => "max tokens".to_string(),
    };
    Some(FromWorker::Done {
        run,
        text: c.text,
        reason,
    })
}
