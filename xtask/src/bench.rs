//! `cargo xtask bench`: the speed figures of `icl_model::bench`, natively (criterion, the
//! `native` bench of the model crate) and in headless Chromium (the `bench_browser` wasm
//! test, built with and without `+simd128`), plus the wasm sizes of the built site, gathered
//! into `target/bench/report.json` and `target/bench/report.md`. With `--quick` every figure
//! is one short measurement of a few cases, natively and with SIMD only: the smoke check
//! `cargo xtask test` runs.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{cargo, root, run, tools};

/// A figure as `icl_model::bench::jobs::Figure` writes it (read as JSON, so the xtask does not build
/// the model crate).
pub type Figure = Value;

/// The manifest's models as `(id, file, sha256)`.
fn manifest_models(models: &Path) -> Result<Vec<(String, String, String)>, String> {
    let text = std::fs::read_to_string(models.join("manifest.json")).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
    let field = |m: &Value, k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    v.get("models")
        .and_then(Value::as_array)
        .ok_or("manifest.json has no models")?
        .iter()
        .map(
            |m| match (field(m, "id"), field(m, "file"), field(m, "sha256")) {
                (Some(id), Some(file), Some(sha)) => Ok((id, file, sha)),
                _ => Err("a manifest entry lacks id, file or sha256".to_string()),
            },
        )
        .collect()
}

/// What one benchmark run measures: everything, or `quick` one short case of each kind (the
/// smoke check), and `only` the jobs of one `what` (e.g. `tune`: one figure measured again
/// without the minutes of the rest).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub quick: bool,
    pub only: Option<String>,
}

/// Writes the Rust list of weight files the browser benchmark embeds.
fn write_model_list(scope: &Scope) -> Result<(), String> {
    let models = root().join("public/models");
    let list = manifest_models(&models)?;
    let quick = scope.quick;
    let only = &scope.only;
    let mut src = format!(
        "pub const QUICK: bool = {quick};\npub const ONLY: Option<&str> = {only:?};\npub const MODELS: &[(&str, &[u8], &str)] = &[\n"
    );
    for (id, file, sha256) in &list {
        let path = models.join(file);
        src += &format!(
            "    ({id:?}, include_bytes!({:?}), {sha256:?}),\n",
            path.display().to_string(),
        );
    }
    src += "];\n";
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("models.rs");
    // Rewriting identical contents would rebuild the test for nothing.
    if std::fs::read_to_string(&file).ok().as_deref() != Some(src.as_str()) {
        std::fs::write(&file, src).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Runs the browser benchmark and reads its `BENCH` lines. Without `simd`, the wasm is built
/// without `+simd128` (in its own target folder) and the figures' place reads
/// `browser-nosimd`.
fn browser(env: &tools::Env, scope: &Scope, simd: bool) -> Result<Vec<Figure>, String> {
    write_model_list(scope)?;
    let quick = scope.quick;
    let mut cmd = cargo();
    // The quick run builds exactly as the wasm tests did (flex only), so it reuses their build;
    // the full run adds ndarray to compare the backends.
    cmd.args(crate::wasm_test_args()).args([
        "--features",
        "browser-bench",
        "--test",
        "bench_browser",
    ]);
    if !quick {
        cmd.args(["--features", "ndarray-backend"]);
    }
    if !simd {
        // RUSTFLAGS replaces `.cargo/config.toml`'s flags for the target (a
        // `CARGO_TARGET_…_RUSTFLAGS` variable would be added to them), keeping the getrandom one.
        cmd.env(
            "RUSTFLAGS",
            "-C target-feature=-simd128 --cfg getrandom_backend=\"wasm_js\"",
        )
        .env("CARGO_TARGET_DIR", root().join("target/nosimd"));
    }
    cmd.args(["--", "--nocapture"])
        // The full run takes minutes (the race to an induction head alone two or three); the
        // runner's default limit is far shorter.
        .env("WASM_BINDGEN_TEST_TIMEOUT", "1800");
    let mut figures = browser_figures("browser benchmark", env, &mut cmd)?;
    if !simd {
        for f in &mut figures {
            if let Some(o) = f.as_object_mut() {
                o.insert("place".into(), Value::from("browser-nosimd"));
            }
        }
    }
    Ok(figures)
}

/// Runs `cmd`, a benchmark in headless Chromium, from the repository's root with the project's
/// tools, and reads the figures it printed (none is an error).
pub fn browser_figures(
    what: &str,
    env: &tools::Env,
    cmd: &mut Command,
) -> Result<Vec<Figure>, String> {
    cmd.env("PATH", &env.path)
        .env("CHROMEDRIVER", &env.chromedriver)
        .current_dir(root())
        .stdout(Stdio::piped());
    eprintln!("\n==> {what}: {cmd:?}");
    let out = cmd.output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("the {what} failed:\n{text}"));
    }
    let figures = read_figures(&text)?;
    if figures.is_empty() {
        return Err(format!("the {what} printed no figures:\n{text}"));
    }
    Ok(figures)
}

/// The figures a benchmark printed, one `BENCH {json}` line each.
fn read_figures(text: &str) -> Result<Vec<Figure>, String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("BENCH "))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("a figure could not be read: {e}"))
}

/// The browser figures of the lean path and the matmul limit, built without `+simd128`.
fn browser_nosimd(env: &tools::Env) -> Result<Vec<Figure>, String> {
    Ok(browser(env, &Scope::default(), false)?
        .into_iter()
        .filter(|f| {
            let s = |k: &str| {
                f.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            s("model") == "base" || s("what") == "matmul"
        })
        .collect())
}

/// The fastest matmul (GFLOP/s) measured in each place: the limit figures are compared with.
fn limits(figures: &[Figure]) -> std::collections::BTreeMap<String, f64> {
    let mut out = std::collections::BTreeMap::new();
    for f in figures {
        if f.get("what").and_then(Value::as_str) != Some("matmul") {
            continue;
        }
        let place = f.get("place").and_then(Value::as_str).unwrap_or_default();
        let v = f.get("value").and_then(Value::as_f64).unwrap_or(0.0);
        let e = out.entry(place.to_string()).or_insert(0.0);
        if v > *e {
            *e = v;
        }
    }
    out
}

fn figure_row(f: &Figure, limits: &std::collections::BTreeMap<String, f64>) -> String {
    let s = |k: &str| {
        f.get(k).map_or(String::new(), |v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    let num = |k: &str| f.get(k).and_then(Value::as_f64);
    let share = match (num("gflops"), limits.get(&s("place"))) {
        (Some(g), Some(&l)) if l > 0.0 && s("what") != "matmul" => {
            format!("{:.0} %", 100.0 * g / l)
        }
        _ => String::new(),
    };
    format!(
        "| {} | {} | {} | {} | {} | {:.2} {} | {} | {share} |",
        s("place"),
        s("backend"),
        s("what"),
        s("model"),
        s("size"),
        num("value").unwrap_or(f64::NAN),
        s("unit"),
        num("gflops").map(|g| format!("{g:.2}")).unwrap_or_default()
    )
}

/// The value of the first figure with `what` (and backend flex).
fn value_of(figures: &[Figure], what: &str) -> Option<(f64, u64, String)> {
    let f = figures.iter().find(|f| {
        f.get("what").and_then(Value::as_str) == Some(what)
            && f.get("backend").and_then(Value::as_str) == Some("flex")
    })?;
    Some((
        f.get("value").and_then(Value::as_f64)?,
        f.get("size").and_then(Value::as_u64).unwrap_or(0),
        f.get("unit")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    ))
}

/// Live training in the browser against natively (both one thread), same preset, same run:
/// tokens/s and their ratio, the one-thread matmul limit of each, the seconds to the
/// induction head and the 1-layer control's score.
fn training_lines(native: &[Figure], browser: &[Figure], quick: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some((n, ..)), Some((b, ..))) = (value_of(native, "train"), value_of(browser, "train"))
    {
        // A quick run times the browser's second step, before V8 has compiled the wasm's
        // optimised tier, against 50 ms of native steps: only the full run's ratio means much.
        let quick = if quick {
            " (quick: the browser's second step, before its optimising compiler; the full run times both in their steady state)"
        } else {
            ""
        };
        out.push(format!(
            "Training (live2, one thread): browser {b:.0} tokens/s, native {n:.0} tokens/s: {:.0} % of native{quick}.",
            100.0 * b / n
        ));
    }
    if let (Some((n, ..)), Some((b, ..))) = (
        value_of(native, "matmul-one-thread"),
        value_of(browser, "matmul"),
    ) {
        out.push(format!(
            "Matmul limit on one thread: browser {b:.1} GFLOP/s, native {n:.1} GFLOP/s: {:.0} % of native.",
            100.0 * b / n
        ));
    }
    if let (Some((n, k, _)), Some((b, ..))) = (value_of(native, "tune"), value_of(browser, "tune"))
    {
        let model = native
            .iter()
            .find(|f| f.get("what").and_then(Value::as_str) == Some("tune"))
            .and_then(|f| f.get("model").and_then(Value::as_str))
            .unwrap_or_default();
        out.push(format!(
            "Tune ({model} on {k} examples, the page's default settings, one thread): browser {:.2} s, native {:.2} s: browser/native {:.2}.",
            b / 1e3,
            n / 1e3,
            b / n
        ));
    }
    for (place, figures) in [("browser", browser), ("native", native)] {
        if let Some((s, step, unit)) = value_of(figures, "to-induction-0.4") {
            out.push(format!(
                "Induction head (live2, seed 0), {place}: top induction 0.4 after {s:.1} {unit} of training, step {step}."
            ));
        }
        if let Some((score, secs, _)) = value_of(figures, "control-induction") {
            out.push(format!(
                "1-layer control (live1, seed 0), {place}: top induction {score:.3} after {secs} s."
            ));
        }
    }
    out
}

/// Runs the benchmarks `scope` names and writes the report; returns where it went.
pub fn bench(scope: &Scope) -> Result<std::path::PathBuf, String> {
    bench_with(&tools::ensure(true)?, scope)
}

/// [`bench`] with the tools already installed.
pub fn bench_with(env: &tools::Env, scope: &Scope) -> Result<std::path::PathBuf, String> {
    let quick = scope.quick;
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let native_json = dir.join("native.json");
    // Natively, criterion measures the same jobs the browser runs. The full run uses the
    // bench profile (release); the quick one reuses the test build (the whole workspace, as
    // the native tests select it, so the features and the build are the same).
    let mut cmd = cargo();
    if quick {
        cmd.args(["test", "--workspace", "--bench", "native", "--", "--bench"])
            .env("ICL_BENCH_QUICK", "1");
    } else {
        cmd.args(["bench", "-p", "icl-model", "--bench", "native"]);
    }
    cmd.env("ICL_BENCH_OUT", &native_json);
    if let Some(only) = &scope.only {
        cmd.env("ICL_BENCH_ONLY", only);
    }
    run("native benchmark (criterion)", &mut cmd)?;
    let native: Vec<Figure> =
        serde_json::from_str(&std::fs::read_to_string(&native_json).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let mut browser = browser(env, scope, true)?;
    if !quick && scope.only.is_none() {
        browser.extend(browser_nosimd(env)?);
    }
    let dist = root().join("dist");
    // The full run measures the site as the working tree builds it now.
    if (!quick && scope.only.is_none()) || !dist.join("index.html").exists() {
        crate::build_site(env, crate::site::SUB_PATH)?;
    }
    browser.extend(crate::page_timing::measure(env, &dist)?);
    let sizes = crate::sizes::wasm_sizes(&dist);
    let loads = crate::sizes::loads(&sizes);
    let report = serde_json::json!({
        "quick": quick,
        "native": native,
        "browser": browser,
        "wasm": sizes.iter().map(|s| serde_json::json!({"file": s.file, "bytes": s.bytes, "gzip": s.gzip})).collect::<Vec<_>>(),
        "first_load_gzip": loads.first,
        "trainer_gzip": loads.trainer,
    });
    std::fs::write(
        dir.join("report.json"),
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
    )
    .map_err(|e| e.to_string())?;
    let mut md = String::from(
        "| where | backend | what | model | size | value | GFLOP/s | % of limit |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let all: Vec<Figure> = native.iter().chain(&browser).cloned().collect();
    let limits = limits(&all);
    for f in &all {
        md += &figure_row(f, &limits);
        md.push('\n');
    }
    let lines = training_lines(&native, &browser, quick);
    if !lines.is_empty() {
        md += &format!("\n{}\n", lines.join("\n"));
    }
    md += "\n| wasm file | bytes | gzip |\n|---|---|---|\n";
    for s in &sizes {
        md += &format!("| {} | {} | {} |\n", s.file, s.bytes, s.gzip);
    }
    md += &format!("\n{}\n", loads.line());
    std::fs::write(dir.join("report.md"), &md).map_err(|e| e.to_string())?;
    println!("{md}");
    Ok(dir.join("report.json"))
}
