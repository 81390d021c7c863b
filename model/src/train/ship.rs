//! Shipping a model trained elsewhere (a long run's own folder) into the page's models folder:
//! its checkpoints, curves and evaluation are copied, each checkpoint checked against the
//! SHA-256 its manifest promises, and its entry added to the page's manifest.

use std::path::Path;

use crate::net::weights::sha256_hex;
use crate::train::curves::Curves;
use crate::train::run::{description, display_name};
use crate::zoo::files::{CURVES_FILE, EVAL_FILE, eval_file_at, write_atomic};
use crate::zoo::manifest::{FolderError, Manifest, ModelEntry};

/// Why a model could not be shipped.
#[derive(Debug, thiserror::Error)]
pub enum ShipError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: {1}")]
    Bad(String, String),
    #[error(transparent)]
    Manifest(#[from] FolderError),
    #[error("no model {0:?} in {1}")]
    Missing(String, String),
    #[error("{file} does not match the manifest's SHA-256: the copy was stopped")]
    Checksum { file: String },
}

fn read(path: &Path) -> Result<Vec<u8>, ShipError> {
    std::fs::read(path).map_err(|e| ShipError::Io(path.display().to_string(), e))
}

/// Writes `bytes` to `path` atomically (a reader sees the old file or the new, never half),
/// making its folders first.
fn write(path: &Path, bytes: &[u8]) -> Result<(), ShipError> {
    write_atomic(path, bytes).map_err(|e| ShipError::Io(path.display().to_string(), e))
}

/// The path, in `to`, of a file another shipped model than `id` already lists with these
/// length and SHA-256 (a run continued from another model's weights shares its early
/// checkpoints).
fn already_shipped(
    shipped: &Manifest,
    to: &Path,
    id: &str,
    bytes: u64,
    sha: &str,
) -> Option<String> {
    shipped
        .models
        .iter()
        .filter(|m| m.id != id)
        .flat_map(ModelEntry::files)
        .find(|f| f.bytes == bytes && f.sha256 == sha && to.join(f.file).is_file())
        .map(|f| f.file.to_string())
}

/// Copies model `id` from the folder `from` (a manifest with its files, as `icl train --dir`
/// writes them) into `to`: every checkpoint (verified), the curves, and the evaluation of its
/// latest weights (`eval-NNNNNN.json`, shipped as `eval.json`) when there is one. A
/// checkpoint whose bytes another shipped model already lists is not copied: the entry points
/// at that file (the page fetches and caches weights by the manifest's path and hash). The
/// entry's name, description and data are written afresh from the curves' settings. With `first`, the
/// model leads the page's list (the page's default). Returns the shipped entry.
pub fn ship(from: &Path, to: &Path, id: &str, first: bool) -> Result<ModelEntry, ShipError> {
    let source = Manifest::read(from)?;
    let mut entry = source
        .get(id)
        .cloned()
        .ok_or_else(|| ShipError::Missing(id.to_string(), from.display().to_string()))?;
    let mut shipped = Manifest::read_or_default(to)?;
    let mut copies = Vec::new();
    let mut moved = Vec::new();
    for f in entry.files() {
        let data = read(&from.join(f.file))?;
        if data.len() as u64 != f.bytes || sha256_hex(&data) != f.sha256 {
            return Err(ShipError::Checksum {
                file: f.file.to_string(),
            });
        }
        match already_shipped(&shipped, to, id, f.bytes, f.sha256) {
            Some(there) => moved.push((f.file.to_string(), there)),
            None => copies.push((f.file.to_string(), data)),
        }
    }
    for (file, there) in &moved {
        entry.repoint(file, there);
    }
    let curves_path = from.join(id).join(CURVES_FILE);
    let curves_text = read(&curves_path)?;
    let curves: Curves = serde_json::from_slice(&curves_text)
        .map_err(|e| ShipError::Bad(curves_path.display().to_string(), e.to_string()))?;
    entry.name = display_name(&curves.train);
    entry.description = description(&curves.train);
    entry.training.data = curves.train.describe_data();
    for (file, data) in &copies {
        write(&to.join(file), data)?;
    }
    write(&to.join(id).join(CURVES_FILE), &curves_text)?;
    let eval = from.join(id).join(eval_file_at(entry.training.steps));
    if eval.exists() {
        write(&to.join(id).join(EVAL_FILE), &read(&eval)?)?;
    }
    shipped.upsert(entry.clone());
    if first {
        let i = shipped
            .models
            .iter()
            .position(|m| m.id == id)
            .expect("just added");
        let e = shipped.models.remove(i);
        shipped.models.insert(0, e);
    }
    shipped.write(to)?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::ModelConfig;
    use crate::train::config::TrainConfig;
    use crate::zoo::manifest::{CheckpointEntry, TrainingInfo, publish};

    fn entry(id: &str, steps: u64) -> ModelEntry {
        ModelEntry {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            params: 1,
            file: crate::zoo::files::checkpoint_file(id, steps),
            bytes: 0,
            sha256: String::new(),
            training: TrainingInfo {
                steps,
                seed: 0,
                data: "stale".into(),
            },
            checkpoints: Vec::new(),
            curves: Some(format!("{id}/{CURVES_FILE}")),
        }
    }

    /// A run folder with two checkpoints of `id`, its curves and an evaluation of the second.
    fn run_folder(dir: &Path, id: &str) {
        let first = publish(dir, entry(id, 10), b"ten").unwrap();
        let mut e = entry(id, 20);
        e.checkpoints = vec![CheckpointEntry {
            step: 10,
            file: first.file.clone(),
            bytes: first.bytes,
            sha256: first.sha256.clone(),
        }];
        let e = publish(dir, e, b"twenty").unwrap();
        let mut all = Manifest::read(dir).unwrap();
        let mut last = e.clone();
        last.checkpoints.push(CheckpointEntry {
            step: 20,
            file: e.file.clone(),
            bytes: e.bytes,
            sha256: e.sha256.clone(),
        });
        all.upsert(last);
        all.write(dir).unwrap();
        let curves = Curves {
            model: id.into(),
            train: TrainConfig::for_preset("attn1").unwrap(),
            config: ModelConfig::preset("attn1").unwrap(),
            points: Vec::new(),
        };
        write(
            &dir.join(id).join("curves.json"),
            serde_json::to_string(&curves).unwrap().as_bytes(),
        )
        .unwrap();
        write(&dir.join(id).join("eval-000020.json"), b"{}").unwrap();
    }

    /// A fresh scratch folder `name` with its run folder and its site folder (not yet made).
    fn scratch(name: &str) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
        let tmp = std::env::temp_dir().join(format!("icl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        (tmp.join("run"), tmp.join("site"), tmp)
    }

    /// The ids of the manifest in `dir`, in the page's order.
    fn ids(dir: &Path) -> Vec<String> {
        Manifest::read(dir)
            .unwrap()
            .models
            .into_iter()
            .map(|m| m.id)
            .collect()
    }

    #[test]
    fn ships_every_checkpoint_verified_and_can_lead_the_list() {
        let (from, to, tmp) = scratch("ship");
        run_folder(&from, "learner");
        publish(&to, entry("base", 5), b"base").unwrap();

        let e = ship(&from, &to, "learner", false).unwrap();
        assert_eq!(ids(&to), ["base", "learner"]);
        assert_eq!(
            std::fs::read(to.join("learner/ckpt-000010.bin")).unwrap(),
            b"ten"
        );
        assert_eq!(
            std::fs::read(to.join("learner/ckpt-000020.bin")).unwrap(),
            b"twenty"
        );
        assert!(to.join("learner/curves.json").exists());
        assert_eq!(std::fs::read(to.join("learner/eval.json")).unwrap(), b"{}");
        let attn1 = TrainConfig::for_preset("attn1").unwrap();
        assert_eq!(e.training.data, attn1.describe_data());
        assert_eq!(
            (e.name.as_str(), e.description.as_str()),
            ("1-layer attention-only", description(&attn1).as_str())
        );

        ship(&from, &to, "learner", true).unwrap();
        assert_eq!(ids(&to), ["learner", "base"]);

        // One flipped byte in a checkpoint: nothing is shipped and the error names the file.
        std::fs::write(from.join("learner/ckpt-000010.bin"), b"teN").unwrap();
        let err = ship(&from, &tmp.join("other"), "learner", false).unwrap_err();
        assert!(err.to_string().contains("ckpt-000010.bin"), "{err}");
        assert!(!tmp.join("other").exists());
        assert!(matches!(
            ship(&from, &to, "nope", false),
            Err(ShipError::Missing(..))
        ));
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    /// A run continued from a shipped model's weights ships its own checkpoints and points at
    /// the shared ones instead of copying them; shipped again, it keeps its place in the list.
    #[test]
    fn a_continued_run_shares_the_checkpoints_already_shipped() {
        let (from, to, tmp) = scratch("ship-shared");
        run_folder(&from, "rung");
        ship(&from, &to, "rung", false).unwrap();
        // The continuation: the rung's step-10 bytes, then weights of its own.
        run_folder(&from, "grown");
        publish(&to, entry("base", 5), b"base").unwrap();
        let e = ship(&from, &to, "grown", false).unwrap();
        let files: Vec<&str> = e.checkpoints.iter().map(|c| c.file.as_str()).collect();
        assert_eq!(files, ["rung/ckpt-000010.bin", "rung/ckpt-000020.bin"]);
        assert_eq!(e.file, "rung/ckpt-000020.bin");
        assert!(!to.join("grown/ckpt-000010.bin").exists());
        assert!(to.join("grown/curves.json").exists());

        std::fs::write(from.join("grown/ckpt-000020.bin"), b"twenty-one").unwrap();
        let mut m = Manifest::read(&from).unwrap();
        let g = m.models.iter_mut().find(|m| m.id == "grown").unwrap();
        let (bytes, sha) = (10, sha256_hex(b"twenty-one"));
        (g.bytes, g.sha256) = (bytes, sha.clone());
        let last = g.checkpoints.last_mut().unwrap();
        (last.bytes, last.sha256) = (bytes, sha);
        m.write(&from).unwrap();
        let e = ship(&from, &to, "grown", false).unwrap();
        assert_eq!(e.checkpoints[0].file, "rung/ckpt-000010.bin");
        assert_eq!(e.file, "grown/ckpt-000020.bin");
        assert_eq!(
            std::fs::read(to.join("grown/ckpt-000020.bin")).unwrap(),
            b"twenty-one"
        );
        assert_eq!(ids(&to), ["rung", "base", "grown"]);
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
