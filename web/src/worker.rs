//! The model worker: loads weights listed in the manifest, verifies them, and streams
//! completions token by token, checking for Stop between tokens.

use std::time::Duration;

use futures::{FutureExt, SinkExt, StreamExt};
use icl_model::backend::Backend;
use icl_model::manifest::{MANIFEST_FILE, Manifest};
use icl_model::model::Model;
use icl_model::sampling::{Generator, StopReason};
use icl_model::weights::load_verified;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Response, WorkerGlobalScope};
use yew::platform::time::sleep;
use yew_agent::prelude::*;

use crate::protocol::{FromWorker, ModelInfo, ToWorker};

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

async fn fetch(url: &str) -> Result<Response, String> {
    let scope: WorkerGlobalScope = js_sys::global()
        .dyn_into()
        .map_err(|_| "the model must run in a web worker".to_string())?;
    let resp = JsFuture::from(scope.fetch_with_str(url))
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

async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = fetch(url).await?;
    let promise = resp.text().map_err(js_error)?;
    let text = JsFuture::from(promise).await.map_err(js_error)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = fetch(url).await?;
    let promise = resp.array_buffer().map_err(js_error)?;
    let buf = JsFuture::from(promise).await.map_err(js_error)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Fetches the manifest, then the model's file, checks its length and SHA-256, and loads it.
async fn load(models_url: &str, id: Option<String>) -> Result<(Model, ModelInfo), String> {
    let base = models_url.trim_end_matches('/');
    let text = fetch_text(&format!("{base}/{MANIFEST_FILE}")).await?;
    let manifest = Manifest::parse(&text).map_err(|e| e.to_string())?;
    let entry = match &id {
        Some(id) => manifest
            .get(id)
            .ok_or_else(|| format!("no model called {id:?} in the model list"))?,
        None => manifest.models.first().ok_or("the model list is empty")?,
    };
    let bytes = fetch_bytes(&format!("{base}/{}", entry.file)).await?;
    let (model, _) = load_verified(&bytes, entry.bytes, &entry.sha256, &WEB_BACKEND.device())
        .map_err(|e| format!("{}: {e}", entry.name))?;
    let info = ModelInfo {
        id: entry.id.clone(),
        name: entry.name.clone(),
        params: model.num_params() as u64,
        block_size: model.config.block_size,
    };
    Ok((model, info))
}

/// Runs the model in the worker. One request at a time: a request that arrives while a
/// completion streams is answered with an error, except Stop, which ends it.
#[reactor]
pub async fn ModelWorker(mut scope: ReactorScope<ToWorker, FromWorker>) {
    let mut model: Option<Model> = None;
    while let Some(msg) = scope.next().await {
        let reply = match msg {
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
                match load(&models_url, id).await {
                    Ok((m, info)) => {
                        model = Some(m);
                        FromWorker::Ready(info)
                    }
                    Err(message) => FromWorker::LoadFailed { message },
                }
            }
            ToWorker::Generate {
                run,
                prompt,
                sampling,
            } => match &model {
                None => FromWorker::Failed {
                    run,
                    message: "no model is loaded yet".into(),
                },
                Some(m) => match Generator::new(m, &prompt, sampling, None) {
                    Err(e) => FromWorker::Failed {
                        run,
                        message: e.to_string(),
                    },
                    Ok(generator) => match stream(&mut scope, run, generator).await {
                        Some(done) => done,
                        None => return,
                    },
                },
            },
            ToWorker::Stop => continue,
        };
        if scope.send(reply).await.is_err() {
            return;
        }
    }
}

/// Streams tokens until the generator ends or Stop arrives; `None` when the page went away.
async fn stream(
    scope: &mut ReactorScope<ToWorker, FromWorker>,
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
    for token in generator.by_ref() {
        scope.send(FromWorker::Token { run, token }).await.ok()?;
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
