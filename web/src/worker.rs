//! The model worker: loads weights listed in the manifest, verifies them, and streams
//! completions token by token, checking for Stop between tokens.

use std::time::Duration;

use futures::{FutureExt, SinkExt, StreamExt};
use icl_model::backend::Backend;
use icl_model::manifest::{MANIFEST_FILE, Manifest, ModelEntry};
use icl_model::metrics::position_losses;
use icl_model::model::Model;
use icl_model::sampling::{Generator, StopReason, score};
use icl_model::tokenizer::BOS;
use icl_model::weights::load_verified;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, ReadableStreamDefaultReader, Request, Response, WorkerGlobalScope};
use yew::platform::time::sleep;
use yew_agent::prelude::*;

use crate::protocol::{FromWorker, ModelInfo, ModelSummary, ToWorker};

type Scope = ReactorScope<ToWorker, FromWorker>;

/// How often streamed tokens are sent to the page (ms).
const FLUSH_MS: f64 = 33.0;

/// Name of the Cache API store for model files (entries are keyed by URL and SHA-256).
const CACHE_NAME: &str = "icl-playground-models";

/// The backend the page runs on (ndarray measured fastest in wasm; see the benchmarks).
pub const WEB_BACKEND: Backend = Backend::Ndarray;

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
    let url = format!("{base}/{MANIFEST_FILE}");
    let text = match fetch(&url).await {
        Ok(resp) => {
            let text = response_text(resp).await?;
            if let Some(c) = cache
                && let Ok(r) = Response::new_with_opt_str(Some(&text))
            {
                let _ = JsFuture::from(c.put_with_str(&url, &r)).await;
            }
            text
        }
        Err(e) => match cached(cache, &url).await {
            Some(resp) => response_text(resp).await?,
            None => return Err(e),
        },
    };
    Manifest::parse(&text).map_err(|e| format!("the model list is broken: {e}"))
}

async fn cached(cache: Option<&Cache>, key: &str) -> Option<Response> {
    let found = JsFuture::from(cache?.match_with_str(key)).await.ok()?;
    found.dyn_into().ok()
}

/// What a load produced besides the model.
struct Loaded {
    model: Model,
    info: ModelInfo,
    models: Vec<ModelSummary>,
    /// Said to the visitor (e.g. the cache is full, or the asked-for model does not exist).
    notices: Vec<String>,
}

/// Fetches the manifest, then the model's file (from the cache when its hash is there),
/// checks its length and SHA-256, loads it, and caches it. Nothing unverified is cached.
async fn load(scope: &mut Scope, models_url: &str, id: Option<String>) -> Result<Loaded, String> {
    let base = models_url.trim_end_matches('/');
    let cache = open_cache().await;
    let manifest = manifest(base, cache.as_ref()).await?;
    let mut notices = Vec::new();
    let entry = match id.as_deref().map(|id| (id, manifest.get(id))) {
        Some((_, Some(e))) => e,
        Some((id, None)) => {
            notices.push(format!(
                "there is no model called \"{}\"; the default model is used instead",
                id.chars().take(40).collect::<String>()
            ));
            manifest.models.first().ok_or("the model list is empty")?
        }
        None => manifest.models.first().ok_or("the model list is empty")?,
    };
    let models = manifest
        .models
        .iter()
        .map(|e| ModelSummary {
            id: e.id.clone(),
            name: e.name.clone(),
            description: e.description.clone(),
            params: e.params,
            bytes: e.bytes,
        })
        .collect();
    let url = format!("{base}/{}", entry.file);
    let key = cache_key(&url, &entry.sha256);
    let device = WEB_BACKEND.device();
    if let Some(resp) = cached(cache.as_ref(), &key).await {
        let bytes = response_bytes(resp).await?;
        match load_verified(&bytes, entry.bytes, &entry.sha256, &device) {
            Ok((model, _)) => {
                let (loaded, total) = (entry.bytes, entry.bytes);
                let _ = scope.send(FromWorker::Progress { loaded, total }).await;
                return Ok(Loaded {
                    info: info(entry, &model, true),
                    model,
                    models,
                    notices,
                });
            }
            Err(_) => {
                // A damaged cached copy: drop it and download afresh.
                if let Some(c) = &cache {
                    let _ = JsFuture::from(c.delete_with_str(&key)).await;
                }
            }
        }
    }
    let resp = fetch(&url).await?;
    let bytes = read_with_progress(resp, entry.bytes, scope).await?;
    let (model, _) = load_verified(&bytes, entry.bytes, &entry.sha256, &device).map_err(|e| {
        format!(
            "{} could not be used: {e}. Retry; if it persists the server has a damaged copy.",
            entry.name
        )
    })?;
    if let Some(c) = &cache {
        let body = Uint8Array::from(bytes.as_slice());
        let stored = match Response::new_with_opt_buffer_source(Some(&body)) {
            Ok(r) => JsFuture::from(c.put_with_str(&key, &r)).await.is_ok(),
            Err(_) => false,
        };
        if !stored {
            notices.push(
                "this browser's storage is full, so the model is kept in memory for this visit only"
                    .into(),
            );
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
        evict_stale(c, &keep).await;
    }
    Ok(Loaded {
        info: info(entry, &model, false),
        model,
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

/// Runs the model in the worker. One request at a time: a request that arrives while a
/// completion streams is answered with an error, except Stop, which ends it.
#[reactor]
pub async fn ModelWorker(mut scope: Scope) {
    let mut model: Option<Model> = None;
    while let Some(msg) = scope.next().await {
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
                match load(&mut scope, &models_url, id).await {
                    Ok(loaded) => {
                        model = Some(loaded.model);
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
            } => match &model {
                None => vec![FromWorker::Failed {
                    run,
                    message: "no model is loaded yet".into(),
                }],
                Some(m) => match Generator::new(m, &prompt, sampling, None) {
                    Err(e) => vec![FromWorker::Failed {
                        run,
                        message: e.to_string(),
                    }],
                    Ok(generator) => match stream(&mut scope, run, generator).await {
                        Some(done) => vec![done, analyse(m, run, &prompt, expected.as_deref())],
                        None => return,
                    },
                },
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
async fn stream(scope: &mut Scope, run: u64, mut generator: Generator<'_>) -> Option<FromWorker> {
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
        futures::select! {
            m = scope.next() => match m {
                None => return None,
                Some(ToWorker::Stop) => { stopped = true; break; }
                Some(_) => {
                    let busy = FromWorker::Failed { run, message: "busy: stop the running completion first".into() };
                    scope.send(busy).await.ok()?;
                }
            },
            _ = sleep(Duration::ZERO).fuse() => {}
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
