//! The built site's time to ready in headless Chromium (`tests/tests/ready.rs`): the first
//! visit cold, its answer and curve, and a second visit warm. Figures in the benchmark's form.

use std::process::Stdio;

use crate::{cargo, root, tools};

/// The site in `dist`, opened as a visitor opens it: its figures (`BENCH` lines).
pub fn measure(
    env: &tools::Env,
    dist: &std::path::Path,
) -> Result<Vec<crate::bench::Figure>, String> {
    let mut cmd = cargo();
    cmd.args([
        "test",
        "--workspace",
        "--test",
        "ready",
        "--",
        "--ignored",
        "--nocapture",
    ])
    .env("ICL_DIST", dist)
    .env("PATH", &env.path)
    .env("CHROMEDRIVER", &env.chromedriver)
    .current_dir(root())
    .stdout(Stdio::piped());
    eprintln!("\n==> time to ready: {cmd:?}");
    let out = cmd.output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("the time-to-ready benchmark failed:\n{text}"));
    }
    crate::bench::read_figures(&text)
}
