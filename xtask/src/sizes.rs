//! The built site's wasm sizes, raw and as a browser downloads them (gzip), and what the first
//! load fetches: the page's app and its inference worker. The trainer worker's wasm (the
//! training code) is fetched only when the visitor first trains or tunes.

use std::path::Path;

use icl_tests::{TRAINER_WASM, WORKER_WASM};

/// The most the first load's wasm may weigh, gzip (bytes): the app's and the inference
/// worker's together.
pub const FIRST_LOAD_BUDGET: u64 = 1_200_000;

/// One wasm file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasmSize {
    pub file: String,
    pub bytes: u64,
    /// Deflated at the highest level plus gzip's 18-byte frame: what `gzip -9` sends.
    pub gzip: u64,
}

/// What a visitor's browser fetches, gzip (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loads {
    /// The app's wasm and the inference worker's: the first load.
    pub first: u64,
    /// The trainer worker's wasm, fetched on the first Train or Tune.
    pub trainer: u64,
}

impl Loads {
    /// The report's line about them.
    pub fn line(&self) -> String {
        let verdict = if self.first <= FIRST_LOAD_BUDGET {
            "within"
        } else {
            "OVER"
        };
        format!(
            "first load (app + inference worker wasm, gzip): {} KB, {verdict} the budget of {} KB; \
             trainer worker (on the first Train or Tune): {} KB",
            kb(self.first),
            kb(FIRST_LOAD_BUDGET),
            kb(self.trainer)
        )
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.0}", bytes as f64 / 1000.0)
}

/// Raw and gzip sizes of the site's wasm files, by name.
pub fn wasm_sizes(dist: &Path) -> Vec<WasmSize> {
    let Ok(entries) = std::fs::read_dir(dist) else {
        return Vec::new();
    };
    let mut out: Vec<WasmSize> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".wasm"))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            let deflated = miniz_oxide::deflate::compress_to_vec(&bytes, 10).len() as u64;
            Some(WasmSize {
                file: e.file_name().to_string_lossy().into_owned(),
                bytes: bytes.len() as u64,
                gzip: deflated + 18,
            })
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// The first load and the trainer from the site's sizes (the app's wasm is trunk's hashed
/// `app-…_bg.wasm`).
pub fn loads(sizes: &[WasmSize]) -> Loads {
    let gzip = |is: &dyn Fn(&str) -> bool| -> u64 {
        sizes.iter().filter(|s| is(&s.file)).map(|s| s.gzip).sum()
    };
    let app = gzip(&|f| f.starts_with("app-") && f.ends_with("_bg.wasm"));
    Loads {
        first: app + gzip(&|f| f == WORKER_WASM),
        trainer: gzip(&|f| f == TRAINER_WASM),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(file: &str, gzip: u64) -> WasmSize {
        WasmSize {
            file: file.into(),
            bytes: gzip * 3,
            gzip,
        }
    }

    #[test]
    fn the_first_load_is_the_app_and_the_inference_worker() {
        let sizes = [
            size("app-0123abcd_bg.wasm", 600_000),
            size(WORKER_WASM, 500_000),
            size(TRAINER_WASM, 1_200_000),
        ];
        let l = loads(&sizes);
        assert_eq!(
            l,
            Loads {
                first: 1_100_000,
                trainer: 1_200_000
            }
        );
        assert!(l.line().contains("1100 KB, within"), "{}", l.line());
        let heavy = loads(&[size("app-x_bg.wasm", 700_000), size(WORKER_WASM, 600_000)]);
        assert!(heavy.line().contains("OVER"), "{}", heavy.line());
    }
}
