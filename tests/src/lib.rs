//! Harness for workspace-level tests (and `cargo xtask serve`): a static file server for the
//! built site, and a headless Chromium driven through chromedriver.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The sub-path the end-to-end tests serve the site under, as GitHub Pages serves a project's
/// site (`/<repository>/`); the site is built for it.
pub const SUB_PATH: &str = "/icl-playground/";

/// The wasm of the page's trainer worker (trunk's `trainer` target in `index.html`): the
/// training code, fetched only when the visitor first trains or tunes.
pub const TRAINER_WASM: &str = "trainer_bg.wasm";

/// The wasm of the page's inference worker (trunk's `worker` target), fetched on first load.
pub const WORKER_WASM: &str = "worker_bg.wasm";

/// MIME type by file extension (browsers insist on `application/wasm` for streaming compile).
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a file under `root`, refusing anything that climbs out of it.
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = root.join(rel);
    if full.is_dir() {
        Some(full.join("index.html"))
    } else {
        Some(full)
    }
}

/// A static file server on a background thread; stops when dropped. Like GitHub Pages, it
/// serves the site under a path (`mount`) and answers a missing file with the site's
/// `404.html`, status 404.
pub struct StaticServer {
    pub addr: SocketAddr,
    mount: String,
    server: Arc<tiny_http::Server>,
    /// While set, every request gets 503 (the site is unreachable).
    offline: Arc<std::sync::atomic::AtomicBool>,
    /// The path of every request so far, in order (the workers' own fetches too, which the
    /// page's resource timing does not list).
    requested: Arc<std::sync::Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` at `/` on `addr` (use port 0 for any free port).
    pub fn start(root: &Path, addr: &str) -> io::Result<Self> {
        Self::start_at(root, addr, "/")
    }

    /// Serves `root` under `mount` (`/`, or a sub-path like [`SUB_PATH`]) on `addr`.
    pub fn start_at(root: &Path, addr: &str, mount: &str) -> io::Result<Self> {
        let server = Arc::new(tiny_http::Server::http(addr).map_err(io::Error::other)?);
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("server has no IP address"))?;
        let root = root.to_path_buf();
        let prefix = mount.to_string();
        let s = server.clone();
        let offline = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let off = offline.clone();
        let requested = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = requested.clone();
        let thread = std::thread::spawn(move || {
            for req in s.incoming_requests() {
                if let Ok(mut log) = log.lock() {
                    log.push(req.url().to_string());
                }
                if off.load(std::sync::atomic::Ordering::SeqCst) {
                    let _ = req
                        .respond(tiny_http::Response::from_string("offline").with_status_code(503));
                    continue;
                }
                let file = req
                    .url()
                    .strip_prefix(prefix.as_str())
                    .and_then(|rest| resolve(&root, rest))
                    .and_then(|p| std::fs::read(&p).ok().map(|b| (p, b)));
                let (status, file) = match file {
                    Some(f) => (200, Some(f)),
                    None => {
                        let p = root.join("404.html");
                        (404, std::fs::read(&p).ok().map(|b| (p, b)))
                    }
                };
                let _ = match file {
                    Some((p, bytes)) => {
                        let ct = tiny_http::Header::from_bytes("Content-Type", mime(&p))
                            .expect("valid header");
                        req.respond(
                            tiny_http::Response::from_data(bytes)
                                .with_header(ct)
                                .with_status_code(status),
                        )
                    }
                    None => req.respond(
                        tiny_http::Response::from_string("not found").with_status_code(404),
                    ),
                };
            }
        });
        Ok(Self {
            addr,
            mount: mount.to_string(),
            server,
            offline,
            requested,
            thread: Some(thread),
        })
    }

    /// Makes the site unreachable (every request answered 503) or reachable again.
    pub fn set_offline(&self, offline: bool) {
        self.offline
            .store(offline, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether any request so far asked for a file whose name ends with `file` (its query
    /// string aside).
    pub fn was_requested(&self, file: &str) -> bool {
        self.requested.lock().is_ok_and(|log| {
            log.iter()
                .any(|url| url.split('?').next().is_some_and(|p| p.ends_with(file)))
        })
    }

    /// `http://addr/mount`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.mount)
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Where the headless browser saves downloads: emptied when the test process first asks, so a
/// file left by an earlier process with the same id is never read as this one's.
pub fn download_dir() -> PathBuf {
    static EMPTIED: std::sync::Once = std::sync::Once::new();
    let dir = std::env::temp_dir().join(format!("icl-e2e-downloads-{}", std::process::id()));
    EMPTIED.call_once(|| {
        let _ = std::fs::remove_dir_all(&dir);
    });
    dir
}

/// A chromedriver process on a free local port; killed when dropped.
pub struct ChromeDriver {
    pub port: u16,
    child: Child,
}

impl ChromeDriver {
    /// Starts `chromedriver` (or `$CHROMEDRIVER`) and waits until it accepts connections.
    pub fn start() -> io::Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "{bin}: {e} (install chromium and chromium-driver, or run cargo xtask test)"
                    ),
                )
            })?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(io::Error::other("chromedriver did not start within 20 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Self { port, child })
    }

    /// WebDriver URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Capabilities for a headless Chromium that works as root on a machine without network.
    pub fn capabilities() -> serde_json::Map<String, serde_json::Value> {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ];
        let mut opts = serde_json::json!({
            "args": args,
            "prefs": {
                "download.default_directory": download_dir().to_string_lossy(),
                "download.prompt_for_download": false,
                // Several files in a row (a chart's four formats) without asking.
                "profile.default_content_setting_values.automatic_downloads": 1,
            },
        });
        if let Ok(bin) = std::env::var("CHROME_BIN") {
            opts["binary"] = bin.into();
        } else if Path::new("/usr/bin/chromium").exists() {
            opts["binary"] = "/usr/bin/chromium".into();
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), opts);
        caps
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The id of the page's default model: the first that `public/models/manifest.json` lists
/// (the page opens it).
pub fn default_model() -> String {
    let path = repo_root().join("public/models/manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    manifest["models"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{} lists no model", path.display()))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_paths_outside_the_root() {
        let root = Path::new("/srv/site");
        assert_eq!(
            resolve(root, "/models/a.bin?x=1"),
            Some(root.join("models/a.bin"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/a/../../b"), None);
        assert_eq!(mime(Path::new("x.wasm")), "application/wasm");
    }

    #[test]
    fn serves_files_and_404s() {
        let dir = std::env::temp_dir().join(format!("icl-static-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        let server = StaticServer::start(&dir, "127.0.0.1:0").unwrap();
        let get = |path: &str| {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(server.addr).unwrap();
            write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            out
        };
        let ok = get("/");
        assert!(
            ok.starts_with("HTTP/1.0 200") || ok.starts_with("HTTP/1.1 200"),
            "{ok}"
        );
        assert!(ok.contains("text/html") && ok.ends_with("<p>hi</p>"));
        assert!(get("/missing.js").contains(" 404 "));
        drop(server);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
