//! Thinning a shipped model's checkpoints. The models folder has a size limit; an older model
//! gives up checkpoints from its densest stretch (on a log scale of steps) so that a newer
//! model's phase change ships whole. Its curves keep every point: the page draws them all and
//! offers the kept checkpoints on its slider.

use std::path::Path;

use crate::zoo::manifest::{FolderError, Manifest};

/// The fewest checkpoints a model's finished run ships (the ladder's rungs aside), thinned or
/// not: enough for the checkpoint slider to show how it learned.
pub const MIN_CHECKPOINTS: usize = 10;

/// Why a model's checkpoints could not be thinned.
#[derive(Debug, thiserror::Error)]
pub enum ThinError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Manifest(#[from] FolderError),
    #[error("no model {0:?} in {1}")]
    Missing(String, String),
    #[error("a model keeps at least {MIN_CHECKPOINTS} checkpoints, not {0}")]
    TooFew(usize),
}

/// The `keep` of `steps` (ascending) to keep: the first and the last always; of the others,
/// one at a time, the one whose neighbours lie closest together on a log scale of steps goes
/// (the densest stretch thins first; of equals, the later).
pub fn thin_steps(steps: &[u64], keep: usize) -> Vec<u64> {
    let mut kept = steps.to_vec();
    let log = |s: u64| (s.max(1) as f64).ln();
    while kept.len() > keep.max(2) {
        let densest = (1..kept.len() - 1)
            .map(|i| (i, log(kept[i + 1]) - log(kept[i - 1])))
            .fold(None, |best: Option<(usize, f64)>, (i, gap)| match best {
                Some((_, b)) if b < gap => best,
                _ => Some((i, gap)),
            });
        let Some((i, _)) = densest else { break };
        kept.remove(i);
    }
    kept
}

/// Keeps `keep` of model `id`'s checkpoints in the models folder `dir` (chosen by
/// [`thin_steps`]) and deletes the files of the others that no model lists any more. Returns
/// the steps dropped (none when it has no more than `keep`).
pub fn thin(dir: &Path, id: &str, keep: usize) -> Result<Vec<u64>, ThinError> {
    if keep < MIN_CHECKPOINTS {
        return Err(ThinError::TooFew(keep));
    }
    let mut manifest = Manifest::read(dir)?;
    let mut entry = manifest
        .get(id)
        .cloned()
        .ok_or_else(|| ThinError::Missing(id.to_string(), dir.display().to_string()))?;
    let steps: Vec<u64> = entry.checkpoints.iter().map(|c| c.step).collect();
    let kept = thin_steps(&steps, keep);
    let (stay, gone): (Vec<_>, Vec<_>) = entry
        .checkpoints
        .into_iter()
        .partition(|c| kept.contains(&c.step));
    entry.checkpoints = stay;
    manifest.upsert(entry);
    manifest.write(dir)?;
    for c in &gone {
        let listed = manifest
            .models
            .iter()
            .any(|m| m.files().iter().any(|f| f.file == c.file));
        let file = dir.join(&c.file);
        if !listed && file.is_file() {
            std::fs::remove_file(&file)
                .map_err(|e| ThinError::Io(file.display().to_string(), e))?;
        }
    }
    Ok(gone.iter().map(|c| c.step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zoo::files::checkpoint_file;
    use crate::zoo::manifest::{CheckpointEntry, ModelEntry, TrainingInfo};

    #[test]
    fn the_densest_stretch_thins_first_and_the_ends_stay() {
        let learner = [
            10, 31, 98, 306, 959, 3000, 6000, 9000, 12000, 15000, 18000, 18450, 18900, 19350,
        ];
        assert_eq!(
            thin_steps(&learner, 10),
            [10, 31, 98, 306, 959, 3000, 6000, 9000, 12000, 19350]
        );
        assert_eq!(thin_steps(&learner, 2), [10, 19350]);
        assert_eq!(thin_steps(&learner, 20), learner);
        assert_eq!(thin_steps(&[5], 0), [5]);
    }

    fn checkpoints(id: &str, steps: std::ops::RangeInclusive<u64>) -> Vec<CheckpointEntry> {
        steps
            .map(|s| CheckpointEntry {
                step: s,
                file: checkpoint_file(id, s),
                bytes: 1,
                sha256: "00".into(),
            })
            .collect()
    }

    /// A model thinned to ten keeps its ends and its weights; the files it dropped are
    /// deleted, but not one another model still lists.
    #[test]
    fn thinning_deletes_only_files_no_model_lists() {
        let dir = std::env::temp_dir().join(format!("icl-thin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let old = checkpoints("old", 1..=12);
        let entry = |id: &str, checkpoints: Vec<CheckpointEntry>| ModelEntry {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            params: 1,
            file: checkpoints.last().unwrap().file.clone(),
            bytes: 1,
            sha256: "00".into(),
            training: TrainingInfo::default(),
            checkpoints,
            curves: None,
        };
        // `new` continued from old's step 11 and lists that file as its own first checkpoint.
        let mut shared = old[10..11].to_vec();
        shared.extend(checkpoints("new", 13..=13));
        let manifest = Manifest {
            version: 1,
            models: vec![entry("old", old.clone()), entry("new", shared)],
        };
        for c in old.iter().chain(&checkpoints("new", 13..=13)) {
            std::fs::create_dir_all(dir.join(&c.file).parent().unwrap()).unwrap();
            std::fs::write(dir.join(&c.file), b"x").unwrap();
        }
        manifest.write(&dir).unwrap();

        assert!(matches!(thin(&dir, "old", 9), Err(ThinError::TooFew(9))));
        assert!(matches!(
            thin(&dir, "nope", 10),
            Err(ThinError::Missing(..))
        ));
        let dropped = thin(&dir, "old", 10).unwrap();
        assert_eq!(dropped, [9, 11]);
        let after = Manifest::read(&dir).unwrap();
        let old_after = after.get("old").unwrap();
        let kept: Vec<u64> = old_after.checkpoints.iter().map(|c| c.step).collect();
        assert_eq!(kept, [1, 2, 3, 4, 5, 6, 7, 8, 10, 12]);
        assert_eq!(old_after.file, checkpoint_file("old", 12));
        assert_eq!(after.get("new"), manifest.get("new"));
        assert!(!dir.join(checkpoint_file("old", 9)).exists());
        assert!(
            dir.join(checkpoint_file("old", 11)).exists(),
            "new lists it"
        );
        assert!(dir.join(checkpoint_file("old", 10)).exists());
        assert_eq!(thin(&dir, "old", 10).unwrap(), Vec::<u64>::new());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
