//! The names of the files a model keeps in a models folder (`public/models/ID/…`) and in its
//! run's state folder: written by a run and by shipping, read by the page and the tests.

/// What a run records beside its weights ([`crate::train::curves`]).
pub const CURVES_FILE: &str = "curves.json";
/// The shipped evaluation of a model's final weights.
pub const EVAL_FILE: &str = "eval.json";
/// The in-context against in-weights comparison of a model's final weights (`icl eval --tune`).
pub const TUNE_FILE: &str = "tune.json";
/// The same comparison with the prompts in the held-out formats (`--tune-formats held-out`).
pub const TUNE_HELD_OUT_FILE: &str = "tune-held-out-formats.json";
/// A run's resumable full-precision state (not shipped; larger states add `.2`, `.3`, …).
pub const RESUME_FILE: &str = "resume.bin";

/// A checkpoint's path inside the models folder: `ID/ckpt-NNNNNN.bin`.
pub fn checkpoint_file(id: &str, step: u64) -> String {
    format!("{id}/ckpt-{step:06}.bin")
}

/// The evaluation of the checkpoint at `step`, in its model's folder: `eval-NNNNNN.json`.
pub fn eval_file_at(step: u64) -> String {
    format!("eval-{step:06}.json")
}

/// The evaluation of a resumable state saved at `step`, beside it.
pub fn eval_state_file_at(step: u64) -> String {
    format!("eval-state-{step:06}.json")
}

/// A model's final weights without checkpoints: `ID.bin`.
pub fn weights_file(id: &str) -> String {
    format!("{id}.bin")
}

/// Writes a file so that an interruption leaves either the old or the new contents: the bytes
/// go to `NAME.EXT.tmp` beside it (so `x.bin` and `x.json` never share one), which then
/// replaces the file. Makes the file's folders first.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_are_zero_padded_to_six_digits() {
        assert_eq!(checkpoint_file("learner", 350), "learner/ckpt-000350.bin");
        assert_eq!(eval_file_at(19_800), "eval-019800.json");
        assert_eq!(eval_state_file_at(7), "eval-state-000007.json");
        assert_eq!(weights_file("attn2"), "attn2.bin");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn atomic_writes_make_missing_folders_and_leave_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("icl-atomic-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = dir.join("a/b/w.bin");
        write_atomic(&file, b"old").unwrap();
        write_atomic(&file, b"new").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        // A file of the same stem beside it does not touch another's temporary file.
        std::fs::write(dir.join("a/b/w.tmp"), b"another write").unwrap();
        write_atomic(&dir.join("a/b/w.json"), b"{}").unwrap();
        assert_eq!(std::fs::read(dir.join("a/b/w.json")).unwrap(), b"{}");
        assert_eq!(
            std::fs::read(dir.join("a/b/w.tmp")).unwrap(),
            b"another write"
        );
        let mut names: Vec<_> = std::fs::read_dir(dir.join("a/b"))
            .unwrap()
            .map(|f| f.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["w.bin", "w.json", "w.tmp"]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
