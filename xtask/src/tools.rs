//! Installs what the build and tests need, skipping what is already there.
//!
//! Everything comes from package registries: the wasm32 target through rustup, trunk and
//! wasm-bindgen-cli through cargo (trunk is told to use the local wasm-bindgen and never to
//! download), wasm-opt from the npm package `binaryen`, and on Debian/Ubuntu as root, Chromium
//! and chromedriver through apt-get.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// trunk release used to build the site (0.21 builds with the stable toolchain here).
const TRUNK_VERSION: &str = "0.21.14";
/// npm package version of binaryen whose wasm-opt reads today's wasm-bindgen output.
const BINARYEN_VERSION: &str = "132.0.0";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths the later steps use.
pub struct Env {
    pub trunk: PathBuf,
    pub chromedriver: PathBuf,
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

fn apt_install(packages: &[&str], why: &str) -> Result<(), String> {
    let has_apt = Path::new("/usr/bin/apt-get").exists();
    if !(has_apt && is_root()) {
        return Err(format!(
            "{why} is missing: install the packages {} (Debian/Ubuntu names) and run again",
            packages.join(" ")
        ));
    }
    run(
        "apt-get update",
        Command::new("apt-get").args(["update", "-q"]),
    )?;
    run(
        &format!("install {}", packages.join(" ")),
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Makes sure every tool is there; `browser` adds Chromium and chromedriver (for tests).
pub fn ensure(browser: bool) -> Result<Env, String> {
    let bin = cargo_bin();
    let tools_bin = root().join(".tools/node_modules/.bin");
    let mut dirs = vec![tools_bin.clone(), bin.clone()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path = std::env::join_paths(dirs).map_err(|e| e.to_string())?;

    // wasm32 target.
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let has_target = installed.as_ref().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l == WASM_TARGET)
    });
    if !has_target {
        run(
            "add the wasm32 target",
            Command::new("rustup").args(["target", "add", WASM_TARGET]),
        )?;
    }

    // trunk.
    let trunk = bin.join("trunk");
    if version_of(&trunk).as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        run(
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
        run(
            "install wasm-bindgen-cli",
            Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb]),
        )?;
    }

    // wasm-opt from the npm package binaryen.
    let want = format!(
        "wasm-opt version {}",
        BINARYEN_VERSION.split('.').next().unwrap_or("")
    );
    if !version_of(&tools_bin.join("wasm-opt")).is_some_and(|v| v.starts_with(&want)) {
        if which("npm", &path).is_none() {
            apt_install(
                &["nodejs", "npm"],
                "npm (needed for wasm-opt from the binaryen package)",
            )?;
        }
        run(
            "install wasm-opt (npm binaryen)",
            Command::new("npm")
                .args([
                    "install",
                    "--prefix",
                    ".tools",
                    "--no-audit",
                    "--no-fund",
                    "--no-save",
                ])
                .arg(format!("binaryen@{BINARYEN_VERSION}")),
        )?;
    }

    // Chromium and chromedriver.
    let mut chromedriver = PathBuf::from("chromedriver");
    if browser {
        if which("chromedriver", &path).is_none() || which("chromium", &path).is_none() {
            apt_install(&["chromium", "chromium-driver"], "Chromium or chromedriver")?;
        }
        chromedriver = which("chromedriver", &path)
            .ok_or("chromedriver is not on PATH after installing it")?;
    }
    Ok(Env {
        trunk,
        chromedriver,
        path,
    })
}
