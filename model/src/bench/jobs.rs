//! Benchmarks shared by the native runner (criterion, `model/benches/native.rs`) and the
//! browser runner (a wasm-bindgen test run by `cargo xtask bench`): both run the same
//! [`jobs`], with the clock passed in (`Instant` natively, `performance.now()` in the browser).
//!
//! Every figure is a plain [`Figure`]; `cargo xtask bench` gathers them from both places into
//! `target/bench/report.json` and a markdown table.
//!
//! Long (and without tests: the benchmarks are run, not asserted) because it is the one job
//! list both runners share, a builder for each kind of figure; split, the list would scatter.

use burn::tensor::{Device, Distribution, Tensor};
use serde::{Deserialize, Serialize};

use crate::bench::clock::Clock;
use crate::bench::reference::{Burn, score_burn};
use crate::eval::metrics::{HEAD_PROBE, head_scores, lean_head_scores};
use crate::eval::score::{Labels, score_answers, score_answers_with};
use crate::eval::sweep::{CHAIN_SHOTS, SWEEP_KS, Sweeper, at_shots, task_chains};
use crate::net::backend::Backend;
use crate::net::config::ModelConfig;
use crate::net::decoding::{Decoder, Forward};
use crate::net::lean::Keep;
use crate::net::model::Model;
use crate::net::sampling::{Scorer, score_lean};
use crate::net::tensors::{batch_tokens, to_vec};
use crate::net::tokenizer::Tokenizer;
use crate::net::transformer::ForwardOptions;
use crate::net::weights::{load_verified, load_verified_lean};
use crate::rules::tasks::Task;
use crate::rules::template::{Shots, Template};

/// One measured number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Where it was measured: `native` or `browser`.
    pub place: String,
    pub backend: String,
    /// What: `decode`, `decode-recompute`, `prefill+attention`, `sweep`, `load`, `matmul`.
    pub what: String,
    pub model: String,
    /// Context length or matrix size, where it applies.
    pub size: usize,
    pub value: f64,
    pub unit: String,
    /// Achieved GFLOP/s, where the work is counted.
    pub gflops: Option<f64>,
}

/// Multiply-adds × 2 of one token's forward at context `ctx` (weights, attention scores and
/// weighted values; layer norms and softmax are left out).
pub fn flops_per_token(c: &ModelConfig, ctx: usize) -> f64 {
    let d = c.d_model as f64;
    let attn = 4.0 * d * d + 2.0 * ctx as f64 * d;
    let mlp = if c.attention_only {
        0.0
    } else {
        2.0 * d * c.d_ff as f64
    };
    2.0 * (c.n_layers as f64 * (attn + mlp) + d * c.vocab_size as f64)
}

/// A prompt of `n` characters the models know.
fn text(n: usize) -> Vec<u32> {
    let tok = Tokenizer::default();
    let base = "in: stone\nout: enots\nin: river\nout: revir\nin: cloud\nout: duolc\n";
    tok.encode(&base.repeat(n / base.len() + 1)[..n]).ids
}

/// How [`decode_ms`] runs each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// burn, with the KV cache.
    Cached,
    /// burn, a full forward over the window per token.
    Recompute,
    /// The lean path ([`crate::net::lean`]), with its KV cache.
    Lean,
}

/// Decoding, batch 1, `iters` times: the steps that bring the window from `ctx - tokens` to
/// `ctx` tokens. Returns the milliseconds of the steps only (each prompt's prefill is set up
/// untimed; `prefill_ms` measures prefill).
pub fn decode_ms(
    m: &Model,
    clock: Clock,
    how: Decode,
    ctx: usize,
    tokens: usize,
    iters: usize,
) -> f64 {
    let prompt = text(ctx - tokens);
    let next = text(tokens);
    (0..iters)
        .map(|_| {
            if how == Decode::Recompute {
                let mut window = prompt.clone();
                let start = clock();
                for &id in &next {
                    window.push(id);
                    let out = m.net.forward(
                        batch_tokens(std::slice::from_ref(&window), &m.device),
                        &ForwardOptions::default(),
                    );
                    let _ = to_vec(out.logits.slice([0..1, window.len() - 1..window.len()]));
                }
                return clock() - start;
            }
            if how == Decode::Lean {
                time_pushes(Decoder::new(m, None), &prompt, &next, clock)
            } else {
                time_pushes(
                    Burn::decoder(&m.net, &m.device, None),
                    &prompt,
                    &next,
                    clock,
                )
            }
        })
        .sum()
}

/// One forward over a full window returning every layer's attention, `iters` times, on burn
/// or the lean path (ms).
pub fn prefill_ms(m: &Model, clock: Clock, lean: bool, iters: usize) -> f64 {
    let row = [
        vec![crate::net::tokenizer::BOS],
        text(m.config.block_size - 1),
    ]
    .concat();
    let mut lean = lean.then(|| {
        let net = m.lean();
        let cache = net.cache();
        (net, cache)
    });
    let start = clock();
    for _ in 0..iters {
        if let Some((net, cache)) = lean.as_mut() {
            cache.clear();
            let _ = net.forward(cache, &row, true, Some(Keep::All));
            continue;
        }
        let out = m.net.forward(
            batch_tokens(std::slice::from_ref(&row), &m.device),
            &ForwardOptions::default(),
        );
        for a in out.attention {
            let _ = to_vec(a);
        }
        let _ = to_vec(out.logits);
    }
    clock() - start
}

/// Seed of the benchmark's sweep episodes.
const SWEEP_SEED: u64 = 7;

/// Prefills `prompt`, then times pushing `next` one token at a time (ms).
fn time_pushes<F: Forward>(
    mut d: Decoder<'_, F>,
    prompt: &[u32],
    next: &[u32],
    clock: Clock,
) -> f64 {
    d.prefill(prompt);
    let start = clock();
    for &id in next {
        let _ = d.push(id);
    }
    clock() - start
}

/// Which path scores prompts afresh: the lean one the page runs, or the burn reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Lean,
    Burn,
}

impl Engine {
    fn scorer(self) -> Scorer<Model> {
        match self {
            Engine::Lean => |m, rows| score_lean(m, rows),
            Engine::Burn => score_burn,
        }
    }
}

/// How a sweep reads its prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepWay {
    /// As the page does: each query's shots kept between shot counts ([`Sweeper`], lean).
    Shared,
    /// Every k-shot prompt scored afresh on an engine.
    Afresh(Engine),
}

/// The benchmark's queries: held-out first-letter episodes with their examples.
fn sweep_chains(queries: usize) -> Vec<Shots> {
    task_chains(
        Task::FirstLetter,
        CHAIN_SHOTS,
        queries,
        SWEEP_SEED,
        Labels::Correct,
    )
}

/// The page's k-shot sweep, `iters` times: k = 0..8, `queries` held-out queries, each with
/// its first k examples, greedy exact match and log-probability (ms).
pub fn sweep_ms(m: &Model, clock: Clock, queries: usize, way: SweepWay, iters: usize) -> f64 {
    let template = Template::default();
    let chains = sweep_chains(queries);
    let start = clock();
    for _ in 0..iters {
        match way {
            SweepWay::Shared => {
                let _ = Sweeper::new(m, &template, chains.clone()).points(&SWEEP_KS);
            }
            SweepWay::Afresh(engine) => {
                for k in SWEEP_KS {
                    let _ =
                        score_answers_with(m, &template, &at_shots(&chains, k), engine.scorer());
                }
            }
        }
    }
    clock() - start
}

/// [`sweep_ms`] afresh on the lean engine with the lean weights built afresh for every shot
/// count, as the page did before [`Model`] kept them: beside the afresh `lean` sweep, what
/// keeping them saves.
pub fn sweep_rebuilt_ms(m: &Model, clock: Clock, queries: usize, iters: usize) -> f64 {
    let template = Template::default();
    let chains = sweep_chains(queries);
    let start = clock();
    for _ in 0..iters {
        for k in SWEEP_KS {
            let fresh = Model::new(
                m.config.clone(),
                m.tokenizer.clone(),
                m.net.clone(),
                m.device.clone(),
            );
            let _ = score_answers(&fresh, &template, &at_shots(&chains, k));
        }
    }
    clock() - start
}

/// Floating-point operations of [`sweep_ms`]'s forward passes, each token counted as
/// [`flops_per_token`] at half its window. Afresh, every token of every scored window
/// (prompt, answer and separator); shared, per shot count only the added example, the
/// re-read token before it, the query and the answer.
pub fn sweep_flop(m: &Model, queries: usize, way: SweepWay) -> f64 {
    let template = Template::default();
    let len = |text: &str| m.tokenizer.encode(text).ids.len();
    let mut flop = 0.0;
    for Shots {
        examples: shots,
        query,
        answer: output,
    } in sweep_chains(queries)
    {
        let tail = len(&template.prompt(&[], &query))
            + len(&template.answer(&output))
            + len(&template.separator);
        // `<bos>` and the examples so far.
        let mut head = 1;
        for k in SWEEP_KS {
            let added = match k.checked_sub(1) {
                Some(i) => len(&template.example(&shots[i].0, &shots[i].1)),
                None => 0,
            };
            head += added;
            // `<bos>` in, the last character only predicted.
            let whole = (head + tail).min(m.config.block_size) - 1;
            let read = match way {
                SweepWay::Shared if k > 0 => (added + tail).min(whole),
                _ => whole,
            };
            flop += flops_per_token(&m.config, whole / 2) * read as f64;
        }
    }
    flop
}

/// Verifying (SHA-256) and initialising a weight file, `iters` times (ms).
pub fn load_ms(bytes: &[u8], sha256: &str, device: &Device, clock: Clock, iters: usize) -> f64 {
    let start = clock();
    for _ in 0..iters {
        let _ = load_verified(bytes, bytes.len() as u64, sha256, device);
    }
    clock() - start
}

/// [`load_ms`] into the lean network, without burn: what the page's inference worker does.
pub fn load_lean_ms(bytes: &[u8], sha256: &str, clock: Clock, iters: usize) -> f64 {
    let start = clock();
    for _ in 0..iters {
        let _ = load_verified_lean(bytes, bytes.len() as u64, sha256);
    }
    clock() - start
}

/// The head scores on the page's random strings ([`HEAD_PROBE`]), on the burn network or the
/// lean one (what the page's explanation computes once per model and seed), `iters` times (ms).
pub fn head_scores_ms(m: &Model, clock: Clock, lean: bool, iters: usize) -> f64 {
    let p = HEAD_PROBE;
    let start = clock();
    for _ in 0..iters {
        let _ = if lean {
            lean_head_scores(m.lean(), p.seed, p.strings, p.len)
        } else {
            head_scores(&m.net, &m.device, p.seed, p.strings, p.len)
        };
    }
    clock() - start
}

/// An `n`×`n` f32 matmul, `iters` times (ms): the machine's limit for these figures.
pub fn matmul_ms(device: &Device, clock: Clock, n: usize, iters: usize) -> f64 {
    let a = Tensor::<2>::random([n, n], Distribution::Default, device);
    let b = Tensor::<2>::random([n, n], Distribution::Default, device);
    let start = clock();
    for _ in 0..iters {
        let _ = to_vec(a.clone().matmul(b.clone()));
    }
    clock() - start
}

/// The `what` of the head scores on random strings.
pub const HEAD_SCORES: &str = "head-scores";

/// The name lean-path figures carry in place of a backend (its weights load on flex).
const LEAN: &str = "lean";

/// A model loaded on one backend, for [`jobs`].
#[derive(Debug)]
pub struct Loaded {
    pub backend: Backend,
    pub id: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub model: Model,
}

/// Loads every model (`(id, file bytes, sha256)`) on every backend this build has.
pub fn load_all(models: &[(String, Vec<u8>, String)]) -> Vec<Loaded> {
    Backend::ALL
        .iter()
        .flat_map(|&backend| {
            let device = backend.device();
            models.iter().filter_map(move |(id, bytes, sha)| {
                let (model, _) = load_verified(bytes, bytes.len() as u64, sha, &device).ok()?;
                Some(Loaded {
                    backend,
                    id: id.clone(),
                    bytes: bytes.clone(),
                    sha256: sha.clone(),
                    model,
                })
            })
        })
        .collect()
}

/// How a job's time becomes its figure.
#[derive(Debug, Clone, Copy)]
enum Per {
    /// Milliseconds per run.
    Ms,
    /// Tokens per second: `tokens` per run.
    Tokens(usize),
    /// GFLOP/s of `flop` per run (the matmul).
    Gflops,
}

/// One benchmark: what it measures and how to run it `iters` times (returning the timed ms).
pub struct Job<'a> {
    pub backend: String,
    pub what: String,
    pub model: String,
    pub size: usize,
    /// Floating-point operations of one run, where they are counted.
    flop: Option<f64>,
    per: Per,
    /// Its first runs are slower than the rest (live training: in the browser, V8 compiles
    /// the wasm in tiers and the heap grows over the first dozens of steps), so a full run
    /// measures it in its steady state ([`steady_ms`]).
    pub steady: bool,
    /// Runs the work `iters` times and returns the milliseconds timed.
    pub run: Box<dyn FnMut(usize) -> f64 + 'a>,
}

impl Job<'_> {
    /// A name without spaces or slashes: `backend.what.model.size`.
    pub fn id(&self) -> String {
        let what = self.what.replace('+', "-");
        let model = if self.model.is_empty() {
            "-"
        } else {
            &self.model
        };
        format!("{}.{what}.{model}.{}", self.backend, self.size)
    }

    /// The figure of one run that took `ms`.
    pub fn figure(&self, place: &str, ms: f64) -> Figure {
        let (value, unit) = match self.per {
            Per::Ms => (ms, "ms"),
            Per::Tokens(n) => (n as f64 / (ms / 1000.0), "tokens/s"),
            Per::Gflops => (self.flop.unwrap_or(0.0) / (ms / 1000.0) / 1e9, "GFLOP/s"),
        };
        let gflops = match self.per {
            Per::Gflops => None,
            _ => self.flop.map(|f| f / (ms / 1000.0) / 1e9),
        };
        Figure {
            place: place.to_string(),
            backend: self.backend.clone(),
            what: self.what.clone(),
            model: self.model.clone(),
            size: self.size,
            value,
            unit: unit.to_string(),
            gflops,
        }
    }
}

/// Training steps of the 2-layer live preset (seeded weights, the batches of its steps in
/// order): the work the page's Train button does. Natively the runner measures it on one
/// thread, as the browser's worker has.
#[cfg(feature = "train")]
fn train_job<'a>(clock: Clock) -> Job<'a> {
    let live = crate::train::live::Live::TWO;
    let tokens = live.tokens_per_step();
    let mut stepper = train_stepper();
    Job {
        backend: Backend::Flex.to_string(),
        what: TRAIN.into(),
        model: "live2".into(),
        size: tokens,
        // Forward and backward: about three forwards' work per token.
        flop: Some(3.0 * flops_per_token(&live.model_config(), live.block / 2) * tokens as f64),
        per: Per::Tokens(tokens),
        steady: true,
        run: Box::new(move |iters| {
            let start = clock();
            for _ in 0..iters {
                stepper.step();
            }
            clock() - start
        }),
    }
}

/// The run the training job steps: the 2-layer live preset from seed 0.
#[cfg(feature = "train")]
pub fn train_stepper() -> crate::train::step::Stepper {
    let live = crate::train::live::Live::TWO;
    crate::train::step::Stepper::new(
        &live.train_config(0),
        live.model_config(),
        Backend::Flex.device(),
        None,
    )
    .expect("the live preset is valid")
}

/// The `what` of one tune of a model on 8 examples of a held-out program with the page's
/// default settings: the work the page's Tune button does (its progress points left out).
pub const TUNE: &str = "tune";

/// The page's default model: the first loaded (the bench loads the manifest's models in its
/// order, and the page opens its first). The tune job tunes it; the full run sweeps it.
pub fn default_id(loaded: &[Loaded]) -> &str {
    loaded.first().map_or("", |l| l.id.as_str())
}

/// The examples the tune job tunes on.
pub const TUNE_EXAMPLES: usize = 8;

/// 8 examples of the first held-out program of the rule evaluation (seed 0), on held-out
/// inputs.
#[cfg(feature = "train")]
pub fn tune_examples() -> Vec<(String, String)> {
    use crate::eval::rule_report::{Group, rule_items, rules};
    let (_, program) = rules(Group::HeldOut, 1, 0).remove(0);
    rule_items(&program, Group::HeldOut.source(), TUNE_EXAMPLES, 1, 0)
        .remove(0)
        .examples
}

/// The tune job's settings: the page's default, or in the quick smoke run (on an
/// attention-only model) 2 steps of every weight.
#[cfg(feature = "train")]
pub fn tune_settings(quick: bool) -> crate::train::tune::TuneSettings {
    use crate::train::tune::{Moving, TuneSettings};
    if quick {
        TuneSettings {
            steps: 2,
            moving: Moving::All,
            ..TuneSettings::default()
        }
    } else {
        TuneSettings::default()
    }
}

/// Milliseconds of `iters` tunes of `m` on [`tune_examples`] with `settings`.
#[cfg(feature = "train")]
pub fn tune_ms(
    m: &Model,
    clock: Clock,
    settings: crate::train::tune::TuneSettings,
    iters: usize,
) -> f64 {
    use crate::train::tune::Tuner;
    let examples = tune_examples();
    let start = clock();
    for _ in 0..iters {
        let mut t = Tuner::new(m, &Template::default(), &examples, settings)
            .expect("the bench's examples fit and its settings suit the model");
        while !t.finished() {
            t.step();
        }
    }
    clock() - start
}

/// The `what` of the native matmul on one thread: the limit of the training job, which runs
/// on one thread in both places.
pub const MATMUL_ONE_THREAD: &str = "matmul-one-thread";

/// The `what` of the training job.
pub const TRAIN: &str = "train";

/// The `what` of the seconds of training the 2-layer live preset takes to form its induction
/// head (its `size` is the step it formed at).
pub const TO_INDUCTION: &str = "to-induction-0.4";

/// The `what` of the 1-layer control's top induction score after [`CONTROL_SECONDS`] of
/// training.
pub const CONTROL_INDUCTION: &str = "control-induction";

/// Seconds the 1-layer control trains for: the page's promise is "within a minute".
pub const CONTROL_SECONDS: usize = 60;

/// How the 2-layer live preset is raced: until its induction head forms, two minutes at most.
#[cfg(feature = "train")]
pub const RACE_TWO: crate::bench::race::Until = crate::bench::race::Until {
    seconds: 120.0,
    formed: true,
};

/// How the 1-layer control is raced: [`CONTROL_SECONDS`] of training.
#[cfg(feature = "train")]
pub const RACE_ONE: crate::bench::race::Until = crate::bench::race::Until {
    seconds: CONTROL_SECONDS as f64,
    formed: false,
};

/// Steps between the races' head scores.
pub const RACE_EVERY: usize = 25;

/// The live presets raced against the clock from seed 0 on `device` (the runner puts it on one
/// thread): the 2-layer model until its induction head forms ([`RACE_TWO`]), and the 1-layer
/// control ([`RACE_ONE`]). The heads are scored every [`RACE_EVERY`] steps, off the clock.
#[cfg(feature = "train")]
pub fn race_figures(
    place: &str,
    device: &Device,
    clock: Clock,
) -> Result<Vec<Figure>, crate::train::config::SettingsError> {
    use crate::bench::race::{Racer, race};
    use crate::train::live::Live;
    let racer = |live: &Live, until| Racer::new(live, 0, device.clone(), clock, until, RACE_EVERY);
    let two = race(racer(&Live::TWO, RACE_TWO)?, |_| ());
    let one = race(racer(&Live::ONE, RACE_ONE)?, |_| ());
    Ok(race_figures_of(place, &two, &one))
}

/// The figures of the two races: the seconds the 2-layer model took to form its induction
/// head (its `size` the step), and the 1-layer control's top induction score at the end.
#[cfg(feature = "train")]
pub fn race_figures_of(
    place: &str,
    two: &crate::bench::race::Race,
    one: &crate::bench::race::Race,
) -> Vec<Figure> {
    let figure = |what: &str, model: &str, size, value, unit: &str| Figure {
        place: place.to_string(),
        backend: Backend::Flex.to_string(),
        what: what.to_string(),
        model: model.to_string(),
        size,
        value,
        unit: unit.to_string(),
        gflops: None,
    };
    let formed = match two.passed {
        Some((step, seconds)) => figure(TO_INDUCTION, "live2", step, seconds, "s"),
        None => figure(
            TO_INDUCTION,
            "live2",
            two.last.step,
            two.last.seconds,
            "s (not formed)",
        ),
    };
    let control = figure(
        CONTROL_INDUCTION,
        "live1",
        CONTROL_SECONDS,
        f64::from(one.last.induction),
        "score",
    );
    vec![formed, control]
}

/// Whose k-shot sweep the full run measures beside the page's default: the models with MLPs a
/// visitor compares (the sweep's bar, 1.5 s in the browser, is theirs).
pub const SWEPT_BESIDE_DEFAULT: &str = "base";

/// Every benchmark over the loaded models; `quick` keeps one short case of each kind (the
/// smoke check). Shared by the browser runner ([`run_job`]) and the native criterion runner
/// (`model/benches/native.rs`).
pub fn jobs(loaded: &[Loaded], clock: Clock, quick: bool) -> Vec<Job<'_>> {
    let mut out: Vec<Job<'_>> = Vec::new();
    let default = default_id(loaded);
    let n = if quick { 64 } else { 512 };
    for &backend in Backend::ALL {
        let device = backend.device();
        out.push(Job {
            backend: backend.to_string(),
            what: "matmul".into(),
            model: String::new(),
            size: n,
            flop: Some(2.0 * (n as f64).powi(3)),
            per: Per::Gflops,
            steady: false,
            run: Box::new(move |iters| matmul_ms(&device, clock, n, iters)),
        });
    }
    #[cfg(feature = "train")]
    out.push(train_job(clock));
    for l in loaded {
        let m = &l.model;
        let lean = l.backend == Backend::Flex;
        let job = |backend: &str, what: &str, size: usize, flop, per, run| Job {
            backend: backend.to_string(),
            what: what.to_string(),
            model: l.id.clone(),
            size,
            flop,
            per,
            steady: false,
            run,
        };
        let backend = l.backend.to_string();
        let device = l.backend.device();
        out.push(job(
            &backend,
            "load",
            l.bytes.len(),
            None,
            Per::Ms,
            Box::new(move |iters| load_ms(&l.bytes, &l.sha256, &device, clock, iters)),
        ));
        if lean {
            out.push(job(
                LEAN,
                "load",
                l.bytes.len(),
                None,
                Per::Ms,
                Box::new(move |iters| load_lean_ms(&l.bytes, &l.sha256, clock, iters)),
            ));
        }
        let mut ways = vec![(backend.as_str(), false)];
        if lean {
            ways.push((LEAN, true));
        }
        for (b, is_lean) in ways {
            out.push(job(
                b,
                HEAD_SCORES,
                HEAD_PROBE.strings,
                None,
                Per::Ms,
                Box::new(move |iters| head_scores_ms(m, clock, is_lean, iters)),
            ));
        }
        let block = m.config.block_size - 1;
        let contexts = if quick {
            vec![32]
        } else {
            vec![32, 128, block]
        };
        let steps = if quick { 4 } else { 24 };
        for ctx in contexts {
            let mut ways = vec![(backend.as_str(), "decode", Decode::Cached, steps)];
            ways.push((
                backend.as_str(),
                "decode-recompute",
                Decode::Recompute,
                steps.min(8),
            ));
            if lean {
                ways.push((LEAN, "decode", Decode::Lean, steps));
            }
            for (b, what, how, tokens) in ways {
                let flop = flops_per_token(&m.config, ctx) * tokens as f64;
                out.push(job(
                    b,
                    what,
                    ctx,
                    Some(flop),
                    Per::Tokens(tokens),
                    Box::new(move |iters| decode_ms(m, clock, how, ctx, tokens, iters)),
                ));
            }
        }
        let flop = flops_per_token(&m.config, block / 2) * block as f64;
        let mut ways = vec![(backend.as_str(), false)];
        if lean {
            ways.push((LEAN, true));
        }
        for (b, is_lean) in ways {
            out.push(job(
                b,
                "prefill+attention",
                block,
                Some(flop),
                Per::Ms,
                Box::new(move |iters| prefill_ms(m, clock, is_lean, iters)),
            ));
        }
        #[cfg(feature = "train")]
        if lean && (l.id == default || quick) {
            let settings = tune_settings(quick);
            out.push(job(
                &backend,
                TUNE,
                TUNE_EXAMPLES,
                None,
                Per::Ms,
                Box::new(move |iters| tune_ms(m, clock, settings, iters)),
            ));
        }
        if l.id == default || l.id == SWEPT_BESIDE_DEFAULT || quick {
            let q = if quick { 1 } else { 16 };
            let mut ways = vec![(
                backend.as_str(),
                "sweep-afresh",
                SweepWay::Afresh(Engine::Burn),
            )];
            if lean {
                ways.push((LEAN, "sweep", SweepWay::Shared));
                ways.push((LEAN, "sweep-afresh", SweepWay::Afresh(Engine::Lean)));
            }
            for (b, what, way) in ways {
                out.push(job(
                    b,
                    what,
                    q,
                    Some(sweep_flop(m, q, way)),
                    Per::Ms,
                    Box::new(move |iters| sweep_ms(m, clock, q, way, iters)),
                ));
            }
            if lean && !quick {
                out.push(job(
                    LEAN,
                    "sweep-rebuilding-lean",
                    q,
                    Some(sweep_flop(m, q, SweepWay::Afresh(Engine::Lean))),
                    Per::Ms,
                    Box::new(move |iters| sweep_rebuilt_ms(m, clock, q, iters)),
                ));
            }
        }
    }
    out
}

/// Runs a job until `warm_ms` have passed (at least once), untimed, so the browser has
/// compiled the hot code with its optimising tier; then the median of `repeats` single runs
/// (ms).
pub fn median_ms(job: &mut Job<'_>, clock: Clock, warm_ms: f64, repeats: usize) -> f64 {
    let start = clock();
    let mut warm = 0;
    while warm == 0 || (clock() - start < warm_ms && warm < 100) {
        (job.run)(1);
        warm += 1;
    }
    let mut t: Vec<f64> = (0..repeats.max(1)).map(|_| (job.run)(1)).collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// One job's figure: the median of a few runs after a warm-up, or with `quick` one short
/// iteration (a smoke check). The browser runner calls it job by job, letting the page's event
/// loop run in between; natively, criterion runs the same [`jobs`].
pub fn run_job(job: &mut Job<'_>, place: &str, clock: Clock, quick: bool) -> Figure {
    let ms = if quick {
        median_ms(job, clock, 0.0, 1)
    } else if job.steady {
        steady_ms(job, clock)
    } else {
        median_ms(job, clock, 200.0, 5)
    };
    job.figure(place, ms)
}

/// Warm-up of a [`Job::steady`] job before it is timed (ms): in the browser, live training's
/// steps take 2-10x their steady time over the first 20-50 (measured: 313, 75, 73, 47, 77,
/// 43 … ms, then 32), so the warm-up is longer than the native runner's 500 ms.
pub const STEADY_WARM_MS: f64 = 2_000.0;

/// How long a [`Job::steady`] job is timed (ms), in one stretch; the native runner's
/// criterion measures every job this long in a full run.
pub const STEADY_MEASURE_MS: f64 = 2_000.0;

/// Milliseconds of one run of `job` in its steady state: runs for [`STEADY_WARM_MS`], then
/// the mean of as many runs as fill [`STEADY_MEASURE_MS`], timed as one stretch.
pub fn steady_ms(job: &mut Job<'_>, clock: Clock) -> f64 {
    let start = clock();
    let mut last = (job.run)(1);
    let mut warm = 1;
    while clock() - start < STEADY_WARM_MS && warm < 1_000 {
        last = (job.run)(1);
        warm += 1;
    }
    let iters = (STEADY_MEASURE_MS / last.max(1e-3))
        .ceil()
        .clamp(1.0, 10_000.0) as usize;
    (job.run)(iters) / iters as f64
}
