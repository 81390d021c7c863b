//! The model worker: routes the page's requests to the model crate, one at a time, and streams
//! the answers back. Files come through [`transport`], models from the [`store`]; what is
//! computed about a model lives in `icl_model::eval::analysis`. A job that runs in steps (a
//! completion, a sweep, a comparison) checks for Stop between steps, in one place:
//! [`Worker::stopped`].
//!
//! It is built twice. The inference worker, the page's first, runs without the training code
//! ([`inference_only`]); the trainer worker, built with the `train` feature, adds live training
//! and the tune ([`training`]). The page swaps in the trainer worker when the visitor first
//! trains or tunes (`crate::hooks::supervisor`), so the first load carries no autodiff or
//! optimiser.

mod channel;
#[cfg(not(feature = "train"))]
mod inference_only;
mod store;
#[cfg(feature = "train")]
mod trainer;
#[cfg(feature = "train")]
mod training;
mod transport;
#[cfg(feature = "train")]
mod tuning;

use std::collections::VecDeque;
use std::time::Duration;

use futures::FutureExt;
use icl_model::eval::analysis::{self, expected_logprob};
use icl_model::eval::sweep::Sweeper;
use icl_model::net::backend::Backend;
use icl_model::net::model::LeanModel;
use icl_model::net::sampling::{Generator, SamplingConfig};
use icl_model::rules::template::Template;
use yew::platform::time::sleep;

use crate::protocol::{
    Ended, FromWorker, ModelRef, Notice, SweepSource, Target, ToWorker, Variant, WorkerError,
};
use channel::{Channel, Gone};
use store::Store;
#[cfg(feature = "train")]
use training::Made;

type Scope = Channel;

/// The backend the trainer worker's burn network runs on: `cargo xtask bench` measured flex
/// faster than ndarray in headless Chromium for base (decode at context 32: 886 vs 436
/// tokens/s; the k-shot sweep 1.57 vs 1.74 s; prefill with attention 43 vs 48 ms). The
/// inference worker has no burn network: it reads weight files into the lean network
/// (`icl_model::net::model::LeanModel`), which generation, scoring, the attention maps and the
/// head scores run on, so the page's first load carries no tensor library.
pub const WEB_BACKEND: Backend = Backend::Flex;

/// How often streamed tokens are sent to the page (ms).
const FLUSH_MS: f64 = 33.0;

/// The worker's state between messages.
struct Worker {
    scope: Scope,
    store: Store,
    /// Messages that arrived during a job, handled after it in order.
    pending: VecDeque<ToWorker>,
    /// The models made in this tab: the live one and the tuned one.
    #[cfg(feature = "train")]
    made: Made,
}

/// Starts the worker: listens to the page and runs its requests.
pub fn start() {
    wasm_bindgen_futures::spawn_local(run(Channel::open()));
}

/// Runs the model in the worker, one request at a time; requests that arrive during a long
/// job wait their turn, except Stop, which ends the job.
async fn run(scope: Scope) {
    let mut w = Worker {
        scope,
        store: Store::default(),
        pending: VecDeque::new(),
        #[cfg(feature = "train")]
        made: Made::default(),
    };
    while let Some(msg) = w.next().await {
        if w.handle(msg).await.is_err() {
            return;
        }
    }
}

impl Worker {
    async fn next(&mut self) -> Option<ToWorker> {
        match self.pending.pop_front() {
            Some(m) => Some(m),
            None => self.scope.next().await,
        }
    }

    async fn send(&mut self, msg: FromWorker) -> Result<(), Gone> {
        self.scope.send(msg).await
    }

    /// Lets the event loop run so messages can arrive: `true` when Stop came (the job should
    /// end). Other messages wait in `pending`.
    async fn stopped(&mut self) -> Result<bool, Gone> {
        futures::select! {
            m = self.scope.next() => match m {
                None => Err(Gone),
                Some(ToWorker::Stop) => Ok(true),
                Some(other) => {
                    self.pending.push_back(other);
                    Ok(false)
                }
            },
            _ = sleep(Duration::ZERO).fuse() => Ok(false),
        }
    }

    /// The dispatch: one handler per request.
    async fn handle(&mut self, msg: ToWorker) -> Result<(), Gone> {
        match msg {
            ToWorker::Load { models_url, model } => self.load(&models_url, model).await,
            ToWorker::Generate {
                run,
                prompt,
                sampling,
                expected,
                target,
            } => {
                self.generate(run, &target, &prompt, sampling, expected.as_deref())
                    .await
            }
            ToWorker::Explain {
                run,
                target,
                prompt,
                seed,
            } => self.explain(run, &target, &prompt, seed).await,
            ToWorker::Sweep {
                run,
                target,
                template,
                source,
                ks,
            } => self.sweep(run, &target, &template, &source, ks).await,
            ToWorker::Compare { run, variants } => self.compare(run, variants).await,
            ToWorker::Curves { model } => self.curves(model).await,
            ToWorker::Ladder => {
                let report = self.store.ladder().await;
                self.send(FromWorker::Ladder(report)).await
            }
            ToWorker::Train {
                run,
                settings,
                until,
            } => self.train(run, settings, until).await,
            ToWorker::ResetTraining => {
                self.reset_training();
                Ok(())
            }
            ToWorker::ExportLive => self.export_live().await,
            ToWorker::Tune { run, request } => self.tune(run, *request).await,
            ToWorker::ResetTune => {
                self.reset_tune();
                Ok(())
            }
            ToWorker::ExportTuned => self.export_tuned().await,
            ToWorker::Close => {
                self.scope.close();
                Err(Gone)
            }
            // Crash never gets here: the channel panics on it as it arrives.
            ToWorker::Stop | ToWorker::Crash => Ok(()),
        }
    }

    /// Loads a model (the default one for `None`), then says which it is and what went wrong.
    async fn load(&mut self, models_url: &str, model: Option<String>) -> Result<(), Gone> {
        let name = model.clone().unwrap_or_default();
        self.send(FromWorker::Loading { model: name }).await?;
        match self.store.load(&mut self.scope, models_url, model).await {
            Ok(loaded) => {
                self.send(FromWorker::Models(loaded.models)).await?;
                for notice in loaded.notices {
                    self.send(FromWorker::Notice(notice)).await?;
                }
                let used = loaded.info.id.clone();
                self.send(FromWorker::Ready(loaded.info)).await?;
                match loaded.unknown {
                    Some(requested) => {
                        self.send(FromWorker::UnknownModel { requested, used })
                            .await
                    }
                    None => Ok(()),
                }
            }
            Err(error) => self.send(FromWorker::LoadFailed(error)).await,
        }
    }

    /// Streams a completion, then the prompt's surprisal and the expected answer's log p.
    async fn generate(
        &mut self,
        run: u64,
        target: &Target,
        prompt: &str,
        sampling: SamplingConfig,
        expected: Option<&str>,
    ) -> Result<(), Gone> {
        let m = match self.model(target).await {
            Ok(m) => m,
            Err(error) => return self.send(FromWorker::Failed { run, error }).await,
        };
        match Generator::reading(&m, prompt, sampling, expected) {
            Err(e) => {
                let error = WorkerError::Sampling(e.to_string());
                self.send(FromWorker::Failed { run, error }).await
            }
            Ok((generator, read)) => {
                // The prompt's surprisal and the answer's log p come from the generation's own
                // prefill; the scorer runs only for an answer that does not fit after it.
                let skipped = generator.dropped_tokens();
                self.stream(run, generator).await?;
                let bits = read
                    .nats
                    .iter()
                    .map(|n| n / std::f32::consts::LN_2)
                    .collect();
                let expected_logprob = read
                    .continuation
                    .or_else(|| expected_logprob(&m, prompt, expected));
                self.send(FromWorker::Analysis {
                    run,
                    bits,
                    skipped,
                    expected_logprob,
                })
                .await
            }
        }
    }

    /// Attention maps and head scores of a prompt.
    async fn explain(
        &mut self,
        run: u64,
        target: &Target,
        prompt: &str,
        seed: u64,
    ) -> Result<(), Gone> {
        match self.model(target).await {
            Err(e) => {
                let error = Some(e);
                self.send(FromWorker::JobDone { run, error }).await
            }
            Ok(m) => {
                // The live model changes with every step, the tuned one with every tune: their
                // scores are not kept.
                let random = if target.model.made_here() {
                    icl_model::eval::analysis::random_strings(&m, seed)
                } else {
                    self.store.random_strings(&m, target, seed)
                };
                let explanation = Box::new(analysis::explain(&m, prompt, random));
                self.send(FromWorker::Explained { run, explanation }).await
            }
        }
    }

    /// Points of an ICL curve, one shot count at a time, the queries' shots kept between them.
    async fn sweep(
        &mut self,
        run: u64,
        target: &Target,
        template: &Template,
        source: &SweepSource,
        ks: Vec<usize>,
    ) -> Result<(), Gone> {
        let error = match self.model(target).await {
            Err(e) => Some(e),
            Ok(m) => {
                let shots = ks.iter().copied().max().unwrap_or(0);
                let mut sweeper = Sweeper::new(&m, template, source.chains(shots));
                for k in ks {
                    if self.stopped().await? {
                        break;
                    }
                    let point = sweeper.point(k);
                    self.send(FromWorker::Swept { run, point }).await?;
                }
                None
            }
        };
        self.send(FromWorker::JobDone { run, error }).await
    }

    /// The columns of a comparison, one at a time.
    async fn compare(&mut self, run: u64, variants: Vec<Variant>) -> Result<(), Gone> {
        for (index, v) in variants.into_iter().enumerate() {
            if self.stopped().await? {
                break;
            }
            let result = match self.model(&v.target).await {
                Ok(m) => {
                    let c = analysis::compare(&m, &v.prompt, v.sampling, v.expected.as_deref());
                    match c.error {
                        Some(why) => Err(WorkerError::Sampling(why)),
                        None => Ok(c),
                    }
                }
                Err(e) => Err(e),
            };
            self.send(FromWorker::ComparedOne { run, index, result })
                .await?;
        }
        self.send(FromWorker::JobDone { run, error: None }).await
    }

    /// A shipped model's training curves.
    async fn curves(&mut self, model: String) -> Result<(), Gone> {
        match self.store.curves(&model).await {
            Ok(points) => self.send(FromWorker::Curves { model, points }).await,
            Err(e) => self.send(FromWorker::Notice(Notice::Failed(e))).await,
        }
    }

    /// The weights `target` names: the live model's as they are now, the tuned model's, or
    /// a model of the manifest.
    async fn model(&mut self, target: &Target) -> Result<LeanModel, WorkerError> {
        let model = match &target.model {
            ModelRef::Live | ModelRef::Tuned => self.made_model(&target.model)?,
            ModelRef::Default | ModelRef::Shipped(_) => return self.store.model(target).await,
        };
        Ok(store::ablated(model, &target.ablated))
    }

    /// Streams tokens until the generator ends or Stop arrives, then says how it ended.
    async fn stream(&mut self, run: u64, mut generator: Generator<'_>) -> Result<(), Gone> {
        self.send(FromWorker::Started {
            run,
            unknown_chars: generator.unknown_chars(),
            dropped_tokens: generator.dropped_tokens(),
        })
        .await?;
        let mut stopped = false;
        let mut batch = Vec::new();
        // The first token goes out at once.
        let mut flushed = 0.0;
        for token in generator.by_ref() {
            batch.push(token);
            // At most ~30 messages a second reach the page, however fast the model is.
            if js_sys::Date::now() - flushed >= FLUSH_MS {
                let tokens = std::mem::take(&mut batch);
                self.send(FromWorker::Tokens { run, tokens }).await?;
                flushed = js_sys::Date::now();
            }
            if self.stopped().await? {
                stopped = true;
                break;
            }
        }
        if !batch.is_empty() {
            self.send(FromWorker::Tokens { run, tokens: batch }).await?;
        }
        let c = generator.into_completion();
        let reason = if stopped {
            Ended::Stopped
        } else {
            Ended::Finished(c.stop)
        };
        self.send(FromWorker::Done {
            run,
            text: c.text,
            reason,
        })
        .await
    }
}
