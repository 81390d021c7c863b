//! Why a weight file could not be read, and the limits the messages name: apart from the
//! reader, so that the lean network's loader (`crate::net::lean`) reports the same errors
//! without the burn side of the weight file.

/// Version of the weight file's layout (`crate::net::weights`); bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 2;

/// Largest model the page will load (parameters), checked before allocating.
pub const MAX_PARAMS: u64 = 64 * 1024 * 1024;

/// Why a weight file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WeightsError {
    #[error("the file is too short ({0} bytes) to be a model")]
    TooShort(usize),
    #[error("not a model file (it does not start with \"ICLM\")")]
    BadMagic,
    #[error(
        "model file format version {0} is not supported (this build reads version {FORMAT_VERSION})"
    )]
    UnsupportedVersion(u32),
    #[error("the file is corrupt: its checksum does not match its contents")]
    Checksum,
    #[error("the file's header is unreadable: {0}")]
    Header(String),
    #[error("the model is too large to load ({0} parameters; the limit is {MAX_PARAMS})")]
    TooLarge(u64),
    #[error("tensor {name}: {problem}")]
    Tensor { name: String, problem: String },
    #[error("the file holds {0} bytes of weights but its header describes {1}")]
    DataLength(usize, usize),
    #[error("the weights do not decompress: {0}")]
    Deflate(String),
    #[error("expected {expected} bytes but got {actual}: the download is incomplete or wrong")]
    Length { expected: u64, actual: u64 },
    #[error(
        "the file's SHA-256 is {actual}, but the manifest says {expected}: it is corrupt or stale"
    )]
    Sha256 { expected: String, actual: String },
}

/// The error of a tensor the file holds and the model has no place for.
pub fn not_in_model(name: &str) -> WeightsError {
    WeightsError::Tensor {
        name: name.to_string(),
        problem: "not part of this model".into(),
    }
}
