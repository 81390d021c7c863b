//! The native benchmarks: the jobs of `icl_model::bench` (the same ones the browser runs),
//! measured by criterion. After criterion's own report, each job's median time per run
//! becomes a figure in `$ICL_BENCH_OUT` (default `target/bench/native.json`), which
//! `cargo xtask bench` merges with the browser's.
//!
//! `ICL_BENCH_QUICK=1` keeps one short case of each kind and measures it briefly (the smoke
//! check `cargo xtask test` runs).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use burn::tensor::Device;
use criterion::Criterion;
use icl_model::bench::clock::{Clock, native_clock};
use icl_model::bench::jobs::{
    Figure, MATMUL_ONE_THREAD, STEADY_MEASURE_MS, TRAIN, TUNE, jobs, load_all, matmul_ms,
    race_figures, train_stepper, tune_ms, tune_settings,
};
use icl_model::zoo::manifest::{MANIFEST_FILE, Manifest};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Median time per iteration (ms) criterion estimated for `id`.
fn estimate_ms(dir: &Path, id: &str) -> Result<f64, String> {
    let file = dir.join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    v["median"]["point_estimate"]
        .as_f64()
        .map(|ns| ns / 1e6)
        .ok_or_else(|| format!("{}: no median", file.display()))
}

fn main() -> Result<(), String> {
    let quick = std::env::var("ICL_BENCH_QUICK").is_ok_and(|v| v == "1");
    let out = std::env::var("ICL_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target/bench/native.json"));
    let models_dir = root().join("public/models");
    let text =
        std::fs::read_to_string(models_dir.join(MANIFEST_FILE)).map_err(|e| e.to_string())?;
    let manifest = Manifest::parse(&text).map_err(|e| e.to_string())?;
    let models: Vec<(String, Vec<u8>, String)> = manifest
        .models
        .iter()
        .filter(|e| !quick || e.id == "attn1")
        .map(|e| {
            std::fs::read(models_dir.join(&e.file))
                .map(|b| (e.id.clone(), b, e.sha256.clone()))
                .map_err(|err| format!("{}: {err}", e.file))
        })
        .collect::<Result<_, _>>()?;
    let loaded = load_all(&models);
    let criterion_dir = root().join("target/criterion");
    let (warm, measure) = if quick {
        (10, 50)
    } else {
        (500, STEADY_MEASURE_MS as u64)
    };
    let mut c = Criterion::default()
        .output_directory(&criterion_dir)
        .warm_up_time(Duration::from_millis(warm))
        .measurement_time(Duration::from_millis(measure))
        .sample_size(10)
        .configure_from_args();
    let tick: Clock = native_clock;
    let mut all = jobs(&loaded, tick, quick);
    // `cargo xtask bench --only WHAT`: one kind of figure measured again.
    let only = std::env::var("ICL_BENCH_ONLY").ok();
    all.retain(|j| only.as_ref().is_none_or(|o| &j.what == o));
    // Training runs on one thread, as in the browser's worker; the other jobs on all cores.
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| e.to_string())?;
    for job in &mut all {
        let id = job.id();
        if job.what == TRAIN {
            // The job's own steps, run inside the one-thread pool.
            let mut stepper = train_stepper();
            c.bench_function(&id, |b| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    one_thread.install(|| {
                        for _ in 0..iters {
                            stepper.step();
                        }
                    });
                    start.elapsed()
                })
            });
        } else if job.what == TUNE {
            // On one thread, as the browser's worker tunes.
            let m = &loaded
                .iter()
                .find(|l| l.id == job.model)
                .expect("the tuned model is loaded")
                .model;
            let settings = tune_settings(quick);
            c.bench_function(&id, |b| {
                b.iter_custom(|iters| {
                    let ms =
                        one_thread.install(|| tune_ms(m, native_clock, settings, iters as usize));
                    Duration::from_secs_f64(ms / 1e3)
                })
            });
        } else {
            c.bench_function(&id, |b| {
                b.iter_custom(|iters| Duration::from_secs_f64((job.run)(iters as usize) / 1e3))
            });
        }
    }
    // The matmul limit on the one thread training has (flex's product is multi-threaded).
    let device = Device::flex();
    let n = if quick { 64 } else { 512 };
    let one_thread_matmul = format!("flex.{MATMUL_ONE_THREAD}.-.{n}");
    c.bench_function(&one_thread_matmul, |b| {
        b.iter_custom(|iters| {
            let ms = one_thread.install(|| matmul_ms(&device, native_clock, n, iters as usize));
            Duration::from_secs_f64(ms / 1e3)
        })
    });
    c.final_summary();
    let mut figures: Vec<Figure> = all
        .iter()
        .map(|job| estimate_ms(&criterion_dir, &job.id()).map(|ms| job.figure("native", ms)))
        .collect::<Result<_, _>>()?;
    let ms = estimate_ms(&criterion_dir, &one_thread_matmul)?;
    figures.push(Figure {
        place: "native".into(),
        backend: "flex".into(),
        what: MATMUL_ONE_THREAD.into(),
        model: String::new(),
        size: n,
        value: 2.0 * (n as f64).powi(3) / (ms / 1e3) / 1e9,
        unit: "GFLOP/s".into(),
        gflops: None,
    });
    if !quick && only.is_none() {
        // Minutes, not a criterion sample: once, on one thread like the browser's worker.
        figures.extend(
            one_thread
                .install(|| race_figures("native", &device, native_clock))
                .map_err(|e| e.to_string())?,
        );
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let json = serde_json::to_string_pretty(&figures).map_err(|e| e.to_string())?;
    std::fs::write(&out, json + "\n").map_err(|e| e.to_string())?;
    println!("{} figures -> {}", figures.len(), out.display());
    Ok(())
}
