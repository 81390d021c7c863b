//! How the worker gets files: HTTP with download progress, and the Cache API store that keeps
//! verified weight files (keyed by URL and SHA-256) and small text files for offline visits.

use icl_model::net::weights::WeightsError;
use icl_model::zoo::manifest::{MANIFEST_FILE, Manifest};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, ReadableStreamDefaultReader, Request, Response, WorkerGlobalScope};

use super::Scope;
use crate::protocol::{Damage, FromWorker, WorkerError};

/// Name of the Cache API store for model files (entries are keyed by URL and SHA-256).
const CACHE_NAME: &str = "icl-playground-models";

/// A weight file of the manifest: the final weights or a checkpoint.
pub(super) struct FileRef {
    /// The name of its model, as the visitor knows it.
    pub model: String,
    /// The checkpoint's step (`None`: the final weights).
    pub step: Option<u64>,
    /// Its path below the models folder.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The browser's words about `e`.
fn js_text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

fn js_error(e: JsValue) -> WorkerError {
    WorkerError::Browser(js_text(e))
}

fn scope() -> Result<WorkerGlobalScope, WorkerError> {
    js_sys::global()
        .dyn_into()
        .map_err(|_| WorkerError::NotInWorker)
}

async fn fetch(url: &str) -> Result<Response, WorkerError> {
    let resp = JsFuture::from(scope()?.fetch_with_str(url))
        .await
        .map_err(|e| WorkerError::Unreachable {
            url: url.to_string(),
            why: js_text(e),
        })?;
    let resp: Response = resp.dyn_into().map_err(|_| WorkerError::NoResponse)?;
    if !resp.ok() {
        return Err(WorkerError::Http {
            url: url.to_string(),
            status: resp.status(),
            text: resp.status_text(),
        });
    }
    Ok(resp)
}

async fn response_text(resp: Response) -> Result<String, WorkerError> {
    let text = JsFuture::from(resp.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string().ok_or(WorkerError::NotText)
}

async fn response_bytes(resp: Response) -> Result<Vec<u8>, WorkerError> {
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
) -> Result<Vec<u8>, WorkerError> {
    let Some(body) = resp.body() else {
        return response_bytes(resp).await;
    };
    let reader: ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| WorkerError::Unreadable)?;
    let mut bytes = Vec::with_capacity(total as usize);
    let mut reported = 0u64;
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| WorkerError::BrokeOff { why: js_text(e) })?;
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
            return Err(WorkerError::TooMuchData);
        }
    }
    Ok(bytes)
}

/// The browser's model cache; `None` where the Cache API is unavailable (e.g. http pages).
pub(super) async fn open_cache() -> Option<Cache> {
    let caches = scope().ok()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// Cache key of a file: its URL with its hash, so a new file never meets a stale entry.
pub(super) fn cache_key(url: &str, sha256: &str) -> String {
    format!("{url}?sha256={sha256}")
}

/// Removes cached files that the manifest no longer lists.
pub(super) async fn evict_stale(cache: &Cache, keep: &[String]) {
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
pub(super) async fn manifest(base: &str, cache: Option<&Cache>) -> Result<Manifest, WorkerError> {
    text_network_first(&format!("{base}/{MANIFEST_FILE}"), cache, |text| {
        Manifest::parse(text).map_err(|e| WorkerError::BrokenList { why: e.to_string() })
    })
    .await
}

/// A small text file from the network, read by `parse`, and kept in the cache for offline
/// visits only once it parses: a captive portal's page served with 200 never replaces a good
/// copy. The cached copy when the network fails or sends something that does not parse.
pub(super) async fn text_network_first<T>(
    url: &str,
    cache: Option<&Cache>,
    parse: impl Fn(&str) -> Result<T, WorkerError>,
) -> Result<T, WorkerError> {
    let error = match fetch(url).await {
        Ok(resp) => {
            let text = response_text(resp).await?;
            match parse(&text) {
                Ok(value) => {
                    if let Some(c) = cache
                        && let Ok(r) = Response::new_with_opt_str(Some(&text))
                    {
                        // A failed write (quota) only costs the offline copy.
                        let _ = JsFuture::from(c.put_with_str(url, &r)).await;
                    }
                    return Ok(value);
                }
                Err(e) => e,
            }
        }
        Err(e) => e,
    };
    match cached(cache, url).await {
        Some(resp) => parse(&response_text(resp).await?).map_err(|_| error),
        None => Err(error),
    }
}

async fn cached(cache: Option<&Cache>, key: &str) -> Option<Response> {
    let found = JsFuture::from(cache?.match_with_str(key)).await.ok()?;
    found.dyn_into().ok()
}

/// Fetches one weight file (from the cache when its hash is there), checks its length and
/// SHA-256 and reads it with `read` (given the bytes, the length and the hash the manifest
/// promises), and caches it; reports download progress when given a scope. Nothing
/// unverified is cached.
pub(super) async fn fetch_weights<M>(
    progress: Option<&mut Scope>,
    base: &str,
    cache: Option<&Cache>,
    f: &FileRef,
    read: impl Fn(&[u8], u64, &str) -> Result<M, WeightsError>,
) -> Result<Fetched<M>, WorkerError> {
    let url = format!("{base}/{}", f.file);
    let key = cache_key(&url, &f.sha256);
    if let Some(resp) = cached(cache, &key).await {
        let bytes = response_bytes(resp).await?;
        match read(&bytes, f.bytes, &f.sha256) {
            Ok(model) => {
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
    let model = read(&bytes, f.bytes, &f.sha256).map_err(|e| WorkerError::DamagedWeights {
        model: f.model.clone(),
        step: f.step,
        damage: match e {
            WeightsError::Length { expected, actual } => Damage::Length { expected, actual },
            other => Damage::Other(other.to_string()),
        },
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

/// A verified weight file, read.
pub(super) struct Fetched<M> {
    pub model: M,
    pub from_cache: bool,
    /// Whether it is in the cache now.
    pub stored: bool,
}
