//! The built site's time to ready in headless Chromium (`tests/tests/ready.rs`): the first
//! visit cold, its answer and curve, and a second visit warm. Figures in the benchmark's form.

use crate::{cargo, tools};

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
    .env("ICL_DIST", dist);
    crate::bench::browser_figures("time-to-ready benchmark", env, &mut cmd)
}
