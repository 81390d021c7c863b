//! `public/models/manifest.json`: the list of models the page offers, with checksums.

use serde::{Deserialize, Serialize};

use crate::zoo::files::write_atomic;

/// File name of the manifest inside the models folder.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Version of the manifest layout.
pub const MANIFEST_VERSION: u32 = 1;

/// How a model was trained (or that it was not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainingInfo {
    /// Optimiser steps taken (0: random weights).
    pub steps: u64,
    /// Seed of the run.
    pub seed: u64,
    /// What the model was trained on, e.g. "random weights" or a task mix.
    pub data: String,
}

/// One weight file (a model, or one training checkpoint of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelEntry {
    /// Stable id used in URLs and the CLI, e.g. `attn2`.
    pub id: String,
    /// Name shown in the UI.
    pub name: String,
    /// One line saying what the model is for.
    pub description: String,
    /// Number of parameters.
    pub params: u64,
    /// File name, relative to the manifest.
    pub file: String,
    /// Exact size of the file in bytes.
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    #[serde(default)]
    pub training: TrainingInfo,
    /// Training checkpoints, oldest first (the last is `file`).
    #[serde(default)]
    pub checkpoints: Vec<CheckpointEntry>,
    /// Training curves (JSON), relative to the manifest.
    #[serde(default)]
    pub curves: Option<String>,
}

/// One training checkpoint of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointEntry {
    pub step: u64,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

/// One weight file an entry lists: where it is, with the length and hash it must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedFile<'a> {
    pub file: &'a str,
    pub bytes: u64,
    pub sha256: &'a str,
}

impl ModelEntry {
    /// Every weight file the entry lists, each path once: its weights, then its checkpoints
    /// oldest first (the last checkpoint is usually the weights' own file).
    pub fn files(&self) -> Vec<ListedFile<'_>> {
        let mut out = vec![ListedFile {
            file: &self.file,
            bytes: self.bytes,
            sha256: &self.sha256,
        }];
        for c in &self.checkpoints {
            if out.iter().all(|f| f.file != c.file) {
                out.push(ListedFile {
                    file: &c.file,
                    bytes: c.bytes,
                    sha256: &c.sha256,
                });
            }
        }
        out
    }

    /// Points every listing of the file `from` (the weights, a checkpoint) at `to`.
    pub fn repoint(&mut self, from: &str, to: &str) {
        let files =
            std::iter::once(&mut self.file).chain(self.checkpoints.iter_mut().map(|c| &mut c.file));
        for file in files.filter(|f| f.as_str() == from) {
            *file = to.to_string();
        }
    }
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub models: Vec<ModelEntry>,
}

impl Default for Manifest {
    fn default() -> Self {
        Self {
            version: MANIFEST_VERSION,
            models: Vec::new(),
        }
    }
}

/// Why the manifest of a models folder could not be read or written: the file (its path
/// first) or its content.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: {1}")]
    Bad(String, ManifestError),
}

/// Why a manifest could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ManifestError {
    #[error("the model list is unreadable: {0}")]
    Parse(String),
    #[error(
        "model list version {0} is not supported (this build reads version {MANIFEST_VERSION})"
    )]
    Version(u32),
    #[error("the model list names an unsafe file path {0:?}")]
    BadPath(String),
}

impl Manifest {
    /// Parses and checks a manifest.
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let m: Manifest =
            serde_json::from_str(text).map_err(|e| ManifestError::Parse(e.to_string()))?;
        if m.version != MANIFEST_VERSION {
            return Err(ManifestError::Version(m.version));
        }
        for e in &m.models {
            let ok = !e.file.is_empty()
                && e.file
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
                && !e
                    .file
                    .split('/')
                    .any(|part| part.is_empty() || part == "..");
            if !ok {
                return Err(ManifestError::BadPath(e.file.clone()));
            }
        }
        Ok(m)
    }

    /// The manifest of the models folder `dir`.
    pub fn read(dir: &std::path::Path) -> Result<Self, FolderError> {
        let path = dir.join(MANIFEST_FILE);
        let shown = || path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| FolderError::Io(shown(), e))?;
        Self::parse(&text).map_err(|e| FolderError::Bad(shown(), e))
    }

    /// [`Manifest::read`], with an empty manifest where the folder has none yet.
    pub fn read_or_default(dir: &std::path::Path) -> Result<Self, FolderError> {
        match Self::read(dir) {
            Err(FolderError::Io(_, e)) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Self::default())
            }
            other => other,
        }
    }

    /// Writes the manifest into the models folder `dir` (its committed form), atomically: an
    /// interruption leaves the old manifest or the new one.
    pub fn write(&self, dir: &std::path::Path) -> Result<(), FolderError> {
        let path = dir.join(MANIFEST_FILE);
        write_atomic(&path, self.to_json().as_bytes())
            .map_err(|e| FolderError::Io(path.display().to_string(), e))
    }

    /// Records weights already written to `dir/entry.file` (`bytes` are their contents): sets
    /// the entry's size and hash, adds or replaces it, and writes the manifest into `dir`.
    pub fn record(
        &mut self,
        dir: &std::path::Path,
        mut entry: ModelEntry,
        bytes: &[u8],
    ) -> Result<ModelEntry, FolderError> {
        entry.bytes = bytes.len() as u64;
        entry.sha256 = crate::net::weights::sha256_hex(bytes);
        self.upsert(entry.clone());
        self.write(dir)?;
        Ok(entry)
    }

    /// Pretty JSON with a trailing newline (the committed form).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the manifest serialises") + "\n"
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Adds an entry, replacing any with the same id.
    pub fn upsert(&mut self, entry: ModelEntry) {
        match self.models.iter_mut().find(|m| m.id == entry.id) {
            Some(slot) => *slot = entry,
            None => self.models.push(entry),
        }
    }
}

/// Writes a weight file into `dir` and records it in `dir/manifest.json` (created if missing).
pub fn publish(
    dir: &std::path::Path,
    entry: ModelEntry,
    bytes: &[u8],
) -> Result<ModelEntry, FolderError> {
    let path = dir.join(&entry.file);
    write_atomic(&path, bytes).map_err(|e| FolderError::Io(path.display().to_string(), e))?;
    Manifest::read_or_default(dir)?.record(dir, entry, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn entry(id: &str, file: &str) -> ModelEntry {
        ModelEntry {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            params: 1,
            file: file.into(),
            bytes: 1,
            sha256: "00".into(),
            training: TrainingInfo::default(),
            checkpoints: Vec::new(),
            curves: None,
        }
    }

    #[test]
    fn round_trips_and_upserts() {
        let mut m = Manifest::default();
        m.upsert(entry("a", "a.bin"));
        m.upsert(entry("b", "ckpt/b.bin"));
        m.upsert(entry("a", "a2.bin"));
        assert_eq!(m.models.len(), 2);
        assert_eq!(m.get("a").unwrap().file, "a2.bin");
        assert_eq!(Manifest::parse(&m.to_json()).unwrap(), m);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn reads_and_writes_a_models_folder() {
        let dir = std::env::temp_dir().join(format!("icl-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(matches!(Manifest::read(&dir), Err(FolderError::Io(..))));
        assert_eq!(
            Manifest::read_or_default(&dir).unwrap(),
            Manifest::default()
        );
        let mut m = Manifest::default();
        m.upsert(entry("a", "a.bin"));
        m.write(&dir).unwrap();
        assert_eq!(Manifest::read(&dir).unwrap(), m);
        std::fs::write(dir.join(MANIFEST_FILE), "{").unwrap();
        let bad = Manifest::read_or_default(&dir).unwrap_err();
        assert!(matches!(bad, FolderError::Bad(_, ManifestError::Parse(_))));
        assert!(bad.to_string().contains(MANIFEST_FILE), "{bad}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn publishes_weights_and_names_the_file_that_failed_once() {
        let dir = std::env::temp_dir().join(format!("icl-publish-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let e = publish(&dir, entry("a", "a/w.bin"), b"weights").unwrap();
        assert_eq!(std::fs::read(dir.join("a/w.bin")).unwrap(), b"weights");
        assert_eq!(e.bytes, 7);
        assert_eq!(e.sha256, crate::net::weights::sha256_hex(b"weights"));
        assert_eq!(Manifest::read(&dir).unwrap().get("a"), Some(&e));
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|f| f.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
        // A weight file whose folder cannot be made: the error names that path, once.
        std::fs::write(dir.join("b"), b"a file, not a folder").unwrap();
        let err = publish(&dir, entry("b", "b/w.bin"), b"w")
            .unwrap_err()
            .to_string();
        assert_eq!(err.matches("b/w.bin").count(), 1, "{err}");
        assert_eq!(
            Manifest::read(&dir).unwrap().models.len(),
            1,
            "nothing recorded"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lists_each_file_once_and_repoints_every_listing() {
        let mut e = entry("a", "a/ckpt-2.bin");
        e.checkpoints = ["a/ckpt-1.bin", "a/ckpt-2.bin"]
            .iter()
            .enumerate()
            .map(|(i, f)| CheckpointEntry {
                step: i as u64 + 1,
                file: f.to_string(),
                bytes: 1,
                sha256: "00".into(),
            })
            .collect();
        let files: Vec<&str> = e.files().iter().map(|f| f.file).collect();
        assert_eq!(files, ["a/ckpt-2.bin", "a/ckpt-1.bin"]);
        e.repoint("a/ckpt-2.bin", "b/ckpt-9.bin");
        assert_eq!(e.file, "b/ckpt-9.bin");
        assert_eq!(e.checkpoints[1].file, "b/ckpt-9.bin");
        assert_eq!(e.checkpoints[0].file, "a/ckpt-1.bin");
    }

    #[test]
    fn rejects_bad_manifests() {
        assert!(matches!(
            Manifest::parse("<html>"),
            Err(ManifestError::Parse(_))
        ));
        assert_eq!(
            Manifest::parse(r#"{"version":2,"models":[]}"#),
            Err(ManifestError::Version(2))
        );
        for bad in ["../x.bin", "/etc/passwd", "a//b", "a b", ""] {
            let m = Manifest {
                version: 1,
                models: vec![entry("x", bad)],
            };
            assert!(
                matches!(
                    Manifest::parse(&m.to_json()),
                    Err(ManifestError::BadPath(_))
                ),
                "{bad}"
            );
        }
    }
}
