//! Installs what the build and tests need, skipping what is already there.
//!
//! Everything comes from package registries: the wasm32 target through rustup, trunk and
//! wasm-bindgen-cli through cargo (trunk is told to use the local wasm-bindgen and never to
//! download), wasm-opt from the npm package `binaryen`, and on Debian/Ubuntu as root, Chromium
//! and chromedriver through apt-get.

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::JoinHandle;

use crate::root;

/// Where an install step's output goes: the terminal, or a log file when the installs run
/// in the background beside the first test steps.
#[derive(Clone, Copy)]
enum Out<'a> {
    Terminal,
    Log(&'a Path),
}

impl Out<'_> {
    fn run(self, step: &str, cmd: &mut Command) -> Result<(), String> {
        if let Out::Log(path) = self {
            let file = File::options()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let err = file.try_clone().map_err(|e| e.to_string())?;
            cmd.stdout(Stdio::from(file)).stderr(Stdio::from(err));
        }
        crate::run(step, cmd)
    }
}

/// trunk release used to build the site (0.21 builds with the stable toolchain here).
const TRUNK_VERSION: &str = "0.21.14";
/// npm package version of binaryen whose wasm-opt reads today's wasm-bindgen output.
const BINARYEN_VERSION: &str = "132.0.0";
/// npm package version of axe-core, the accessibility checker the end-to-end tests run.
const AXE_VERSION: &str = "4.14.1";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths the later steps use.
pub struct Env {
    pub trunk: PathBuf,
    pub chromedriver: PathBuf,
    /// axe-core's `axe.min.js`.
    pub axe: PathBuf,
    /// `PATH` with the project's tools first.
    pub path: OsString,
}

/// First line of `prog --version`, if it runs.
fn version_of(prog: &Path) -> Option<String> {
    let out = Command::new(prog).arg("--version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    })
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

fn which(name: &str, path: &OsString) -> Option<PathBuf> {
    std::env::split_paths(path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The wasm-bindgen version Cargo.lock pins (trunk and the test runner must match it exactly).
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("Cargo.lock does not pin wasm-bindgen".into())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_install(out: Out, packages: &[&str], why: &str) -> Result<(), String> {
    let has_apt = Path::new("/usr/bin/apt-get").exists();
    if !(has_apt && is_root()) {
        return Err(format!(
            "{why} is missing: install the packages {} (Debian/Ubuntu names) and run again",
            packages.join(" ")
        ));
    }
    out.run(
        "apt-get update",
        Command::new("apt-get").args(["update", "-q"]),
    )?;
    out.run(
        &format!("install {}", packages.join(" ")),
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// The project's tools first, then `PATH`.
fn tool_path() -> Result<OsString, String> {
    let mut dirs = vec![root().join(".tools/node_modules/.bin"), cargo_bin()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).map_err(|e| e.to_string())
}

/// The wasm32 standard library, which the wasm clippy step needs before anything else.
fn ensure_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let has_target = installed.as_ref().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l == WASM_TARGET)
    });
    if has_target {
        return Ok(());
    }
    crate::run(
        "add the wasm32 target",
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
    )
}

/// Makes sure every tool is there; `browser` adds Chromium and chromedriver (for tests).
pub fn ensure(browser: bool) -> Result<Env, String> {
    ensure_target()?;
    ensure_tools(Out::Terminal, browser)
}

/// Installs that are still running, started by [`ensure_in_background`].
pub struct Pending {
    handle: JoinHandle<Result<Env, String>>,
    log: PathBuf,
}

impl Pending {
    /// Waits for the installs; on failure the error carries the end of their log.
    pub fn wait(self) -> Result<Env, String> {
        let started = std::time::Instant::now();
        let result = self
            .handle
            .join()
            .unwrap_or_else(|_| Err("the install thread panicked".into()));
        crate::record("wait for the installs", started.elapsed());
        result.map_err(|e| {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!(
                "{e}\n(the last lines of {}:)\n{}",
                self.log.display(),
                tail.join("\n")
            )
        })
    }
}

/// Adds the wasm32 target now, then installs the other tools on a thread of their own, with
/// their output in `target/xtask-install.log`, so that they build while the first test steps
/// (which need none of them) run; [`Pending::wait`] joins them.
pub fn ensure_in_background(browser: bool) -> Result<Pending, String> {
    ensure_target()?;
    let dir = root().join("target");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let log = dir.join("xtask-install.log");
    std::fs::write(&log, "").map_err(|e| e.to_string())?;
    let thread_log = log.clone();
    let handle = std::thread::spawn(move || ensure_tools(Out::Log(&thread_log), browser));
    eprintln!(
        "\n==> installing missing tools in the background (log: {})",
        log.display()
    );
    Ok(Pending { handle, log })
}

fn ensure_tools(out: Out, browser: bool) -> Result<Env, String> {
    let bin = cargo_bin();
    let tools_bin = root().join(".tools/node_modules/.bin");
    let path = tool_path()?;

    // trunk.
    let trunk = bin.join("trunk");
    if version_of(&trunk).as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        out.run(
            "install trunk",
            Command::new("cargo")
                .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION])
                .args(["--no-default-features", "--features", "rustls"]),
        )?;
    }

    // wasm-bindgen-cli at exactly the locked version (not --locked: one of its locked
    // dependencies is missing from the registry mirror).
    let wb = locked_wasm_bindgen()?;
    if version_of(&bin.join("wasm-bindgen")).as_deref() != Some(&format!("wasm-bindgen {wb}")) {
        out.run(
            "install wasm-bindgen-cli",
            Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb]),
        )?;
    }

    // wasm-opt from the npm package binaryen, and axe-core, in one npm install (npm removes
    // packages a later install does not name).
    let want = format!(
        "wasm-opt version {}",
        BINARYEN_VERSION.split('.').next().unwrap_or("")
    );
    let modules = root().join(".tools/node_modules");
    let axe = modules.join("axe-core/axe.min.js");
    let axe_version = std::fs::read_to_string(modules.join("axe-core/package.json"))
        .ok()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
        .and_then(|p| p["version"].as_str().map(String::from));
    if !version_of(&tools_bin.join("wasm-opt")).is_some_and(|v| v.starts_with(&want))
        || axe_version.as_deref() != Some(AXE_VERSION)
    {
        if which("npm", &path).is_none() {
            apt_install(
                out,
                &["nodejs", "npm"],
                "npm (needed for wasm-opt from the binaryen package)",
            )?;
        }
        out.run(
            "install wasm-opt (npm binaryen) and axe-core",
            Command::new("npm")
                .args([
                    "install",
                    "--prefix",
                    ".tools",
                    "--no-audit",
                    "--no-fund",
                    "--no-save",
                ])
                .arg(format!("binaryen@{BINARYEN_VERSION}"))
                .arg(format!("axe-core@{AXE_VERSION}")),
        )?;
    }

    // Chromium and chromedriver.
    let mut chromedriver = PathBuf::from("chromedriver");
    if browser {
        if which("chromedriver", &path).is_none() || which("chromium", &path).is_none() {
            apt_install(
                out,
                &["chromium", "chromium-driver"],
                "Chromium or chromedriver",
            )?;
        }
        chromedriver = which("chromedriver", &path)
            .ok_or("chromedriver is not on PATH after installing it")?;
    }
    Ok(Env {
        trunk,
        chromedriver,
        axe,
        path,
    })
}
