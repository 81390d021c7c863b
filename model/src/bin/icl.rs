//! `icl`: the model's command-line tool.
//!
//! ```text
//! icl init --preset attn2                 # random weights into public/models + manifest
//! icl complete --model attn2 --prompt "in: stone\nout:" [--json]
//! ```
//!
//! Its length is the command line's subcommands (train, zoo, eval, complete, init...), each a
//! short function over the library; splitting them would only scatter the argument types.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use icl_model::eval::report::evaluate;
use icl_model::net::backend::Backend;
use icl_model::net::config::{ModelConfig, Preset};
use icl_model::net::model::Model;
use icl_model::net::sampling::{SamplingConfig, complete};
use icl_model::net::weights::{export, from_bytes, load_verified};
use icl_model::rules::tasks::Task;
use icl_model::rules::template::unescape;
use icl_model::train::config::Phase;
use icl_model::train::config::TrainConfig;
use icl_model::train::run::{paths, read_resume, train};
use icl_model::train::tune::{Moving, TuneSettings};
use icl_model::train::tune_report::TuneFormats;
use icl_model::zoo::files;
use icl_model::zoo::manifest::{MANIFEST_FILE, Manifest, ModelEntry, TrainingInfo, publish};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// A training step frees and re-allocates tensors of tens of megabytes (base's attention
/// scores are 34 MB); the system allocator returns such blocks to the kernel and faults them
/// back in every step, mimalloc keeps them (training throughput in `model/README.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` for the tool's output: a reader that stops reading (`icl complete … | head`)
/// ends the program quietly, as other command-line tools do, instead of a panic.
macro_rules! outln {
    ($($arg:tt)*) => { emit(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for the tool's output, as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => { emit(format_args!($($arg)*)) };
}

/// Writes to stdout; a closed pipe exits with success, any other failure with an error.
fn emit(text: std::fmt::Arguments) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing the output: {e}");
        std::process::exit(1);
    }
}

#[derive(Parser)]
#[command(
    name = "icl",
    about = "ICL Playground's model: create, run, train and evaluate"
)]
struct Cli {
    /// Tensor backend: flex or ndarray (CPU), or vulkan (a GPU; built with `--features gpu`).
    #[arg(long, global = true, default_value = "flex")]
    backend: Backend,
    #[command(subcommand)]
    command: Command,
}

/// Changes to a preset's training settings (for experiments; the zoo uses none).
#[derive(clap::Args, Default)]
struct Overrides {
    /// Start from the settings in this JSON file (a `TrainConfig`, such as a curves.json's
    /// `train`, its seed and preset included) instead of the preset's; the options below
    /// still change them.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// Override the preset's number of steps (a later phase starting there or after is dropped).
    #[arg(long)]
    steps: Option<usize>,
    /// Override the preset's share of repeated random strings (0..=1).
    #[arg(long)]
    induction_fraction: Option<f32>,
    /// Override the preset's peak learning rate.
    #[arg(long)]
    lr: Option<f64>,
    /// Override the preset's batch size (sequences per step).
    #[arg(long)]
    batch_size: Option<usize>,
    /// Override the preset's warmup (steps).
    #[arg(long)]
    warmup: Option<usize>,
    /// Draw each few-shot sequence's template from the format space's training part, this
    /// share of them in the page's default `in:` / `out:` (0..=1).
    #[arg(long)]
    formats_default_share: Option<f32>,
    /// With --formats-default-share: this share of the other sequences written with two
    /// marker words of an open vocabulary of hundreds (0..=1) [default: 0].
    #[arg(long, requires = "formats_default_share")]
    formats_open_markers: Option<f32>,
    /// Model shape instead of the preset's: layers (with --heads, --d-model and --d-ff).
    #[arg(long, requires_all = ["heads", "d_model", "d_ff"])]
    layers: Option<usize>,
    #[arg(long, requires = "layers")]
    heads: Option<usize>,
    #[arg(long, requires = "layers")]
    d_model: Option<usize>,
    #[arg(long, requires = "layers")]
    d_ff: Option<usize>,
    /// Override the preset's window (characters).
    #[arg(long)]
    block_size: Option<usize>,
    /// Tasks of the few-shot share, comma-separated; a task named twice is drawn twice as often.
    #[arg(long, value_delimiter = ',')]
    tasks: Option<Vec<Task>>,
    /// Weight of answer tokens in the loss, relative to the other tokens.
    #[arg(long)]
    answer_weight: Option<f32>,
    /// Length of the first phase's sequences [default: the model's window].
    #[arg(long)]
    window: Option<usize>,
    /// Replace the preset's later phases by one from this step (to --steps), weighted to the
    /// rules read letter by letter from the examples; --resume continues a run that finished
    /// at this step.
    #[arg(long)]
    phase2_from: Option<usize>,
    /// Tasks of the second phase, comma-separated [default: every task, substitution and
    /// caesar 4×, reverse and sort_letters 2×].
    #[arg(long, value_delimiter = ',', requires = "phase2_from")]
    phase2_tasks: Option<Vec<Task>>,
    /// Peak learning rate of the second phase [default: 1e-3].
    #[arg(long, requires = "phase2_from")]
    phase2_lr: Option<f64>,
    /// Weight of answer tokens in the second phase's loss [default: 3].
    #[arg(long, requires = "phase2_from")]
    phase2_answer_weight: Option<f32>,
    /// Evenly spaced checkpoints in the second phase [default: 2].
    #[arg(long, requires = "phase2_from")]
    phase2_checkpoints: Option<usize>,
    /// Length of the second phase's sequences [default: the model's window].
    #[arg(long, requires = "phase2_from")]
    phase2_window: Option<usize>,
    /// Train on only this many distinct string programs, drawn from the seed (the
    /// task-diversity probes) [default: the preset's, a fresh one every sequence].
    #[arg(long)]
    programs_distinct: Option<usize>,
    /// Share of the few-shot sequences that are string programs (0..=1).
    #[arg(long)]
    programs_share: Option<f32>,
}

impl Overrides {
    fn apply(&self, cfg: &mut TrainConfig) -> Result<(), String> {
        if let Some(path) = &self.settings {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("settings {}: {e}", path.display()))?;
            *cfg = serde_json::from_str(&text)
                .map_err(|e| format!("settings {}: {e}", path.display()))?;
        }
        if let Some(s) = self.steps {
            *cfg = cfg.ending_at(s);
        }
        if let Some(from) = self.phase2_from {
            let mut p = Phase::per_letter(from);
            if let Some(t) = &self.phase2_tasks {
                p.tasks = t.clone();
            }
            p.lr = self.phase2_lr.unwrap_or(p.lr);
            p.answer_weight = self.phase2_answer_weight.unwrap_or(p.answer_weight);
            p.checkpoints = self.phase2_checkpoints.unwrap_or(p.checkpoints);
            p.window = self.phase2_window;
            cfg.phases = vec![p];
        }
        if let Some(lr) = self.lr {
            cfg.lr = lr;
        }
        if let Some(b) = self.batch_size {
            if b == 0 {
                return Err("the batch size must be at least 1".into());
            }
            cfg.batch_size = b;
        }
        cfg.warmup = self.warmup.unwrap_or(cfg.warmup);
        if let Some(share) = self.formats_default_share {
            cfg.formats = Some(icl_model::rules::formats::FormatMix {
                default_share: share,
                open_markers: self.formats_open_markers.unwrap_or(0.0),
            });
        }
        if let (Some(n_layers), Some(n_heads), Some(d_model), Some(d_ff)) =
            (self.layers, self.heads, self.d_model, self.d_ff)
        {
            cfg.shape = Some(icl_model::train::config::Shape {
                n_layers,
                n_heads,
                d_model,
                d_ff,
            });
        }
        cfg.block_size = self.block_size.or(cfg.block_size);
        if let Some(f) = self.induction_fraction {
            cfg.induction_fraction = f.clamp(0.0, 1.0);
        }
        if let Some(t) = &self.tasks {
            cfg.tasks = Some(t.clone());
        }
        if let Some(w) = self.answer_weight {
            cfg.answer_weight = w;
        }
        cfg.window = self.window.or(cfg.window);
        if self.programs_distinct.is_some() || self.programs_share.is_some() {
            // A preset without programs takes the learner's mix.
            let learner = TrainConfig::for_preset(Preset::Learner.name())
                .map_err(|e| e.to_string())?
                .programs;
            let p = cfg
                .programs
                .get_or_insert_with(|| learner.expect("the learner trains on programs"));
            p.distinct = self.programs_distinct.or(p.distinct);
            p.share = self.programs_share.unwrap_or(p.share);
        }
        cfg.model_config().map_err(|e| e.to_string())?;
        cfg.data_mix().map(|_| ()).map_err(|e| e.to_string())
    }
}

/// A tune's settings (`icl eval --tune`); unset ones are the page's defaults.
#[derive(clap::Args)]
struct TuneArgs {
    /// Optimiser steps of each tune.
    #[arg(long)]
    tune_steps: Option<usize>,
    /// Each tune's learning rate.
    #[arg(long)]
    tune_lr: Option<f64>,
    /// Leave-one-out episodes per tuning step.
    #[arg(long)]
    tune_batch: Option<usize>,
    /// Which weights a tune moves: all, last:N (blocks) or adapter:R (rank).
    #[arg(long)]
    tune_moving: Option<Moving>,
    #[arg(long)]
    tune_seed: Option<u64>,
}

impl TuneArgs {
    fn settings(&self) -> TuneSettings {
        let d = TuneSettings::default();
        TuneSettings {
            steps: self.tune_steps.unwrap_or(d.steps),
            lr: self.tune_lr.unwrap_or(d.lr),
            batch: self.tune_batch.unwrap_or(d.batch),
            moving: self.tune_moving.unwrap_or(d.moving),
            seed: self.tune_seed.unwrap_or(d.seed),
        }
    }
}

/// Changes to a live preset (`icl live-probe`).
#[derive(clap::Args)]
struct LiveArgs {
    /// 1 or 2 layers.
    #[arg(long, default_value_t = 2)]
    layers: usize,
    #[arg(long)]
    d_model: Option<usize>,
    #[arg(long)]
    block: Option<usize>,
    #[arg(long)]
    batch: Option<usize>,
    #[arg(long)]
    lr: Option<f64>,
    #[arg(long)]
    induction_fraction: Option<f32>,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Seconds of training (evaluation not counted).
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// Steps between head scores.
    #[arg(long, default_value_t = 25)]
    every: usize,
}

impl LiveArgs {
    fn live(&self) -> icl_model::train::live::Live {
        let base = icl_model::train::live::Live::for_layers(self.layers);
        icl_model::train::live::Live {
            n_layers: self.layers,
            d_model: self.d_model.unwrap_or(base.d_model),
            block: self.block.unwrap_or(base.block),
            batch: self.batch.unwrap_or(base.batch),
            lr: self.lr.unwrap_or(base.lr),
            induction_fraction: self.induction_fraction.unwrap_or(base.induction_fraction),
            ..base
        }
    }
}

/// Trains a live preset for a fixed time, printing the head scores every few steps and when
/// the top induction score first passed 0.4.
fn live_probe(args: &LiveArgs, backend: Backend) -> Result<(), String> {
    use icl_model::bench::clock::native_clock;
    use icl_model::bench::race::{Racer, Until, race};
    let live = args.live();
    outln!("{live:?}");
    outln!("step\tseconds\ttok/s\tloss\tinduction\tprevious");
    let until = Until {
        seconds: args.seconds,
        formed: false,
    };
    let racer = Racer::new(
        &live,
        args.seed,
        backend.device(),
        native_clock,
        until,
        args.every,
    )
    .map_err(|e| e.to_string())?;
    let r = race(racer, |r| {
        outln!(
            "{}\t{:.1}\t{:.0}\t{:.3}\t{:.3}\t{:.3}",
            r.step,
            r.seconds,
            r.tokens_per_s,
            r.loss,
            r.induction,
            r.previous
        )
    });
    match r.passed {
        Some((step, s)) => outln!("induction 0.4 passed at step {step}, {s:.1} s of training"),
        None => outln!("induction stayed under 0.4 for {:.0} s", args.seconds),
    }
    Ok(())
}

#[derive(Subcommand)]
enum Command {
    /// Train a live preset for some seconds and print its head scores (choosing the page's
    /// live presets).
    LiveProbe(LiveArgs),
    /// Write a model with random weights of a preset and list it in the manifest.
    Init {
        /// attn1, attn2 or base.
        #[arg(long)]
        preset: String,
        /// Id in the manifest (default: the preset name).
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Folder of the manifest and weight files.
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
    },
    /// Train a zoo model: checkpoints, curves and weights go into DIR and the manifest.
    Train {
        /// attn1, attn2 or base.
        #[arg(long)]
        preset: String,
        /// Id in the manifest (default: the preset name).
        #[arg(long)]
        id: Option<String>,
        /// Continue the interrupted run from its last checkpoint.
        #[arg(long)]
        resume: bool,
        /// Stop cleanly after this many minutes of training, with the resumable state written
        /// (continue with --resume, on this machine or another, on any backend).
        #[arg(long)]
        minutes: Option<f64>,
        #[command(flatten)]
        overrides: Overrides,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
        /// Where the resumable full-precision state is kept (not shipped).
        #[arg(long, default_value = "model/runs")]
        state_dir: PathBuf,
    },
    /// Evaluate a model on held-out words: a table on stdout and JSON in DIR/ID/.
    Eval {
        #[arg(long, required_unless_present = "ladder")]
        model: Option<String>,
        /// Score every rung of the ladder in --dir (`rung0` …) on addition by digit count,
        /// held-out programs and the fixed tasks (--episodes queries per set and shot count),
        /// fit their losses' power law in compute, and write ladder.json beside the manifest.
        #[arg(long, conflicts_with_all = ["model", "checkpoint", "state_dir"])]
        ladder: bool,
        /// With --ladder: score every rung at this place in its own checkpoint list (0 the
        /// first, as the page's training-progress slider), a learning curve across the ladder,
        /// written as ladder-stage-N.json instead of ladder.json.
        #[arg(long, requires = "ladder")]
        stage: Option<usize>,
        /// A training step listed among the model's checkpoints (default: the final weights).
        #[arg(long, conflicts_with = "state_dir")]
        checkpoint: Option<u64>,
        /// Evaluate the unfinished run's resumable state, STATE_DIR/ID/resume.bin, at the
        /// step it was saved (written as eval-state-NNNNNN.json beside it).
        #[arg(long)]
        state_dir: Option<PathBuf>,
        /// Episodes per task and shot count.
        #[arg(long, default_value_t = 50)]
        episodes: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
        /// Print a markdown table (for READMEs) instead of the plain one.
        #[arg(long)]
        markdown: bool,
        /// Also score this many held-out programs and held-out primitive pairs (and every
        /// fixed task's program on uncommon and random words) [default: 0, none].
        #[arg(long, default_value_t = 0)]
        rules: usize,
        /// Queries per rule and shot count for --rules.
        #[arg(long, default_value_t = 10)]
        rule_queries: usize,
        /// Also score the fixed tasks and --rules held-out programs in the default template
        /// and in this many trained and this many held-out formats, and in up to this many
        /// with marker words of a visitor's own (`English:` / `French:`) [default: 0, none].
        #[arg(long, default_value_t = 0)]
        formats: usize,
        /// Also score the visitor's test: eleven everyday rules, four visitors' examples on
        /// common words, seven formats visitors write (`eval::visitor_report`).
        #[arg(long)]
        visitor: bool,
        /// Also compare learning in context with learning in weights on this many held-out
        /// programs and held-out primitive pairs (--rule-queries prompts each at k = 2, 4, 8;
        /// one tune per prompt), written to tune.json [default: 0, none].
        #[arg(long, default_value_t = 0)]
        tune: usize,
        /// The shot counts --tune compares (probes may ask for fewer).
        #[arg(long, value_delimiter = ',', default_values_t = icl_model::train::tune_report::TUNE_SHOTS)]
        tune_k: Vec<usize>,
        /// How --tune's prompts are written.
        #[arg(long, value_enum, default_value = "default")]
        tune_formats: TuneFormats,
        #[command(flatten)]
        tune_settings: TuneArgs,
    },
    /// Print training sequences of a preset at a step, as the model reads them (the data of
    /// each phase, its formats and programs, at a glance).
    Data {
        #[arg(long)]
        preset: String,
        /// The step whose phase and batch are drawn from.
        #[arg(long, default_value_t = 0)]
        step: usize,
        /// Sequences to print.
        #[arg(long, default_value_t = 4)]
        n: usize,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Recompute the scores in a model's curves from its shipped checkpoints (after a metric
    /// changes), keeping the training losses.
    Rescore {
        #[arg(long)]
        model: String,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
    },
    /// Re-encode a model's checkpoints in the current file format, each tensor in the
    /// precision it was stored in, updating the manifest.
    Repack {
        #[arg(long)]
        model: String,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
    },
    /// Copy a model trained in its own folder (checkpoints verified, curves, evaluation) into
    /// the page's models folder and its manifest.
    Ship {
        #[arg(long)]
        model: String,
        /// The run's folder (as `icl train --dir` wrote it).
        #[arg(long)]
        from: PathBuf,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
        /// Put the model first in the page's list: the page's default.
        #[arg(long)]
        default: bool,
    },
    /// Keep only some of a shipped model's checkpoints (its densest stretch on a log scale of
    /// steps thins first; the first and the last stay), deleting the files no model lists.
    Thin {
        #[arg(long)]
        model: String,
        /// How many checkpoints to keep (at least ten).
        #[arg(long)]
        keep: usize,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
    },
    /// Train the whole zoo (attn1, attn2, base), two runs at a time; resumable.
    Zoo {
        #[arg(long)]
        resume: bool,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
        #[arg(long, default_value = "model/runs")]
        state_dir: PathBuf,
    },
    /// Complete a prompt and print the completion with per-token probabilities.
    Complete {
        /// Model id from the manifest.
        #[arg(long, conflicts_with = "file")]
        model: Option<String>,
        /// A weight file to use instead of the manifest.
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(long, default_value = "public/models")]
        dir: PathBuf,
        /// The prompt (`\n` is read as a newline).
        #[arg(long, conflicts_with = "prompt_file")]
        prompt: Option<String>,
        /// Read the prompt from a file.
        #[arg(long)]
        prompt_file: Option<PathBuf>,
        /// 0 = greedy.
        #[arg(long, default_value_t = 0.0)]
        temperature: f32,
        #[arg(long, default_value_t = 0)]
        top_k: usize,
        #[arg(long, default_value_t = 1.0)]
        top_p: f32,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, default_value_t = 32)]
        max_tokens: usize,
        /// Stop sequences (`\n` is read as a newline); default: newline.
        #[arg(long)]
        stop: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Writes `value` as pretty JSON to `file` (its folder made if needed) and says so.
fn write_json(file: &std::path::Path, value: &impl serde::Serialize) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n";
    std::fs::write(file, text).map_err(|e| e.to_string())?;
    outln!("wrote {}", file.display());
    Ok(())
}

/// Loads a model from a file, or by manifest id (the first listed without one).
fn load_model(
    dir: &std::path::Path,
    id: Option<&str>,
    file: Option<&PathBuf>,
    backend: Backend,
) -> Result<Model, String> {
    match file {
        Some(f) => {
            let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
            Ok(from_bytes(&bytes, &backend.device())
                .map_err(|e| format!("{}: {e}", f.display()))?
                .0)
        }
        None => Ok(load_entry_weights(dir, id, None, backend)?.0),
    }
}

/// The weights of model `id` (the first listed without one) in the manifest in `dir`: its
/// final ones, or those of one of its checkpoints, verified against the manifest's length and
/// SHA-256; with the step they were saved at.
fn load_entry_weights(
    dir: &std::path::Path,
    id: Option<&str>,
    checkpoint: Option<u64>,
    backend: Backend,
) -> Result<(Model, u64), String> {
    let manifest = Manifest::read(dir).map_err(|e| e.to_string())?;
    let entry = match id {
        Some(id) => manifest.get(id).ok_or_else(|| {
            let ids: Vec<&str> = manifest.models.iter().map(|m| m.id.as_str()).collect();
            format!(
                "no model {id:?} in {}; known: {}",
                dir.join(MANIFEST_FILE).display(),
                ids.join(", ")
            )
        })?,
        None => manifest
            .models
            .first()
            .ok_or("the manifest lists no models")?,
    };
    let (file, bytes, sha) = match checkpoint {
        None => (&entry.file, entry.bytes, &entry.sha256),
        Some(step) => {
            let c = entry
                .checkpoints
                .iter()
                .find(|c| c.step == step)
                .ok_or_else(|| {
                    let steps: Vec<String> = entry
                        .checkpoints
                        .iter()
                        .map(|c| c.step.to_string())
                        .collect();
                    format!(
                        "{} has no checkpoint at step {step}; it has {}",
                        entry.id,
                        steps.join(", ")
                    )
                })?;
            (&c.file, c.bytes, &c.sha256)
        }
    };
    let path = dir.join(file);
    let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (m, _) = load_verified(&raw, bytes, sha, &backend.device())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((m, checkpoint.unwrap_or(entry.training.steps)))
}

/// `icl eval --ladder`: every rung in `dir`, scored and written to its ladder report.
fn eval_ladder(
    dir: &std::path::Path,
    stage: Option<usize>,
    (queries, seed): (usize, u64),
    backend: Backend,
) -> Result<(), String> {
    use icl_model::eval::ladder_report::{LadderReport, Trained, evaluate_rung, report_file};
    use icl_model::train::config::RunPreset;
    let manifest = Manifest::read(dir).map_err(|e| e.to_string())?;
    let mut rungs = Vec::new();
    for entry in &manifest.models {
        if !matches!(
            RunPreset::try_from(entry.id.clone()),
            Ok(RunPreset::Rung(_))
        ) {
            continue;
        }
        let curves_path = dir.join(entry.curves.as_deref().ok_or("a rung without curves")?);
        let curves =
            icl_model::train::run::read_curves_file(&curves_path).map_err(|e| e.to_string())?;
        let last = curves.points.last();
        let step = last.map_or(0, |p| p.step);
        if step < curves.train.steps {
            eprintln!(
                "{}: at step {step} of {}, not scored until its run ends",
                entry.id, curves.train.steps
            );
            continue;
        }
        // The final weights, or the checkpoint at the stage and its point of the curves.
        let (checkpoint, point) = match stage {
            None => (None, last),
            Some(i) => {
                let Some(c) = entry.checkpoints.get(i) else {
                    eprintln!(
                        "{}: no checkpoint number {i} (it has {})",
                        entry.id,
                        entry.checkpoints.len()
                    );
                    continue;
                };
                let point = curves.points.iter().find(|p| p.step as u64 == c.step);
                (Some(c.step), point)
            }
        };
        // A checkpoint with no point of its own in the curves still has its step, and the
        // recipe says how many tokens that is; only the logged loss is then unknown.
        let steps = point.map_or(checkpoint.map_or(step, |s| s as usize), |p| p.step);
        let trained = Trained {
            steps,
            tokens: point.map_or_else(
                || curves.train.tokens_after(steps, curves.config.block_size),
                |p| p.tokens,
            ),
            loss: point.and_then(|p| p.loss),
        };
        let (m, _) = load_entry_weights(dir, Some(&entry.id), checkpoint, backend)?;
        eprintln!(
            "scoring {} ({} parameters) at step {}",
            entry.id,
            m.num_params(),
            trained.steps
        );
        rungs.push(evaluate_rung(&m, &entry.id, trained, queries, seed));
    }
    if rungs.is_empty() {
        return Err(format!("no ladder rungs (rung0 …) in {}", dir.display()));
    }
    let report = LadderReport::new(rungs, queries, seed);
    out!("{}", report.markdown());
    write_json(&dir.join(report_file(stage)), &report)
}

#[allow(clippy::too_many_arguments)]
fn train_one(
    preset: &str,
    id: Option<String>,
    (resume, minutes): (bool, Option<f64>),
    overrides: &Overrides,
    seed: u64,
    (dir, state): (&std::path::Path, &std::path::Path),
    backend: Backend,
    bars: &MultiProgress,
) -> Result<(), String> {
    let mut cfg = TrainConfig::for_preset(preset).map_err(|e| e.to_string())?;
    cfg.seed = seed;
    overrides.apply(&mut cfg)?;
    let id = id.unwrap_or_else(|| preset.to_string());
    let bar = bars.add(ProgressBar::new(cfg.steps as u64));
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>6} [{bar:30}] {pos}/{len} steps · {msg} · ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix(id.clone());
    let started = std::time::Instant::now();
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let limit = match minutes {
        Some(m) if !(m > 0.0 && m.is_finite()) => {
            return Err(format!("--minutes must be positive, not {m}"));
        }
        m => m.map(|m| std::time::Duration::from_secs_f64(m * 60.0)),
    };
    train(
        &cfg,
        backend,
        &paths(dir, state, &id),
        resume,
        limit,
        |step, loss, tok_s| {
            bar.set_position(step as u64);
            bar.set_message(format!("loss {loss:.3} · {tok_s} tok/s"));
            // The bar is hidden when stderr is a file: log a plain line now and then instead.
            if !on_terminal && step % 25 == 0 {
                eprintln!(
                    "{id} step {step}/{} loss {loss:.3} {tok_s} tok/s {:.0} s",
                    cfg.steps,
                    started.elapsed().as_secs_f64()
                );
            }
        },
    )
    .map_err(|e| e.to_string())?;
    bar.finish_with_message(format!("done in {:.0} s", started.elapsed().as_secs_f64()));
    Ok(())
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::LiveProbe(args) => live_probe(&args, cli.backend),
        Command::Train {
            preset,
            id,
            resume,
            minutes,
            overrides,
            seed,
            dir,
            state_dir,
        } => train_one(
            &preset,
            id,
            (resume, minutes),
            &overrides,
            seed,
            (dir.as_path(), state_dir.as_path()),
            cli.backend,
            &MultiProgress::new(),
        ),
        Command::Eval {
            model,
            ladder,
            stage,
            checkpoint,
            state_dir,
            episodes,
            seed,
            dir,
            markdown,
            rules,
            rule_queries,
            formats,
            visitor,
            tune,
            tune_k,
            tune_formats,
            tune_settings,
        } => {
            if ladder {
                return eval_ladder(&dir, stage, (episodes, seed), cli.backend);
            }
            let model = model.ok_or("--model or --ladder is required")?;
            let (m, step, out) = match &state_dir {
                Some(state) => {
                    let file = paths(&dir, state, &model).resume_file();
                    let (m, step) =
                        read_resume(&file, &cli.backend.device()).map_err(|e| e.to_string())?;
                    let step = step as u64;
                    let out = file.with_file_name(files::eval_state_file_at(step));
                    (m, step, out)
                }
                None => {
                    let (m, step) =
                        load_entry_weights(&dir, Some(&model), checkpoint, cli.backend)?;
                    let out = dir.join(&model).join(match checkpoint {
                        None => files::EVAL_FILE.to_string(),
                        Some(s) => files::eval_file_at(s),
                    });
                    (m, step, out)
                }
            };
            if tune > 0 {
                let settings = tune_settings.settings();
                let r = icl_model::train::tune_report::evaluate_tune(
                    &m,
                    (tune, rule_queries, seed),
                    (&tune_k, tune_formats),
                    settings,
                    |done, total| eprint!("\rtune {done}/{total}"),
                )
                .map_err(|e| e.to_string())?;
                eprintln!();
                outln!(
                    "tune ({tune_formats:?} formats): {} steps, lr {}, batch {}, moving {}, seed {}; {:.2} s per tune",
                    settings.steps,
                    settings.lr,
                    settings.batch,
                    settings.moving,
                    settings.seed,
                    r.seconds_per_tune
                );
                out!("{}", r.markdown());
                let file = out.with_file_name(match tune_formats {
                    TuneFormats::Default => files::TUNE_FILE,
                    TuneFormats::HeldOut => files::TUNE_HELD_OUT_FILE,
                });
                return write_json(&file, &r);
            }
            let mut report = evaluate(&m, &model, Some(step), episodes, seed);
            if rules > 0 {
                let r = icl_model::eval::rule_report::evaluate_rules(&m, rules, rule_queries, seed);
                out!("{}", r.markdown());
                report.rules = Some(r);
            }
            if formats > 0 {
                let r = icl_model::eval::format_report::evaluate_formats(
                    &m,
                    formats,
                    rules,
                    rule_queries,
                    seed,
                    &icl_model::eval::score::SHOTS,
                );
                out!("{}", r.markdown());
                report.formats = Some(r);
            }
            if visitor {
                let r = icl_model::eval::visitor_report::evaluate_visitor(
                    &m,
                    &icl_model::eval::score::SHOTS,
                );
                out!("{}", r.markdown());
                report.visitor = Some(r);
            }
            if markdown {
                out!("{}", report.markdown());
            } else {
                out!("{}", report.table());
                let e = icl_model::net::weights::f16_error(&m).map_err(|e| e.to_string())?;
                outln!(
                    "f16 vs f32 on the precision prompts: largest |Δlogit| {:.2e}, |Δlog p| {:.2e}, same greedy tokens: {}",
                    e.logit,
                    e.logprob,
                    e.greedy_same
                );
            }
            write_json(&out, &report)
        }
        Command::Ship {
            model,
            from,
            dir,
            default,
        } => {
            let e = icl_model::train::ship::ship(&from, &dir, &model, default)
                .map_err(|e| e.to_string())?;
            outln!(
                "shipped {model} at step {} with {} checkpoints into {}",
                e.training.steps,
                e.checkpoints.len(),
                dir.display()
            );
            Ok(())
        }
        Command::Thin { model, keep, dir } => {
            let dropped =
                icl_model::zoo::thin::thin(&dir, &model, keep).map_err(|e| e.to_string())?;
            outln!(
                "{model}: dropped {} checkpoints (steps {dropped:?}) from {}",
                dropped.len(),
                dir.display()
            );
            Ok(())
        }
        Command::Repack { model, dir } => {
            for (step, old, new) in
                icl_model::train::run::repack(&dir, &model).map_err(|e| e.to_string())?
            {
                outln!("step {step:>6}: {old} -> {new} bytes");
            }
            Ok(())
        }
        Command::Data {
            preset,
            step,
            n,
            overrides,
        } => {
            let mut cfg = TrainConfig::for_preset(&preset).map_err(|e| e.to_string())?;
            overrides.apply(&mut cfg)?;
            let config = cfg.model_config().map_err(|e| e.to_string())?;
            let (mix, _) = cfg
                .phase_mix(cfg.phase_of(step))
                .map_err(|e| e.to_string())?;
            let tok = icl_model::net::tokenizer::Tokenizer::default();
            let window = cfg.window_at(step, config.block_size);
            let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(
                cfg.seed.wrapping_add(step as u64),
            );
            for i in 0..n {
                let s = mix.sequence(&mut rng, &tok, window);
                outln!("--- sequence {i} (phase {}) ---", cfg.phase_of(step));
                outln!("{}", tok.decode(&s.ids[1..]));
            }
            Ok(())
        }
        Command::Rescore { model, dir } => {
            let curves = icl_model::train::run::rescore(&dir, &model, cli.backend)
                .map_err(|e| e.to_string())?;
            for p in &curves.points {
                let top = p.induction.iter().flatten().copied().fold(0.0, f32::max);
                outln!(
                    "step {:>6}: top induction {top:.3}, ICL score {:.3} (answers {:.3}), copy losses {:.3} / {:.3}",
                    p.step,
                    p.icl_score,
                    p.answer_icl_score,
                    p.loss_first_copy,
                    p.loss_second_copy
                );
            }
            Ok(())
        }
        Command::Zoo {
            resume,
            dir,
            state_dir,
        } => {
            let dirs = (dir.as_path(), state_dir.as_path());
            let bars = MultiProgress::new();
            let started = std::time::Instant::now();
            let one = |preset: &str| {
                let defaults = Overrides::default();
                train_one(
                    preset,
                    None,
                    (resume, None),
                    &defaults,
                    0,
                    dirs,
                    cli.backend,
                    &bars,
                )
            };
            // Two single-threaded runs side by side use the 2 cores best.
            let (a, b) = std::thread::scope(|s| {
                let small =
                    s.spawn(|| one(Preset::Attn1.name()).and_then(|()| one(Preset::Attn2.name())));
                let big = s.spawn(|| one(Preset::Base.name()));
                (small.join(), big.join())
            });
            a.map_err(|_| "a training thread panicked".to_string())??;
            b.map_err(|_| "a training thread panicked".to_string())??;
            outln!(
                "zoo trained in {:.1} min",
                started.elapsed().as_secs_f64() / 60.0
            );
            Ok(())
        }
        Command::Init {
            preset,
            id,
            seed,
            dir,
        } => {
            let config = ModelConfig::preset(&preset).map_err(|e| e.to_string())?;
            let model =
                Model::random(config, seed, &cli.backend.device()).map_err(|e| e.to_string())?;
            let id = id.unwrap_or(preset.clone());
            let mut info = BTreeMap::new();
            info.insert("seed".to_string(), seed.to_string());
            info.insert("steps".to_string(), "0".to_string());
            let (bytes, kept, err) = export(&model, &info).map_err(|e| e.to_string())?;
            let entry = ModelEntry {
                id: id.clone(),
                name: format!("{preset} (random weights)"),
                description: format!("Preset {preset} with untrained random weights (seed {seed})"),
                params: model.num_params() as u64,
                file: files::weights_file(&id),
                bytes: 0,
                sha256: String::new(),
                training: TrainingInfo {
                    steps: 0,
                    seed,
                    data: "random weights".to_string(),
                },
                checkpoints: Vec::new(),
                curves: None,
            };
            let entry = publish(&dir, entry, &bytes).map_err(|e| e.to_string())?;
            outln!(
                "wrote {} ({} parameters, {} bytes, f16 with {} tensors in f32; vs f32: max |Δlogit| {:.2e}, |Δlog p| {:.2e}), sha256 {}",
                dir.join(&entry.file).display(),
                entry.params,
                entry.bytes,
                kept.len(),
                err.logit,
                err.logprob,
                entry.sha256
            );
            if !kept.is_empty() {
                outln!(
                    "kept in f32 (plain f16 moved a logit by 1e-2 or more): {}",
                    kept.join(", ")
                );
            }
            Ok(())
        }
        Command::Complete {
            model,
            file,
            dir,
            prompt,
            prompt_file,
            temperature,
            top_k,
            top_p,
            seed,
            max_tokens,
            stop,
            json,
        } => {
            let m = load_model(&dir, model.as_deref(), file.as_ref(), cli.backend)?;
            let prompt = match (prompt, prompt_file) {
                (Some(p), _) => unescape(&p),
                (None, Some(f)) => {
                    std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?
                }
                (None, None) => return Err("give --prompt or --prompt-file".to_string()),
            };
            let sampling = SamplingConfig {
                temperature,
                top_k,
                top_p,
                seed,
                max_new_tokens: max_tokens,
                stop: if stop.is_empty() {
                    vec!["\n".to_string()]
                } else {
                    stop.iter().map(|s| unescape(s)).collect()
                },
            };
            let c = complete(&m, &prompt, sampling, None).map_err(|e| e.to_string())?;
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&c).map_err(|e| e.to_string())?
                );
                return Ok(());
            }
            outln!("{}", c.text);
            if c.unknown_chars > 0 {
                eprintln!(
                    "note: {} characters not in the model's alphabet were read as <unk>",
                    c.unknown_chars
                );
            }
            if c.dropped_tokens > 0 {
                eprintln!(
                    "note: the first {} prompt characters did not fit in the window",
                    c.dropped_tokens
                );
            }
            outln!(
                "\n{:>4}  {:<6} {:>7} {:>8}  top alternatives",
                "#",
                "token",
                "p",
                "log p"
            );
            for (i, t) in c.tokens.iter().enumerate() {
                let alts: Vec<String> = t
                    .top
                    .iter()
                    .map(|a| format!("{:?} {:.3}", a.text, a.prob))
                    .collect();
                outln!(
                    "{i:>4}  {:<6} {:>7.4} {:>8.3}  {}",
                    format!("{:?}", t.text),
                    t.prob,
                    t.logprob,
                    alts.join("  ")
                );
            }
            outln!("stopped by {:?}", c.stop);
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
