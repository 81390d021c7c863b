//! `cargo xtask bench`: the speed figures of `icl_model::bench`, natively (`icl bench`) and in
//! headless Chromium (the `bench_browser` wasm test), plus the wasm sizes of the built site,
//! gathered into `target/bench/report.json` and `target/bench/report.md`. With `--quick`
//! every figure is one short iteration: the smoke check `cargo xtask test` runs.

use std::path::Path;
use std::process::Stdio;

use icl_model::bench::Figure;
use icl_model::manifest::{MANIFEST_FILE, Manifest};

use crate::{cargo, root, run, tools};

/// Writes the Rust list of weight files the browser benchmark embeds.
fn write_model_list(quick: bool) -> Result<(), String> {
    let models = root().join("public/models");
    let text = std::fs::read_to_string(models.join(MANIFEST_FILE)).map_err(|e| e.to_string())?;
    let manifest = Manifest::parse(&text).map_err(|e| e.to_string())?;
    let mut src = format!(
        "pub const QUICK: bool = {quick};\npub const MODELS: &[(&str, &[u8], &str)] = &[\n"
    );
    for e in &manifest.models {
        let path = models.join(&e.file);
        src += &format!(
            "    ({:?}, include_bytes!({:?}), {:?}),\n",
            e.id,
            path.display().to_string(),
            e.sha256
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

/// Runs the browser benchmark and reads its `BENCH` lines.
fn browser(env: &tools::Env, quick: bool) -> Result<Vec<Figure>, String> {
    write_model_list(quick)?;
    let mut cmd = cargo();
    cmd.args([
        "test",
        "-p",
        "icl-model",
        "--no-default-features",
        "--features",
        "browser-bench",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "bench_browser",
    ]);
    if !quick {
        cmd.arg("--release");
    }
    cmd.args(["--", "--nocapture"])
        .env("PATH", &env.path)
        .env("CHROMEDRIVER", &env.chromedriver)
        .current_dir(root())
        .stdout(Stdio::piped());
    eprintln!("\n==> browser benchmark: {cmd:?}");
    let out = cmd.output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("the browser benchmark failed:\n{text}"));
    }
    let figures: Vec<Figure> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("BENCH "))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("a browser figure could not be read: {e}"))?;
    if figures.is_empty() {
        return Err(format!("the browser benchmark printed no figures:\n{text}"));
    }
    Ok(figures)
}

/// Raw and gzip sizes of the site's wasm files.
fn wasm_sizes(dist: &Path) -> Vec<(String, u64, u64)> {
    let Ok(entries) = std::fs::read_dir(dist) else {
        return Vec::new();
    };
    let mut out: Vec<(String, u64, u64)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".wasm"))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            // Deflate at the highest level: what gzip -9 sends, less its 18-byte frame.
            let deflated = miniz_oxide::deflate::compress_to_vec(&bytes, 10).len() as u64 + 18;
            Some((
                e.file_name().to_string_lossy().into_owned(),
                bytes.len() as u64,
                deflated,
            ))
        })
        .collect();
    out.sort();
    out
}

fn figure_row(f: &Figure) -> String {
    format!(
        "| {} | {} | {} | {} | {} | {:.2} {} | {} |",
        f.place,
        f.backend,
        f.what,
        f.model,
        f.size,
        f.value,
        f.unit,
        f.gflops.map(|g| format!("{g:.2}")).unwrap_or_default()
    )
}

/// Runs every benchmark and writes the report; returns where it went.
pub fn bench(quick: bool) -> Result<std::path::PathBuf, String> {
    let env = tools::ensure(true)?;
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let native_json = dir.join("native.json");
    let mut cmd = cargo();
    cmd.args([
        "run",
        "-q",
        "-p",
        "icl-model",
        "--bin",
        "icl",
        "--",
        "bench",
    ]);
    if quick {
        cmd.arg("--quick");
    }
    cmd.arg("--out").arg(&native_json);
    run("native benchmark", &mut cmd)?;
    let native: Vec<Figure> =
        serde_json::from_str(&std::fs::read_to_string(&native_json).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let browser = browser(&env, quick)?;
    let dist = root().join("dist");
    if !dist.join("index.html").exists() {
        crate::build_site(&env)?;
    }
    let sizes = wasm_sizes(&dist);
    let report = serde_json::json!({
        "quick": quick,
        "native": native,
        "browser": browser,
        "wasm": sizes.iter().map(|(f, raw, gz)| serde_json::json!({"file": f, "bytes": raw, "gzip": gz})).collect::<Vec<_>>(),
    });
    std::fs::write(
        dir.join("report.json"),
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
    )
    .map_err(|e| e.to_string())?;
    let mut md = String::from(
        "| where | backend | what | model | size | value | GFLOP/s |\n|---|---|---|---|---|---|---|\n",
    );
    for f in native.iter().chain(&browser) {
        md += &figure_row(f);
        md.push('\n');
    }
    md += "\n| wasm file | bytes | gzip |\n|---|---|---|\n";
    for (f, raw, gz) in &sizes {
        md += &format!("| {f} | {raw} | {gz} |\n");
    }
    std::fs::write(dir.join("report.md"), &md).map_err(|e| e.to_string())?;
    println!("{md}");
    Ok(dir.join("report.json"))
}
