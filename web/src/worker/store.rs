//! The worker's models: where they are, the manifest that lists them, the weights loaded so
//! far (most recently used kept), and the random-string scores of the last explanation.

use icl_model::eval::analysis::{RandomStrings, random_strings};
use icl_model::eval::ladder_report::{LADDER_FILE, LadderReport};
use icl_model::net::model::LeanModel;
use icl_model::net::transformer::HeadMask;
use icl_model::net::weights::{WeightsError, load_verified_lean};
use icl_model::train::curves::{CurvePoint, Curves};
use icl_model::zoo::manifest::{MANIFEST_FILE, Manifest, ModelEntry};

use super::Scope;
use super::transport::{
    Fetched, FileRef, cache_key, evict_stale, fetch_weights, manifest, open_cache,
    text_network_first,
};
use crate::protocol::{ModelInfo, ModelRef, ModelSummary, Notice, Target, WorkerError};

/// Models kept loaded in this worker.
const KEEP_LOADED: usize = 6;

/// What the worker knows: where the models are, their list, and the weights loaded so far.
#[derive(Default)]
pub(super) struct Store {
    base: String,
    manifest: Option<Manifest>,
    /// By file, most recently used last.
    loaded: Vec<(String, LeanModel)>,
    /// The last random-string scores, with the target and seed they were measured for.
    random: Option<(Target, u64, RandomStrings)>,
}

/// What a load produced besides the model.
pub(super) struct Loaded {
    pub info: ModelInfo,
    pub models: Vec<ModelSummary>,
    /// Said to the visitor (e.g. the cache is full).
    pub notices: Vec<Notice>,
    /// The id asked for, when it is not in the manifest and the default was loaded instead.
    pub unknown: Option<String>,
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Reads verified weights into the lean network (no tensor library in this worker).
fn read_lean(bytes: &[u8], len: u64, sha256: &str) -> Result<LeanModel, WeightsError> {
    load_verified_lean(bytes, len, sha256).map(|(m, _)| m)
}

/// `model` with the heads `ablated` (as `(layer, head)`) switched off.
pub(super) fn ablated(model: LeanModel, ablated: &[(usize, usize)]) -> LeanModel {
    if ablated.is_empty() {
        return model;
    }
    let c = &model.config;
    model.with_heads_ablated(&HeadMask::from_ablated(c.n_layers, c.n_heads, ablated))
}

impl Store {
    /// The manifest entry of `id` (`None`: the default model).
    fn entry(&self, id: Option<&str>) -> Result<&ModelEntry, WorkerError> {
        let m = self.manifest.as_ref().ok_or(WorkerError::ListNotLoaded)?;
        match id {
            None => m.models.first().ok_or(WorkerError::ListEmpty),
            Some(id) => m
                .get(id)
                .ok_or_else(|| WorkerError::NoSuchModel { id: short(id) }),
        }
    }

    /// The manifest id of the model `model` names (the default model's for `Default`): what
    /// a tune's weight file says it was tuned from.
    #[cfg(feature = "train")]
    pub fn id_of(&self, model: &crate::protocol::ModelRef) -> Option<String> {
        self.entry(model.id()).ok().map(|e| e.id.clone())
    }

    fn file(&self, target: &Target) -> Result<FileRef, WorkerError> {
        let e = self.entry(target.model.id())?;
        Ok(match target.checkpoint {
            None => FileRef {
                model: e.name.clone(),
                step: None,
                file: e.file.clone(),
                bytes: e.bytes,
                sha256: e.sha256.clone(),
            },
            Some(step) => {
                let c = e
                    .checkpoints
                    .iter()
                    .find(|c| c.step == step)
                    .ok_or_else(|| WorkerError::NoCheckpoint {
                        model: e.name.clone(),
                        step,
                    })?;
                FileRef {
                    model: e.name.clone(),
                    step: Some(step),
                    file: c.file.clone(),
                    bytes: c.bytes,
                    sha256: c.sha256.clone(),
                }
            }
        })
    }

    /// The random-string scores of `target` at `seed`, computed once and kept until either
    /// changes (a run changes the prompt, not these).
    pub fn random_strings(&mut self, m: &LeanModel, target: &Target, seed: u64) -> RandomStrings {
        match &self.random {
            Some((t, s, r)) if t == target && *s == seed => r.clone(),
            _ => {
                let r = random_strings(m, seed);
                self.random = Some((target.clone(), seed, r.clone()));
                r
            }
        }
    }

    fn remember(&mut self, file: String, model: LeanModel) {
        self.loaded.retain(|(f, _)| *f != file);
        self.loaded.push((file, model));
        if self.loaded.len() > KEEP_LOADED {
            self.loaded.remove(0);
        }
    }

    /// The weights `target` names, with its heads ablated: from memory, the cache or the
    /// network (verified either way).
    pub async fn model(&mut self, target: &Target) -> Result<LeanModel, WorkerError> {
        let f = self.file(target)?;
        let model = match self.loaded.iter().position(|(file, _)| *file == f.file) {
            Some(i) => {
                let (file, m) = self.loaded.remove(i);
                self.loaded.push((file, m.clone()));
                m
            }
            None => {
                let cache = open_cache().await;
                let m = fetch_weights(None, &self.base, cache.as_ref(), &f, read_lean)
                    .await?
                    .model;
                self.remember(f.file.clone(), m.clone());
                m
            }
        };
        Ok(ablated(model, &target.ablated))
    }

    /// Fetches the manifest, then the model's file, as [`fetch_weights`] does, and evicts
    /// cached files the manifest no longer lists.
    pub async fn load(
        &mut self,
        scope: &mut Scope,
        models_url: &str,
        id: Option<String>,
    ) -> Result<Loaded, WorkerError> {
        let base = models_url.trim_end_matches('/').to_string();
        let cache = open_cache().await;
        self.manifest = Some(manifest(&base, cache.as_ref()).await?);
        self.base = base.clone();
        let mut notices = Vec::new();
        let (entry, unknown) = match self.entry(id.as_deref()) {
            Ok(e) => (e, None),
            Err(_) => (self.entry(None)?, id),
        };
        let entry = entry.clone();
        let manifest = self.manifest.clone().unwrap_or_default();
        let models = manifest.models.iter().map(summary).collect();
        let target = Target {
            model: ModelRef::Shipped(entry.id.clone()),
            ..Target::default()
        };
        let f = self.file(&target)?;
        let Fetched {
            model,
            from_cache,
            stored,
        } = fetch_weights(Some(scope), &base, cache.as_ref(), &f, read_lean).await?;
        if let Some(c) = &cache {
            if !stored {
                notices.push(Notice::StorageFull);
            }
            evict_stale(c, &cached_files(&base, &manifest)).await;
        }
        self.remember(f.file.clone(), model.clone());
        Ok(Loaded {
            info: info(&entry, &model, from_cache),
            models,
            notices,
            unknown,
        })
    }

    /// A model's training curves, from the network or, offline, the cache.
    pub async fn curves(&self, id: &str) -> Result<Vec<CurvePoint>, WorkerError> {
        let entry = self.entry(Some(id))?;
        let file = entry.curves.as_ref().ok_or_else(|| WorkerError::NoCurves {
            model: entry.name.clone(),
        })?;
        let url = format!("{}/{file}", self.base);
        let c: Curves = text_network_first(&url, open_cache().await.as_ref(), |text| {
            serde_json::from_str(text).map_err(|e| WorkerError::BrokenCurves { why: e.to_string() })
        })
        .await?;
        Ok(c.points)
    }

    /// The burn network of the weights `target` names (no ablation), for a tune: from the
    /// cache, where the page's first load put them, or the network.
    #[cfg(feature = "train")]
    pub async fn network(
        &self,
        target: &Target,
    ) -> Result<icl_model::net::model::Model, WorkerError> {
        let f = self.file(target)?;
        let cache = open_cache().await;
        let read = |bytes: &[u8], len: u64, sha: &str| {
            let device = super::WEB_BACKEND.device();
            icl_model::net::weights::load_verified(bytes, len, sha, &device).map(|(m, _)| m)
        };
        Ok(fetch_weights(None, &self.base, cache.as_ref(), &f, read)
            .await?
            .model)
    }

    /// The ladder's measured table.
    pub async fn ladder(&self) -> Result<LadderReport, WorkerError> {
        let url = format!("{}/{LADDER_FILE}", self.base);
        text_network_first(&url, open_cache().await.as_ref(), |text| {
            serde_json::from_str(text).map_err(|e| WorkerError::BrokenLadder { why: e.to_string() })
        })
        .await
    }
}

/// The cache keys of every file `manifest` lists (weights, checkpoints, curves, itself).
fn cached_files(base: &str, manifest: &Manifest) -> Vec<String> {
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
    keep.push(format!("{base}/{LADDER_FILE}"));
    keep.extend(
        manifest
            .models
            .iter()
            .filter_map(|e| e.curves.as_ref())
            .map(|c| format!("{base}/{c}")),
    );
    keep
}

fn summary(e: &ModelEntry) -> ModelSummary {
    ModelSummary {
        id: e.id.clone(),
        name: e.name.clone(),
        description: e.description.clone(),
        params: e.params,
        bytes: e.bytes,
        checkpoints: e.checkpoints.iter().map(|c| c.step).collect(),
        rung: icl_model::train::ladder::rung_of(&e.id),
    }
}

fn info(entry: &ModelEntry, model: &LeanModel, from_cache: bool) -> ModelInfo {
    ModelInfo {
        id: entry.id.clone(),
        name: entry.name.clone(),
        params: model.num_params() as u64,
        block_size: model.config.block_size,
        from_cache,
    }
}
