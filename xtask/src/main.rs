//! The README's two commands.
//!
//! - `cargo xtask serve`: install what is missing, build the release site, serve it on
//!   <http://127.0.0.1:8080>.
//! - `cargo xtask test`: install what is missing, then fmt, clippy, native tests, wasm tests in
//!   headless Chromium, the end-to-end tests and a one-iteration benchmark smoke check;
//!   prints a summary line.
//! - `cargo xtask site [--public-url PATH]`: the release site for hosting under `PATH`
//!   (default `/`) in `dist/`, as the GitHub Pages workflow builds it. `serve` takes the same
//!   option.
//! - `cargo xtask bench [--quick] [--only WHAT]`: speed figures natively and in headless
//!   Chromium (all, or only the jobs measuring WHAT, e.g. `tune`), written to
//!   `target/bench/report.json` and `report.md`.

mod bench;
mod page_timing;
mod site;
mod sizes;
mod tools;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Cases of the share-link fuzzing (web/src/share_fuzz.rs) in each test run: about 20 s.
const FUZZ_CASES: u32 = 50_000;

/// Where `cargo xtask serve` listens.
const SERVE_ADDR: &str = "127.0.0.1:8080";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

/// Each step's name and wall-clock time, in the order they ended.
static STEPS: Mutex<Vec<(String, Duration)>> = Mutex::new(Vec::new());

/// Notes how long a step took, for [`print_steps`].
fn record(step: &str, took: Duration) {
    if let Ok(mut steps) = STEPS.lock() {
        steps.push((step.to_string(), took));
    }
}

/// The table of steps and their seconds, printed at the end of a run, passed or failed.
fn print_steps() {
    let steps = STEPS.lock().map(|s| s.clone()).unwrap_or_default();
    println!("\nseconds per step:");
    for (step, took) in steps {
        println!("{:>8.1}  {step}", took.as_secs_f64());
    }
}

/// Runs a command in the repository root, echoing it; errors name the failed step.
fn run(step: &str, cmd: &mut Command) -> Result<(), String> {
    eprintln!("\n==> {step}: {cmd:?}");
    let started = Instant::now();
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{step}: {e}"))?;
    record(step, started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

/// Test counts read from `test result:` lines.
#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

/// Runs a test command, streaming its output and adding up its `test result:` lines.
fn run_tests(step: &str, cmd: &mut Command, counts: &mut Counts) -> Result<(), String> {
    eprintln!("\n==> {step}: {cmd:?}");
    let started = Instant::now();
    let mut child = cmd
        .current_dir(root())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{step}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        println!("{line}");
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(what)) = (words.next(), words.next()) {
                    let n: u64 = n.parse().unwrap_or(0);
                    match what {
                        "passed" => counts.passed += n,
                        "failed" => counts.failed += n,
                        "ignored" => counts.ignored += n,
                        _ => {}
                    }
                }
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    record(step, started.elapsed());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `trunk build --release --offline` into `dist/`.
/// Builds the release site into `dist/` for serving under `public_url` (`/`, or a sub-path
/// such as `/icl-playground/`). Trunk's post-build hook (`Trunk.toml`) runs
/// [`site::finish`] on it.
fn build_site(env: &tools::Env, public_url: &str) -> Result<PathBuf, String> {
    let mut cmd = Command::new(&env.trunk);
    cmd.args([
        "build",
        "--release",
        "--offline",
        "--public-url",
        public_url,
    ])
    .env("PATH", &env.path);
    run("build the site", &mut cmd)?;
    Ok(root().join("dist"))
}

/// The value of `--public-url` in `args`, or `default`.
fn public_url<'a>(args: &'a [String], default: &'a str) -> Result<&'a str, String> {
    match args.iter().position(|a| a == "--public-url") {
        None => Ok(default),
        Some(i) => match args.get(i + 1) {
            Some(u) if u.starts_with('/') && u.ends_with('/') => Ok(u),
            _ => Err(
                "--public-url takes a path that starts and ends with /, e.g. /icl-playground/"
                    .into(),
            ),
        },
    }
}

/// `cargo xtask site [--public-url PATH]`: the hosted artifact in `dist/`.
fn site_command(args: &[String]) -> Result<(), String> {
    let url = public_url(args, "/")?;
    let env = tools::ensure(false)?;
    let dist = build_site(&env, url)?;
    println!(
        "
the site for {url} is in {}",
        dist.display()
    );
    Ok(())
}

/// Trunk's post-build hook: finishes the staged site (see [`site`]).
fn finish_site() -> Result<(), String> {
    let dir = std::env::var("TRUNK_STAGING_DIR")
        .map_err(|_| "finish-site runs as trunk's post-build hook (no TRUNK_STAGING_DIR)")?;
    let url = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".into());
    site::finish(Path::new(&dir), &url)
}

fn serve(args: &[String]) -> Result<(), String> {
    let url = public_url(args, "/")?;
    let env = tools::ensure(false)?;
    let dist = build_site(&env, url)?;
    let server = icl_tests::StaticServer::start_at(&dist, SERVE_ADDR, url)
        .map_err(|e| format!("cannot listen on {SERVE_ADDR}: {e}"))?;
    println!(
        "\nICL Playground is served at {}  (Ctrl-C to stop)",
        server.url()
    );
    server.wait();
    Ok(())
}

/// The wasm tests of the model crate. They are built in release, without proptest and with
/// the page's own wasm dependencies, so that the site's build and the browser benchmark reuse
/// what they compiled (`model/Cargo.toml` says how).
fn wasm_test_args() -> [&'static str; 9] {
    [
        "test",
        "-p",
        "icl-model",
        "--no-default-features",
        "--features",
        "train",
        "--target",
        "wasm32-unknown-unknown",
        "--release",
    ]
}

/// clippy on the page's crates for wasm, with `extra` arguments (features), warnings as errors.
fn wasm_clippy(extra: &[&str]) -> Command {
    let mut cmd = cargo();
    cmd.args([
        "clippy",
        "-p",
        "icl-web",
        "-p",
        "icl-model",
        "--no-default-features",
    ])
    .args(extra)
    .args([
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    cmd
}

/// Every native cargo command selects the whole workspace, so that cargo resolves the same
/// features each time and compiles each dependency once for all of them.
fn test() -> Result<Counts, String> {
    let pending = tools::ensure_in_background(true)?;
    let mut counts = Counts::default();
    run("rustfmt", cargo().args(["fmt", "--all", "--check"]))?;
    run(
        "clippy (native)",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The GPU backend (burn's Vulkan) is built only for training on a GPU machine; checking it
    // here keeps it from rotting (docs/TRAINING.md).
    run(
        "clippy (gpu feature)",
        cargo().args([
            "clippy",
            "-p",
            "icl-model",
            "--features",
            "gpu",
            "--bins",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run("clippy (wasm)", &mut wasm_clippy(&[]))?;
    // The trainer worker's code (the web crate's `train` feature) is checked on its own: the
    // page and the inference worker are built without it.
    run(
        "clippy (wasm, trainer worker)",
        &mut wasm_clippy(&["--features", "icl-web/train"]),
    )?;
    run_tests(
        "native tests",
        cargo()
            .args(["test", "--workspace"])
            .env("ICL_FUZZ_CASES", FUZZ_CASES.to_string()),
        &mut counts,
    )?;
    let env = pending.wait()?;
    run_tests(
        "wasm tests in headless Chromium",
        cargo()
            .args(wasm_test_args())
            .env("PATH", &env.path)
            .env("CHROMEDRIVER", &env.chromedriver),
        &mut counts,
    )?;
    let dist = build_site(&env, site::SUB_PATH)?;
    run_tests(
        "end-to-end tests in headless Chromium",
        cargo()
            .args([
                "test",
                "--workspace",
                "--test",
                "e2e",
                "--",
                "--ignored",
                "--test-threads=1",
            ])
            .env("ICL_DIST", &dist)
            .env("ICL_AXE", &env.axe)
            .env("CHROMEDRIVER", &env.chromedriver),
        &mut counts,
    )?;
    bench::bench_with(
        &env,
        &bench::Scope {
            quick: true,
            only: None,
        },
    )?;
    Ok(counts)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let start = std::time::Instant::now();
    match args.first().map(String::as_str) {
        Some("serve") => match serve(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some("site") => match site_command(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some("finish-site") => match finish_site() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some("test") => match test() {
            Ok(c) => {
                print_steps();
                println!(
                    "\nxtask test: every step passed in {:.0} s ({} ignored)",
                    start.elapsed().as_secs_f64(),
                    c.ignored
                );
                println!("{} passed, {} failed", c.passed, c.failed);
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_steps();
                eprintln!("\nerror: {e}");
                println!(
                    "xtask test: FAILED after {:.0} s",
                    start.elapsed().as_secs_f64()
                );
                ExitCode::FAILURE
            }
        },
        Some("bench") => match bench::bench(&bench::Scope {
            quick: args.iter().any(|a| a == "--quick"),
            only: args
                .iter()
                .position(|a| a == "--only")
                .and_then(|i| args.get(i + 1).cloned()),
        }) {
            Ok(report) => {
                println!("report: {}", report.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("\nerror: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask serve | cargo xtask test | cargo xtask bench [--quick] [--only WHAT]"
            );
            ExitCode::FAILURE
        }
    }
}
