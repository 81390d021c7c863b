//! Training: AdamW with linear warmup, cosine decay and gradient-norm clipping, deterministic
//! from a seed; log-spaced checkpoints; curves (losses, per-head induction scores, ICL score)
//! written as JSON beside the weights; resumable from the last checkpoint.
//!
//! The batch of step `s` is drawn from an RNG seeded by `(seed, s)`, so a resumed run sees the
//! same data as an uninterrupted one. Optimiser moments are not stored in checkpoints (they
//! would triple the shipped size); a resumed run restarts them, with a short re-warmup.
//!
//! Long because the loop, checkpoints, curves, resume and publishing are one run's life and
//! share its state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::tensor::Device;

use crate::eval::metrics::{HEAD_PROBE, head_scores, icl_scores};
use crate::net::backend::Backend;
use crate::net::config::Preset;
use crate::net::model::Model;
use crate::net::tokenizer::Tokenizer;
use crate::net::transformer::Transformer;
use crate::net::weights::{DType, export, from_bytes, to_bytes, to_bytes_mixed};
use crate::train::config::{RunPreset, SettingsError, TrainConfig};
pub use crate::train::curves::{CurvePoint, Curves};
use crate::train::step::Stepper;
use crate::zoo::files::{CURVES_FILE, RESUME_FILE, checkpoint_file, write_atomic};
use crate::zoo::manifest::{CheckpointEntry, Manifest, ModelEntry, TrainingInfo};

/// Why a run, a rescore or a repack stopped, with the file it was reading or writing.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{0}: no step recorded")]
    NoStep(PathBuf),
    #[error("the interrupted run used other settings; start afresh without --resume")]
    OtherSettings,
    #[error(transparent)]
    Manifest(#[from] crate::zoo::manifest::FolderError),
    #[error("no model {0:?} in the manifest")]
    NoModel(String),
}

/// The error of reading or writing `path`.
fn at<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
    path: &Path,
) -> impl FnOnce(E) -> RunError {
    let path = path.to_path_buf();
    move |e| RunError::File {
        path,
        source: e.into(),
    }
}

/// Where a run writes.
pub struct Paths {
    /// Shipped files: `public/models` (manifest, checkpoints, curves).
    pub dir: PathBuf,
    /// Resumable full-precision state, not shipped: `model/runs`.
    pub state: PathBuf,
    pub id: String,
}

impl Paths {
    fn checkpoint_file(&self, step: usize) -> String {
        checkpoint_file(&self.id, step as u64)
    }
    fn curves(&self) -> PathBuf {
        self.dir.join(&self.id).join(CURVES_FILE)
    }
    /// Full-precision state for resuming (not shipped).
    pub fn resume_file(&self) -> PathBuf {
        self.state.join(&self.id).join(RESUME_FILE)
    }
}

fn evaluate(
    net: &Transformer,
    device: &Device,
    step: usize,
    cfg: &TrainConfig,
    acc: (f32, f32, usize, usize),
    tokens: u64,
) -> CurvePoint {
    let p = HEAD_PROBE;
    let scores = head_scores(net, device, p.seed, p.strings, p.len);
    let icl = icl_scores(net, device, 4321, 2);
    CurvePoint {
        step,
        tokens,
        lr: cfg.lr_at(step.saturating_sub(1)),
        loss: (acc.2 > 0).then(|| acc.0 / acc.2 as f32),
        answer_loss: (acc.3 > 0).then(|| acc.1 / acc.3 as f32),
        induction: scores.induction,
        previous_token: scores.previous_token,
        icl_score: icl.icl,
        answer_icl_score: icl.answers,
        loss_first_copy: scores.loss_first_copy,
        loss_second_copy: scores.loss_second_copy,
    }
}

/// Trains one zoo model, writing checkpoints, curves and the final weights into `paths.dir`
/// and the manifest. With `resume`, continues from `resume.bin` and the curves file. With a
/// time `limit`, stops after the first step that ends past it, writing the resumable state
/// (so a run moves between machines: `--resume` continues it on any backend).
pub fn train(
    cfg: &TrainConfig,
    backend: Backend,
    paths: &Paths,
    resume: bool,
    limit: Option<std::time::Duration>,
    mut progress: impl FnMut(usize, f32, u64),
) -> Result<Model, RunError> {
    let config = cfg.model_config()?;
    let plain = backend.device();
    let device = plain.clone().autodiff();
    let tok = Tokenizer::default();
    let checkpoints = cfg.checkpoint_steps();
    for dir in [paths.dir.join(&paths.id), paths.state.join(&paths.id)] {
        std::fs::create_dir_all(&dir).map_err(at(&dir))?;
    }

    let resume_file = paths.resume_file();
    let (net, mut curves, start) = if resume && resume_file.exists() {
        let (m, step) = read_resume(&resume_file, &device)?;
        let mut curves = read_curves(paths)?;
        if curves.train != *cfg {
            // A run may be continued by later phases appended to its settings, once it
            // has finished or while it is still before them: until a phase's start its
            // schedule, data and checkpoints are those of the run that ends there.
            let continued = cfg
                .phases
                .iter()
                .any(|p| step <= p.from && curves.train == cfg.ending_at(p.from));
            if !continued {
                return Err(RunError::OtherSettings);
            }
            eprintln!("{}: continuing with phase {}", paths.id, cfg.phase_of(step));
            curves.train = cfg.clone();
            // Recorded at once: a resume from a save inside the new phase must match.
            write_curves(paths, &curves)?;
        }
        eprintln!("resuming {} at step {step}", paths.id);
        (m.net, curves, step)
    } else {
        let net = config.init_seeded(&device, cfg.seed);
        (
            net,
            Curves {
                model: paths.id.clone(),
                train: cfg.clone(),
                config: config.clone(),
                points: Vec::new(),
            },
            0,
        )
    };
    let block = config.block_size;
    let mut stepper = Stepper::new(cfg, config.clone(), plain.clone(), Some((net, start)))?;
    let mut acc = (0.0f32, 0.0f32, 0usize, 0usize);
    if start == 0 {
        curves.points.push(evaluate(
            &stepper.valid(),
            &plain,
            0,
            cfg,
            (0.0, 0.0, 0, 0),
            0,
        ));
    }
    let started = Instant::now();
    for _ in start..cfg.steps {
        let l = stepper.step();
        acc.0 += l.loss;
        acc.2 += 1;
        if l.answer_loss.is_finite() {
            acc.1 += l.answer_loss;
            acc.3 += 1;
        }
        let done = stepper.step;
        progress(
            done,
            l.loss,
            (cfg.tokens_after(done, block) - cfg.tokens_after(start, block)) * 1_000
                / started.elapsed().as_millis().max(1) as u64,
        );
        if checkpoints.contains(&done) {
            let valid = stepper.valid();
            curves.points.push(evaluate(
                &valid,
                &plain,
                done,
                cfg,
                acc,
                cfg.tokens_after(done, block),
            ));
            acc = (0.0, 0.0, 0, 0);
            let model = Model::new(config.clone(), tok.clone(), valid, plain.clone());
            write_checkpoint(&model, cfg, paths, done, &curves)?;
        } else if done % RESUME_EVERY == 0 {
            // Late checkpoints are far apart: keep the resumable state fresh in between.
            write_resume(&stepper.model(), cfg, paths, done)?;
        }
        if done < cfg.steps && limit.is_some_and(|l| started.elapsed() >= l) {
            if !checkpoints.contains(&done) && done % RESUME_EVERY != 0 {
                // The curves too: a stop before the first checkpoint has written none.
                write_curves(paths, &curves)?;
                write_resume(&stepper.model(), cfg, paths, done)?;
            }
            eprintln!(
                "{}: time limit reached at step {done} of {}; continue with --resume",
                paths.id, cfg.steps
            );
            break;
        }
    }
    Ok(stepper.model())
}

/// Recomputes the scores of every point of a model's curves (head scores, ICL score, copy
/// losses) from its shipped checkpoints, keeping the training losses; step 0 is the seeded
/// initialisation. Used when a metric's definition changes after training.
pub fn rescore(dir: &Path, id: &str, backend: Backend) -> Result<Curves, RunError> {
    let paths = Paths {
        dir: dir.to_path_buf(),
        state: PathBuf::new(),
        id: id.to_string(),
    };
    let mut curves = read_curves(&paths)?;
    let device = backend.device();
    for point in &mut curves.points {
        let net = if point.step == 0 {
            curves.config.init_seeded(&device, curves.train.seed)
        } else {
            let file = dir.join(paths.checkpoint_file(point.step));
            let bytes = std::fs::read(&file).map_err(at(&file))?;
            from_bytes(&bytes, &device).map_err(at(&file))?.0.net
        };
        let fresh = evaluate(
            &net,
            &device,
            point.step,
            &curves.train,
            (0.0, 0.0, 0, 0),
            point.tokens,
        );
        *point = CurvePoint {
            loss: point.loss,
            answer_loss: point.answer_loss,
            lr: point.lr,
            ..fresh
        };
    }
    write_curves(&paths, &curves)?;
    Ok(curves)
}

/// Re-encodes every shipped checkpoint of a model in the current file format, each tensor in
/// the precision it was stored in, and updates the manifest. Returns
/// `(step, old bytes, new bytes)` per checkpoint.
pub fn repack(dir: &Path, id: &str) -> Result<Vec<(u64, u64, u64)>, RunError> {
    let mut manifest = Manifest::read(dir)?;
    let mut entry = manifest
        .get(id)
        .cloned()
        .ok_or_else(|| RunError::NoModel(id.to_string()))?;
    let device = Backend::Flex.device();
    let mut report = Vec::new();
    for c in &mut entry.checkpoints {
        let file = dir.join(&c.file);
        let old = std::fs::read(&file).map_err(at(&file))?;
        let (model, info) = from_bytes(&old, &device).map_err(at(&file))?;
        let bytes = to_bytes_mixed(&model, info.dtype, &info.f32_tensors, &info.info);
        if bytes != old {
            write_atomic(&file, &bytes).map_err(at(&file))?;
        }
        report.push((c.step, old.len() as u64, bytes.len() as u64));
        c.bytes = bytes.len() as u64;
        c.sha256 = crate::net::weights::sha256_hex(&bytes);
        if c.file == entry.file {
            entry.bytes = c.bytes;
            entry.sha256 = c.sha256.clone();
        }
    }
    manifest.upsert(entry);
    manifest.write(dir)?;
    Ok(report)
}

/// Steps between saves of the resumable state, besides the one at every checkpoint. A run
/// resumed from such a save restarts the loss averages of the next curve point.
pub const RESUME_EVERY: usize = 100;

/// The largest file of a resumable state: a state larger than this (a model of more than
/// ~3.9M parameters in f32) is written in parts, `resume.bin`, `resume.bin.2`, ..., so it can
/// be carried between machines as files of at most 15 MB.
pub const STATE_PART_BYTES: usize = 15_000_000;

/// The full-precision state `--resume` continues from.
fn write_resume(
    model: &Model,
    cfg: &TrainConfig,
    paths: &Paths,
    step: usize,
) -> Result<(), RunError> {
    let mut info = BTreeMap::new();
    info.insert("step".to_string(), step.to_string());
    info.insert("seed".to_string(), cfg.seed.to_string());
    let file = paths.resume_file();
    write_parts(&file, &to_bytes(model, DType::F32, &info)).map_err(at(&file))
}

/// The name of part `n` (from 1) of a state written at `file`.
fn part_file(file: &Path, n: usize) -> PathBuf {
    if n == 1 {
        file.to_path_buf()
    } else {
        let mut name = file.as_os_str().to_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }
}

/// Writes `bytes` as parts of at most [`STATE_PART_BYTES`], the later ones first and the
/// first last, and removes parts a larger earlier state left beyond them.
fn write_parts(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parts: Vec<&[u8]> = bytes.chunks(STATE_PART_BYTES).collect();
    for (i, part) in parts.iter().enumerate().rev() {
        write_atomic(&part_file(file, i + 1), part)?;
    }
    let mut n = parts.len().max(1) + 1;
    while part_file(file, n).exists() {
        std::fs::remove_file(part_file(file, n))?;
        n += 1;
    }
    Ok(())
}

/// A state written by [`write_parts`]: its parts joined in order.
fn read_parts(file: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = std::fs::read(file)?;
    let mut n = 2;
    while bytes.len() == (n - 1) * STATE_PART_BYTES && part_file(file, n).exists() {
        bytes.extend(std::fs::read(part_file(file, n))?);
        n += 1;
    }
    Ok(bytes)
}

/// A run's resumable state, as `write_resume` left it: the model and the step it had reached.
pub fn read_resume(file: &Path, device: &Device) -> Result<(Model, usize), RunError> {
    let bytes = read_parts(file).map_err(at(file))?;
    let (m, info) = from_bytes(&bytes, device).map_err(at(file))?;
    let step = info
        .info
        .get("step")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RunError::NoStep(file.to_path_buf()))?;
    Ok((m, step))
}

fn write_curves(paths: &Paths, curves: &Curves) -> Result<(), RunError> {
    let file = paths.curves();
    let json = serde_json::to_string(curves).map_err(at(&file))? + "\n";
    write_atomic(&file, json.as_bytes()).map_err(at(&file))
}

fn read_curves(paths: &Paths) -> Result<Curves, RunError> {
    read_curves_file(&paths.curves())
}

/// A run's training curves from their file.
pub fn read_curves_file(file: &Path) -> Result<Curves, RunError> {
    let text = std::fs::read_to_string(file).map_err(at(file))?;
    serde_json::from_str(&text).map_err(at(file))
}

fn write_checkpoint(
    model: &Model,
    cfg: &TrainConfig,
    paths: &Paths,
    step: usize,
    curves: &Curves,
) -> Result<(), RunError> {
    let mut info = BTreeMap::new();
    info.insert("step".to_string(), step.to_string());
    info.insert("seed".to_string(), cfg.seed.to_string());
    let file = paths.checkpoint_file(step);
    let path = paths.dir.join(&file);
    let (bytes, _, _) = export(model, &info).map_err(at(&path))?;
    write_atomic(&path, &bytes).map_err(at(&path))?;
    write_curves(paths, curves)?;
    // The resumable state (f32), written last so a crash never leaves it ahead of the curves.
    write_resume(model, cfg, paths, step)?;

    // Manifest: the newest checkpoint is the model; every checkpoint is listed for scrubbing.
    let mut manifest = Manifest::read_or_default(&paths.dir)?;
    let mut ckpts: Vec<CheckpointEntry> = manifest
        .get(&paths.id)
        .map(|e| {
            e.checkpoints
                .iter()
                .filter(|c| c.step < step as u64)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    ckpts.push(CheckpointEntry {
        step: step as u64,
        file: file.clone(),
        bytes: bytes.len() as u64,
        sha256: crate::net::weights::sha256_hex(&bytes),
    });
    let entry = ModelEntry {
        id: paths.id.clone(),
        name: display_name(cfg),
        description: description(cfg),
        params: model.num_params() as u64,
        file,
        bytes: 0,
        sha256: String::new(),
        training: TrainingInfo {
            steps: step as u64,
            seed: cfg.seed,
            data: cfg.describe_data(),
        },
        checkpoints: ckpts,
        curves: Some(format!("{}/{CURVES_FILE}", paths.id)),
    };
    manifest.record(&paths.dir, entry, &bytes)?;
    Ok(())
}

/// Whether a run's data writes its examples in many formats (a rule learner's, or a ladder
/// rung continued as one).
fn any_format(cfg: &TrainConfig) -> bool {
    cfg.phases.iter().any(|p| p.formats.is_some()) || cfg.formats.is_some()
}

/// The name the page shows for a run's model (written at each checkpoint, and afresh when it
/// is shipped).
pub fn display_name(cfg: &TrainConfig) -> String {
    let layers = cfg.model_config().map_or(0, |c| c.n_layers);
    let formats = any_format(cfg);
    match cfg.preset {
        RunPreset::Zoo(Preset::Learner) | RunPreset::Rung(_) if formats => {
            format!("{layers}-layer rule learner, any format")
        }
        RunPreset::Zoo(Preset::Learner) if layers != 5 => format!("{layers}-layer rule learner"),
        RunPreset::Zoo(Preset::Attn1) => "1-layer attention-only".into(),
        RunPreset::Zoo(Preset::Attn2) => "2-layer attention-only".into(),
        RunPreset::Zoo(Preset::Base) => "4-layer transformer".into(),
        RunPreset::Zoo(Preset::Learner) => "5-layer rule learner".into(),
        RunPreset::Live(_) => cfg.preset.to_string(),
        RunPreset::Rung(n) => format!("Ladder rung {n} ({})", count_layers(layers)),
    }
}

/// `1 layer`, `6 layers`.
fn count_layers(n: usize) -> String {
    if n == 1 {
        "1 layer".into()
    } else {
        format!("{n} layers")
    }
}

/// The one line the page shows under a run's model (as [`display_name`]).
pub fn description(cfg: &TrainConfig) -> String {
    let layers = cfg.model_config().map_or(0, |c| c.n_layers);
    let any_format_learner = format!(
        "{layers} layers with MLPs, meta-trained on a space of string programs (one to three \
         steps such as drop(1) | upper(last), answers about the input, words of a phrase) on \
         visitor-like inputs, in many prompt formats: it learns a rule it never saw from the \
         examples, written as the visitor writes them."
    );
    match cfg.preset {
        RunPreset::Zoo(Preset::Attn1) => {
            "One attention layer and no MLPs: it cannot form an induction head.".into()
        }
        RunPreset::Zoo(Preset::Attn2) => {
            "Two attention layers, no MLPs: the smallest model that forms induction heads.".into()
        }
        RunPreset::Zoo(Preset::Learner) if any_format(cfg) => any_format_learner,
        RunPreset::Rung(n) if any_format(cfg) => {
            format!("Rung {n} of the ladder continued as a rule learner: {any_format_learner}")
        }
        RunPreset::Zoo(Preset::Learner) => {
            "Five layers with MLPs, meta-trained on a space of string programs \
                      (one to three steps such as drop(1) | upper(last)) on visitor-like inputs: \
                      it learns a rule it never saw from the examples."
                .into()
        }
        RunPreset::Zoo(Preset::Base) => {
            let Some((p, rest)) = cfg.phases.split_first() else {
                return "Four layers with MLPs, trained on few-shot tasks: the in-context learner."
                    .into();
            };
            let later: String = rest
                .iter()
                .map(|p| {
                    format!(
                        ", and from step {} weighted to the fixed rules it still got wrong",
                        p.from
                    )
                })
                .collect();
            if cfg.tasks.is_some() {
                format!(
                    "Four layers with MLPs, trained first on rules read letter by letter from \
                     the examples (a random substitution), then from step {} on every few-shot \
                     task{later}: the in-context learner.",
                    p.from
                )
            } else {
                format!(
                    "Four layers with MLPs, trained on few-shot tasks, from step {} weighted to \
                     rules read letter by letter from the examples{later}: the in-context \
                     learner.",
                    p.from
                )
            }
        }
        RunPreset::Live(_) => format!("Preset {}", cfg.preset),
        RunPreset::Rung(n) => format!(
            "Rung {n} of the ladder: the learner's family at {} of width {}, trained by one \
             recipe on the rule space and multi-digit addition, for seeing which abilities jump \
             with size and which improve smoothly.",
            count_layers(layers),
            cfg.model_config().map_or(0, |c| c.d_model)
        ),
    }
}

/// Where a run writes: shipped files under `dir`, resumable state under `state`.
pub fn paths(dir: &Path, state: &Path, id: &str) -> Paths {
    Paths {
        dir: dir.to_path_buf(),
        state: state.to_path_buf(),
        id: id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    use crate::net::tensors::batch_tokens;
    use crate::net::transformer::ForwardOptions;
    use crate::rules::corpus::DataMix;
    use crate::rules::tasks::Task;
    use crate::train::config::Phase;
    use crate::train::step::batch_loss;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn a_rung_of_one_layer_is_named_in_the_singular() {
        let name = |n: usize| display_name(&TrainConfig::for_preset(&format!("rung{n}")).unwrap());
        let layers = |n: usize| {
            TrainConfig::for_preset(&format!("rung{n}"))
                .unwrap()
                .model_config()
                .unwrap()
                .n_layers
        };
        assert_eq!(layers(0), 1);
        assert_eq!(name(0), "Ladder rung 0 (1 layer)");
        assert_eq!(name(3), format!("Ladder rung 3 ({} layers)", layers(3)));
        let cfg = TrainConfig::for_preset("rung1").unwrap();
        assert!(description(&cfg).contains("at 1 layer of width"));
    }

    #[test]
    fn answer_weight_changes_the_objective_not_the_reported_losses() {
        let cfg = ModelConfig {
            block_size: 48,
            ..ModelConfig::preset("attn2").unwrap()
        };
        let device = Backend::Flex.device();
        let net = cfg.init_seeded(&device, 3);
        let tok = Tokenizer::default();
        let mix = DataMix::new(0.0);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let rows: Vec<_> = (0..4).map(|_| mix.sequence(&mut rng, &tok, 48)).collect();
        let (plain, total, answer) = batch_loss(&net, &rows, &device, 1.0);
        let plain = plain.into_scalar::<f32>();
        assert!((plain - total).abs() < 1e-5, "{plain} vs {total}");
        let (weighted, total3, answer3) = batch_loss(&net, &rows, &device, 3.0);
        assert_eq!((total, answer), (total3, answer3));
        // The weighted objective lies between the plain mean and the answer mean, nearer the
        // answer mean.
        let w = weighted.into_scalar::<f32>();
        let (lo, hi) = (total.min(answer), total.max(answer));
        assert!(w > lo && w < hi, "{w} not in {lo}..{hi}");
        assert!((w - answer).abs() < (total - answer).abs());
    }

    /// A finished run continued by its later phases ends where a run with every phase from the
    /// start ends, whether it stopped before the second phase or the third; a phase that does
    /// not start where the run stopped is refused.
    #[test]
    fn a_finished_run_continues_into_its_later_phases_as_if_uninterrupted() {
        let dir = std::env::temp_dir().join(format!("icl-phase-{}", std::process::id()));
        let full = TrainConfig {
            steps: 30,
            batch_size: 2,
            warmup: 5,
            checkpoints: 2,
            linear_checkpoints: 0,
            block_size: Some(32),
            window: Some(28),
            phases: vec![
                Phase {
                    from: 20,
                    lr: 1e-3,
                    tasks: vec![Task::Copy, Task::Reverse],
                    answer_weight: 3.0,
                    checkpoints: 1,
                    window: Some(24),
                    programs: None,
                    formats: None,
                    batch_size: None,
                },
                Phase {
                    from: 25,
                    lr: 5e-4,
                    tasks: vec![Task::SortLetters],
                    answer_weight: 2.0,
                    checkpoints: 1,
                    window: None,
                    programs: None,
                    formats: None,
                    batch_size: None,
                },
            ],
            ..TrainConfig::for_preset("attn1").unwrap()
        };
        let first = full.ending_at(20);
        assert!(first.phases.is_empty());
        assert_eq!(
            first.checkpoint_steps(),
            [10, 20],
            "the first phase's checkpoints"
        );
        let middle = full.ending_at(25);
        assert_eq!(middle.phases, full.phases[..1]);
        assert_eq!(middle.checkpoint_steps(), [10, 20, 25]);
        assert_eq!(
            full.ending_at(26),
            TrainConfig {
                steps: 26,
                ..full.clone()
            }
        );
        let whole = paths(&dir, &dir.join("state"), "whole");
        let split = paths(&dir, &dir.join("state"), "split");
        let a = train(&full, Backend::Flex, &whole, false, None, |_, _, _| {}).unwrap();
        train(&first, Backend::Flex, &split, false, None, |_, _, _| {}).unwrap();
        let other = TrainConfig {
            phases: vec![Phase {
                from: 15,
                ..full.phases[0].clone()
            }],
            ..full.clone()
        };
        assert!(train(&other, Backend::Flex, &split, true, None, |_, _, _| {}).is_err());
        let mut steps = Vec::new();
        train(&middle, Backend::Flex, &split, true, None, |s, _, _| {
            steps.push(s)
        })
        .unwrap();
        assert_eq!(steps.first(), Some(&21), "continued after step 20");
        steps.clear();
        let b = train(&full, Backend::Flex, &split, true, None, |s, _, _| {
            steps.push(s)
        })
        .unwrap();
        assert_eq!(steps.first(), Some(&26), "continued after step 25");
        let ids = Tokenizer::default()
            .encode_with_bos("in: stone\nout: enots")
            .ids;
        let logits = |m: &Model| {
            crate::net::tensors::to_vec(
                m.net
                    .forward(
                        batch_tokens(std::slice::from_ref(&ids), &m.device),
                        &ForwardOptions::default(),
                    )
                    .logits,
            )
        };
        let (la, lb) = (logits(&a), logits(&b));
        let diff = la
            .iter()
            .zip(&lb)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max);
        assert!(diff < 1e-4, "max |Δlogit| {diff}");
        let curves: Curves =
            serde_json::from_str(&std::fs::read_to_string(split.curves()).unwrap()).unwrap();
        assert_eq!(curves.train, full);
        let at: Vec<usize> = curves.points.iter().map(|p| p.step).collect();
        let mut expected = vec![0];
        expected.extend(full.checkpoint_steps());
        assert_eq!(at, expected);
        // The first phase's rows are 28 characters, the second's 24, the third's the model's
        // window, 32.
        let tokens = curves.points.last().unwrap().tokens;
        assert_eq!(
            tokens,
            (full.batch_size * (20 * 28 + 5 * 24 + 5 * 32)) as u64
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A run stopped by its time limit leaves its state at the step it reached; the state
    /// carries no trace of the backend, so the run resumes on another one (here flex, then
    /// ndarray, as a GPU run resumes on the CPU) and trains on to its end.
    #[test]
    fn a_run_stopped_by_its_time_limit_resumes_on_another_backend() {
        let dir = std::env::temp_dir().join(format!("icl-move-{}", std::process::id()));
        let cfg = TrainConfig {
            steps: 12,
            batch_size: 2,
            warmup: 2,
            checkpoints: 2,
            linear_checkpoints: 0,
            block_size: Some(32),
            ..TrainConfig::for_preset("attn1").unwrap()
        };
        let p = paths(&dir, &dir.join("state"), "moved");
        let mut reached = 0;
        train(
            &cfg,
            Backend::Flex,
            &p,
            false,
            Some(std::time::Duration::ZERO),
            |s, _, _| reached = s,
        )
        .unwrap();
        assert_eq!(reached, 1, "stopped after the first step");
        let (_, step) = read_resume(&p.resume_file(), &Backend::Ndarray.device()).unwrap();
        assert_eq!(step, 1);
        let mut steps = Vec::new();
        let m = train(&cfg, Backend::Ndarray, &p, true, None, |s, _, _| {
            steps.push(s)
        })
        .unwrap();
        assert_eq!(steps, (2..=12).collect::<Vec<_>>());
        assert!(m.num_params() > 0);
        let (_, step) = read_resume(&p.resume_file(), &Backend::Flex.device()).unwrap();
        assert_eq!(step, 12);
        let curves: Curves =
            serde_json::from_str(&std::fs::read_to_string(p.curves()).unwrap()).unwrap();
        assert_eq!(curves.points.last().unwrap().step, 12);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A state larger than a part is written as parts of at most `STATE_PART_BYTES`, read
    /// back whole; a later, smaller state removes the parts it no longer needs.
    #[test]
    fn large_states_are_carried_in_parts_of_at_most_15_mb() {
        let dir = std::env::temp_dir().join(format!("icl-parts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("resume.bin");
        let big: Vec<u8> = (0..2 * STATE_PART_BYTES + 7)
            .map(|i| (i % 251) as u8)
            .collect();
        write_parts(&file, &big).unwrap();
        let sizes: Vec<u64> = (1..=4)
            .map(|n| std::fs::metadata(part_file(&file, n)).map_or(0, |m| m.len()))
            .collect();
        assert_eq!(
            sizes,
            [STATE_PART_BYTES as u64, STATE_PART_BYTES as u64, 7, 0]
        );
        assert_eq!(read_parts(&file).unwrap(), big);
        write_parts(&file, &big[..10]).unwrap();
        assert!(!part_file(&file, 2).exists() && !part_file(&file, 3).exists());
        assert_eq!(read_parts(&file).unwrap(), &big[..10]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// An interruption between far-apart checkpoints loses at most `RESUME_EVERY` steps.
    #[test]
    fn an_interrupted_run_resumes_from_the_last_periodic_save() {
        let dir = std::env::temp_dir().join(format!("icl-resume-{}", std::process::id()));
        let cfg = TrainConfig {
            steps: RESUME_EVERY + 20,
            batch_size: 2,
            warmup: 5,
            checkpoints: 2,
            linear_checkpoints: 0,
            block_size: Some(32),
            ..TrainConfig::for_preset("attn1").unwrap()
        };
        let p = paths(&dir, &dir.join("state"), "cut");
        let crash_at = RESUME_EVERY + 10;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            train(&cfg, Backend::Flex, &p, false, None, |step, _, _| {
                assert!(step < crash_at, "simulated crash");
            })
        }));
        assert!(run.is_err(), "the run was interrupted");
        let saved = std::fs::read(p.resume_file()).unwrap();
        let (_, info) = from_bytes(&saved, &Backend::Flex.device()).unwrap();
        assert_eq!(info.info["step"], RESUME_EVERY.to_string());
        let mut first = None;
        train(&cfg, Backend::Flex, &p, true, None, |step, _, _| {
            first.get_or_insert(step);
        })
        .unwrap();
        assert_eq!(
            first,
            Some(RESUME_EVERY + 1),
            "resumed after the periodic save"
        );
        // Settings that append a phase to the interrupted run continue it too.
        let crashed = TrainConfig {
            steps: crash_at + 5,
            ..cfg.clone()
        };
        let p = paths(&dir, &dir.join("state"), "cut-again");
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            train(&crashed, Backend::Flex, &p, false, None, |step, _, _| {
                assert!(step < crash_at, "simulated crash");
            })
        }));
        assert!(run.is_err(), "the run was interrupted");
        // The appended phase has one checkpoint, at its end, and a periodic save inside it.
        let appended = TrainConfig {
            steps: 2 * RESUME_EVERY + 10,
            phases: vec![Phase {
                from: crashed.steps,
                checkpoints: 1,
                ..Phase::per_letter(0)
            }],
            ..crashed.clone()
        };
        let cut_in_phase = 2 * RESUME_EVERY + 5;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            train(&appended, Backend::Flex, &p, true, None, |step, _, _| {
                assert!(step < cut_in_phase, "simulated crash");
            })
        }));
        assert!(
            run.is_err(),
            "the continued run was interrupted in its new phase"
        );
        let mut steps = Vec::new();
        train(&appended, Backend::Flex, &p, true, None, |s, _, _| {
            steps.push(s)
        })
        .unwrap();
        assert_eq!(
            steps.first(),
            Some(&(2 * RESUME_EVERY + 1)),
            "resumed inside the appended phase"
        );
        assert_eq!(steps.last(), Some(&appended.steps));
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A tiny model trains for a bounded number of steps and its loss falls.
    #[test]
    fn tiny_training_lowers_the_loss() {
        let dir = std::env::temp_dir().join(format!("icl-train-{}", std::process::id()));
        let cfg = TrainConfig {
            steps: 60,
            batch_size: 8,
            warmup: 10,
            checkpoints: 3,
            linear_checkpoints: 0,
            ..TrainConfig::for_preset("attn1").unwrap()
        };
        let p = paths(&dir, &dir.join("state"), "tiny");
        let mut losses = Vec::new();
        train(&cfg, Backend::Flex, &p, false, None, |_, l, _| {
            losses.push(l)
        })
        .unwrap();
        let first: f32 = losses[..5].iter().sum::<f32>() / 5.0;
        let last: f32 = losses[losses.len() - 5..].iter().sum::<f32>() / 5.0;
        assert!(last < first - 0.5, "loss {first} -> {last}");
        let curves: Curves =
            serde_json::from_str(&std::fs::read_to_string(p.curves()).unwrap()).unwrap();
        assert_eq!(curves.points.len(), 1 + cfg.checkpoint_steps().len());
        // Resuming a finished run changes nothing and loads.
        train(&cfg, Backend::Flex, &p, true, None, |_, _, _| {}).unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }
}
