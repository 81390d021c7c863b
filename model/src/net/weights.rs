//! The weight file: one versioned binary holding the config, the alphabet and the weights.
//!
//! ```text
//! offset     size  field
//! 0          4     magic "ICLM"
//! 4          4     format version, u32 little-endian (FORMAT_VERSION)
//! 8          4     header length H, u32 little-endian
//! 12         H     header, UTF-8 JSON: { config, vocab, dtype, tensors: [{ name, shape, dtype? }] }
//! 12+H       ...   the tensor values, deflated (below)
//! len-32     32    SHA-256 of every byte before it
//! ```
//! The tensor values are laid out in header order, little-endian f16 or f32 (a tensor's own
//! dtype, when given, overrides the file's); that byte string is split into two planes, every
//! even-offset byte and then every odd-offset byte, and the planes are deflated (raw deflate,
//! RFC 1951). The high bytes of f16 values (sign, exponent) repeat a lot, so the split makes
//! trained weights about 14 % smaller where deflate alone saves 8 %. Version 1 files, whose
//! values are stored as laid out, still read.
//! Reading checks, in order: length, magic, version, checksum, header, config limits, alphabet,
//! then each tensor's name and shape against the network the config describes. Every failure is
//! a [`WeightsError`]; nothing panics on bad bytes, and nothing large is allocated before the
//! checksum and the size limit have passed.
//!
//! Long because reading untrusted bytes safely needs every check written out, and its tests
//! (many on damaged files) sit beside them.

use std::collections::BTreeMap;

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub mod error;

pub use error::{FORMAT_VERSION, MAX_PARAMS, WeightsError, not_in_model};

use crate::net::config::ModelConfig;
use crate::net::model::{LeanModel, Model};
use crate::net::named::Collect;
use crate::net::tokenizer::Tokenizer;

/// First bytes of every weight file.
pub const MAGIC: [u8; 4] = *b"ICLM";
/// The first version, without compression; still read.
const VERSION_PLAIN: u32 = 1;
/// Deflate level of the weights (miniz's scale, 0..=10).
const DEFLATE_LEVEL: u8 = 9;
const TRAILER: usize = 32;
const MAX_HEADER: usize = 1 << 20;

/// Storage precision of the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DType {
    F16,
    F32,
}

impl DType {
    fn size(self) -> usize {
        match self {
            DType::F16 => 2,
            DType::F32 => 4,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct TensorEntry {
    name: String,
    shape: Vec<usize>,
    /// This tensor's precision when it differs from the file's (mixed precision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dtype: Option<DType>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    config: ModelConfig,
    vocab: Vec<String>,
    dtype: DType,
    tensors: Vec<TensorEntry>,
    /// Free-form facts (training step, seed, ...).
    #[serde(default)]
    info: BTreeMap<String, String>,
}

/// Replaces each parameter by the tensor of the same name.
struct Load {
    path: Vec<String>,
    tensors: BTreeMap<String, TensorData>,
    device: Device,
    error: Option<WeightsError>,
}

impl ModuleMapper for Load {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.pop();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let name = self.path.join(".");
        let problem = match self.tensors.remove(&name) {
            None => "missing from the file".to_string(),
            Some(data) if data.shape().as_slice() == param.lazy_shape().as_slice() => {
                let t = Tensor::<D>::from_data(data, &self.device);
                return Param::initialized(param.id, t).set_require_grad(param.is_require_grad());
            }
            Some(data) => format!(
                "shape {:?} in the file, {:?} in the model",
                data.shape().as_slice(),
                param.lazy_shape().as_slice()
            ),
        };
        self.error
            .get_or_insert(WeightsError::Tensor { name, problem });
        param
    }
}

/// Serialises a model. `info` carries free-form facts (training step, seed, ...).
pub fn to_bytes(model: &Model, dtype: DType, info: &BTreeMap<String, String>) -> Vec<u8> {
    to_bytes_mixed(model, dtype, &[], info)
}

/// Serialises a model in `dtype`, except the tensors named in `f32_tensors`, kept in f32.
pub fn to_bytes_mixed(
    model: &Model,
    dtype: DType,
    f32_tensors: &[String],
    info: &BTreeMap<String, String>,
) -> Vec<u8> {
    let mut collect = Collect::default();
    model.net.visit(&mut collect);
    let dtype_of = |name: &String| {
        if f32_tensors.contains(name) {
            DType::F32
        } else {
            dtype
        }
    };
    let header = Header {
        config: model.config.clone(),
        vocab: model.tokenizer.vocab(),
        dtype,
        tensors: collect
            .tensors
            .iter()
            .map(|(name, d)| TensorEntry {
                name: name.clone(),
                shape: d.shape().to_vec(),
                dtype: (dtype_of(name) != dtype).then_some(dtype_of(name)),
            })
            .collect(),
        info: info.clone(),
    };
    let header = serde_json::to_vec(&header).expect("the header serialises");
    let mut out = Vec::new();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&header);
    let mut raw = Vec::new();
    for (name, data) in collect.tensors {
        let values = data.try_into_vec::<f32>().expect("collected as f32");
        let dt = dtype_of(&name);
        for v in values {
            match dt {
                DType::F32 => raw.extend_from_slice(&v.to_le_bytes()),
                DType::F16 => raw.extend_from_slice(&half::f16::from_f32(v).to_le_bytes()),
            }
        }
    }
    out.extend_from_slice(&pack(&raw));
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

/// The stored form of the tensor values: two byte planes, deflated.
fn pack(raw: &[u8]) -> Vec<u8> {
    let planes: Vec<u8> = raw
        .iter()
        .step_by(2)
        .chain(raw.iter().skip(1).step_by(2))
        .copied()
        .collect();
    miniz_oxide::deflate::compress_to_vec(&planes, DEFLATE_LEVEL)
}

/// The tensor values from their stored form, which must hold exactly `len` bytes.
fn unpack(stored: &[u8], len: usize) -> Result<Vec<u8>, WeightsError> {
    let planes = miniz_oxide::inflate::decompress_to_vec_with_limit(stored, len)
        .map_err(|e| WeightsError::Deflate(e.to_string()))?;
    if planes.len() != len {
        return Err(WeightsError::DataLength(planes.len(), len));
    }
    let (even, odd) = planes.split_at(len.div_ceil(2));
    let mut raw = vec![0u8; len];
    for (i, b) in raw.iter_mut().enumerate() {
        *b = if i % 2 == 0 { even[i / 2] } else { odd[i / 2] };
    }
    Ok(raw)
}

/// Names of the model's tensors, in file order.
pub fn tensor_names(model: &Model) -> Vec<String> {
    let mut collect = Collect::default();
    model.net.visit(&mut collect);
    collect.tensors.into_iter().map(|(n, _)| n).collect()
}

/// Facts read from a weight file besides the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    pub dtype: DType,
    /// Tensors stored in f32 in a file whose precision is f16.
    pub f32_tensors: Vec<String>,
    pub info: BTreeMap<String, String>,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// A weight file read and checked, its tensors as plain numbers: what both the burn network
/// ([`from_bytes`]) and the lean one ([`lean_from_bytes`]) are made from.
#[derive(Debug, Clone)]
pub struct WeightFile {
    pub config: ModelConfig,
    pub tokenizer: Tokenizer,
    /// By name: shape and values.
    pub tensors: BTreeMap<String, (Vec<usize>, Vec<f32>)>,
    pub info: FileInfo,
}

/// Reads a model from the bytes of a weight file onto `device`.
pub fn from_bytes(bytes: &[u8], device: &Device) -> Result<(Model, FileInfo), WeightsError> {
    let file = read(bytes)?;
    let config = file.config;
    let tensors = file
        .tensors
        .into_iter()
        .map(|(name, (shape, values))| (name, TensorData::new(values, shape)))
        .collect();
    let mut load = Load {
        path: Vec::new(),
        tensors,
        device: device.clone(),
        error: None,
    };
    let net = {
        let _no_seeded_init_meanwhile = crate::net::transformer::init_lock();
        config.init(device).map(&mut load)
    };
    if let Some(e) = load.error {
        return Err(e);
    }
    if let Some(name) = load.tensors.keys().next() {
        return Err(not_in_model(name));
    }
    Ok((
        Model::new(config, file.tokenizer, net, device.clone()),
        file.info,
    ))
}

/// Reads a weight file (every check of [`from_bytes`]) into the lean network, without burn.
pub fn lean_from_bytes(bytes: &[u8]) -> Result<(LeanModel, FileInfo), WeightsError> {
    let file = read(bytes)?;
    let net = crate::net::lean::LeanNet::from_tensors(&file.config, file.tensors)?;
    Ok((LeanModel::new(file.config, file.tokenizer, net), file.info))
}

/// Reads and checks a weight file's bytes, up to the tensors' values (not their names and
/// shapes, which the network they are loaded into checks).
pub fn read(bytes: &[u8]) -> Result<WeightFile, WeightsError> {
    if bytes.len() < 12 + TRAILER {
        return Err(WeightsError::TooShort(bytes.len()));
    }
    if bytes[..4] != MAGIC {
        return Err(WeightsError::BadMagic);
    }
    let version = u32_at(bytes, 4);
    if version != FORMAT_VERSION && version != VERSION_PLAIN {
        return Err(WeightsError::UnsupportedVersion(version));
    }
    let (body, digest) = bytes.split_at(bytes.len() - TRAILER);
    if Sha256::digest(body).as_slice() != digest {
        return Err(WeightsError::Checksum);
    }
    let header_len = u32_at(bytes, 8) as usize;
    if header_len > MAX_HEADER || 12 + header_len > body.len() {
        return Err(WeightsError::Header(format!(
            "header length {header_len} is out of range"
        )));
    }
    let header: Header = serde_json::from_slice(&body[12..12 + header_len])
        .map_err(|e| WeightsError::Header(e.to_string()))?;
    let config = header.config;
    config
        .validate()
        .map_err(|e| WeightsError::Header(e.to_string()))?;
    let params = config.param_count();
    if params > MAX_PARAMS {
        return Err(WeightsError::TooLarge(params));
    }
    let tokenizer =
        Tokenizer::from_vocab(&header.vocab).map_err(|e| WeightsError::Header(e.to_string()))?;
    if tokenizer.vocab_size() != config.vocab_size {
        return Err(WeightsError::Header(format!(
            "the alphabet has {} symbols but the config says {}",
            tokenizer.vocab_size(),
            config.vocab_size
        )));
    }
    let stored = &body[12 + header_len..];
    // At most f32 for every parameter of the config (checked against the limit above), so a
    // header describing more, or a stream inflating to more, is refused before it is held.
    let limit = usize::try_from(params * 4).unwrap_or(usize::MAX);
    let mut expected = 0usize;
    for t in &header.tensors {
        let n = t.shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
        match n.and_then(|n| n.checked_mul(t.dtype.unwrap_or(header.dtype).size())) {
            Some(b) if b <= limit - expected => expected += b,
            _ => return Err(WeightsError::DataLength(stored.len(), usize::MAX)),
        }
    }
    let unpacked;
    let data = if version == VERSION_PLAIN {
        stored
    } else {
        unpacked = unpack(stored, expected)?;
        &unpacked[..]
    };
    if expected != data.len() {
        return Err(WeightsError::DataLength(data.len(), expected));
    }
    let f32_tensors: Vec<String> = header
        .tensors
        .iter()
        .filter(|t| header.dtype == DType::F16 && t.dtype == Some(DType::F32))
        .map(|t| t.name.clone())
        .collect();
    let mut tensors = BTreeMap::new();
    let mut at = 0;
    for t in header.tensors {
        let n: usize = t.shape.iter().product();
        let dtype = t.dtype.unwrap_or(header.dtype);
        let raw = &data[at..at + n * dtype.size()];
        at += raw.len();
        let values: Vec<f32> = match dtype {
            DType::F32 => raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            DType::F16 => raw
                .chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
        };
        if values.iter().any(|v| !v.is_finite()) {
            return Err(WeightsError::Tensor {
                name: t.name,
                problem: "holds NaN or infinity".into(),
            });
        }
        tensors.insert(t.name, (t.shape, values));
    }
    Ok(WeightFile {
        config,
        tokenizer,
        tensors,
        info: FileInfo {
            dtype: header.dtype,
            f32_tensors,
            info: header.info,
        },
    })
}

/// Prompts on which f16 storage is measured against f32.
pub const PRECISION_PROMPTS: [&str; 4] = [
    "in: stone\nout: enots\nin: river\nout: revir\nin: cloud\nout:",
    "in: apple\nout: APPLE\nin: grape\nout:",
    "k7 q2 m9 k7 q2 m",
    "The quick brown fox jumps over the lazy dog.",
];

/// How far a model's f16 round trip is from it on [`PRECISION_PROMPTS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct F16Error {
    /// Largest |Δlogit| anywhere.
    pub logit: f32,
    /// Largest |Δ log-probability| over the tokens the f32 model gives at least 1e-3, the ones
    /// the page shows and samples. Logits of a trained model grow large, and a shift shared by
    /// all of them changes nothing: this is what a visitor could see.
    pub logprob: f32,
    /// Whether the most likely token is the same at every position.
    pub greedy_same: bool,
}

/// Compares the model with its f16 round trip on [`PRECISION_PROMPTS`].
pub fn f16_error(model: &Model) -> Result<F16Error, WeightsError> {
    encoding_error(model, &to_bytes(model, DType::F16, &BTreeMap::new()))
}

/// Compares the model with what `bytes` (an encoding of it) load as, on [`PRECISION_PROMPTS`].
pub fn encoding_error(model: &Model, bytes: &[u8]) -> Result<F16Error, WeightsError> {
    use crate::net::tensors::to_vec;
    use crate::net::transformer::ForwardOptions;
    let (half, _) = from_bytes(bytes, &model.device)?;
    let vocab = model.config.vocab_size;
    let mut e = F16Error {
        logit: 0.0,
        logprob: 0.0,
        greedy_same: true,
    };
    let log_softmax = |row: &[f32]| -> Vec<f32> {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let lse = max + row.iter().map(|x| (x - max).exp()).sum::<f32>().ln();
        row.iter().map(|x| x - lse).collect()
    };
    let argmax = |row: &[f32]| {
        row.iter()
            .enumerate()
            .fold(
                (0, f32::NEG_INFINITY),
                |b, (i, &x)| if x > b.1 { (i, x) } else { b },
            )
            .0
    };
    for p in PRECISION_PROMPTS {
        let ids = model.tokenizer.encode_with_bos(p).ids;
        let n = ids.len().min(model.config.block_size);
        let t = |m: &Model| {
            let x = crate::net::tensors::batch_tokens(&[ids[..n].to_vec()], &m.device);
            to_vec(m.net.forward(x, &ForwardOptions::default()).logits)
        };
        let (a, b) = (t(model), t(&half));
        for (ra, rb) in a.chunks(vocab).zip(b.chunks(vocab)) {
            let (la, lb) = (log_softmax(ra), log_softmax(rb));
            for k in 0..vocab {
                e.logit = e.logit.max((ra[k] - rb[k]).abs());
                if la[k] >= 1e-3f32.ln() {
                    e.logprob = e.logprob.max((la[k] - lb[k]).abs());
                }
            }
            e.greedy_same &= argmax(ra) == argmax(rb);
        }
    }
    Ok(e)
}

/// Largest |Δlogit| an export may cause on [`PRECISION_PROMPTS`].
pub const MAX_LOGIT_ERROR: f32 = 1e-2;

/// The smallest encoding that keeps logits within [`MAX_LOGIT_ERROR`] of f32: all f16 when
/// that is enough, otherwise f16 with the fewest tensors kept in f32 (added greedily, the one
/// that helps most first), otherwise all f32. Returns the bytes, the tensors kept in f32 and
/// the measured error of the chosen encoding.
pub fn export(
    model: &Model,
    info: &BTreeMap<String, String>,
) -> Result<(Vec<u8>, Vec<String>, F16Error), WeightsError> {
    let mut kept: Vec<String> = Vec::new();
    let mut bytes = to_bytes(model, DType::F16, info);
    let mut err = encoding_error(model, &bytes)?;
    let names = tensor_names(model);
    for _ in 0..4 {
        if err.logit < MAX_LOGIT_ERROR {
            return Ok((bytes, kept, err));
        }
        let mut best: Option<(String, Vec<u8>, F16Error)> = None;
        for name in names.iter().filter(|n| !kept.contains(n)) {
            let mut trial = kept.clone();
            trial.push(name.clone());
            let b = to_bytes_mixed(model, DType::F16, &trial, info);
            let e = encoding_error(model, &b)?;
            if best.as_ref().is_none_or(|(_, _, be)| e.logit < be.logit) {
                best = Some((name.clone(), b, e));
            }
        }
        let Some((name, b, e)) = best else { break };
        kept.push(name);
        (bytes, err) = (b, e);
    }
    if err.logit < MAX_LOGIT_ERROR {
        return Ok((bytes, kept, err));
    }
    let bytes = to_bytes(model, DType::F32, info);
    let err = encoding_error(model, &bytes)?;
    Ok((bytes, names, err))
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks downloaded bytes against the length and SHA-256 the manifest promises, then reads
/// them. A truncated download, an HTML error page or one flipped byte is reported before any
/// parsing.
pub fn load_verified(
    bytes: &[u8],
    expected_len: u64,
    expected_sha256: &str,
    device: &Device,
) -> Result<(Model, FileInfo), WeightsError> {
    verify(bytes, expected_len, expected_sha256)?;
    from_bytes(bytes, device)
}

/// [`load_verified`] into the lean network, without burn: what the page calls.
pub fn load_verified_lean(
    bytes: &[u8],
    expected_len: u64,
    expected_sha256: &str,
) -> Result<(LeanModel, FileInfo), WeightsError> {
    verify(bytes, expected_len, expected_sha256)?;
    lean_from_bytes(bytes)
}

/// The length and SHA-256 the manifest promises.
fn verify(bytes: &[u8], expected_len: u64, expected_sha256: &str) -> Result<(), WeightsError> {
    if bytes.len() as u64 != expected_len {
        return Err(WeightsError::Length {
            expected: expected_len,
            actual: bytes.len() as u64,
        });
    }
    let actual = sha256_hex(bytes);
    if !actual.eq_ignore_ascii_case(expected_sha256) {
        return Err(WeightsError::Sha256 {
            expected: expected_sha256.to_string(),
            actual,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::config::Positional;
    use crate::net::tensors::to_vec;
    use crate::net::transformer::ForwardOptions;
    use crate::net::transformer::tests::{max_abs_diff, tokens};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn model(positional: Positional, attention_only: bool) -> Model {
        let preset = ModelConfig::preset(if attention_only { "attn2" } else { "base" }).unwrap();
        let cfg = ModelConfig {
            block_size: 48,
            ..preset
        }
        .with_positional(positional);
        Model::random(cfg, 11, &Device::flex()).unwrap()
    }

    fn logits(m: &Model, text: &str) -> Vec<f32> {
        let ids = m.tokenizer.encode_with_bos(text).ids;
        to_vec(
            m.net
                .forward(tokens(&ids), &ForwardOptions::default())
                .logits,
        )
    }

    const PROMPTS: [&str; 3] = ["in: stone\nout: enots\nin: river\nout:", "abcabcab", "Q"];

    /// Reads `bytes` with burn and without (the page's reader): both load, with the same
    /// logits, or both refuse with the same error.
    fn read_both(bytes: &[u8]) -> Result<Model, WeightsError> {
        let burn = from_bytes(bytes, &Device::flex());
        let lean = lean_from_bytes(bytes);
        match (&burn, &lean) {
            (Ok((b, fb)), Ok((l, fl))) => {
                assert_eq!(fb, fl);
                assert_eq!((&b.config, &b.tokenizer), (&l.config, &l.tokenizer));
                for p in PROMPTS {
                    let ids = b.tokenizer.encode_with_bos(p).ids;
                    let net = l.lean();
                    let got = net.forward(&mut net.cache(), &ids, true, None).logits;
                    assert!(max_abs_diff(&got, &logits(b, p)) < 1e-4, "{p:?}");
                }
            }
            (Err(b), Err(l)) => assert_eq!(b, l),
            _ => panic!("burn read {:?}, lean read {:?}", burn.is_ok(), lean.is_ok()),
        }
        burn.map(|(m, _)| m)
    }

    #[test]
    fn export_then_load_gives_identical_logits() {
        for (pos, ao) in [(Positional::Rotary, true), (Positional::Learned, false)] {
            let m = model(pos, ao);
            let mut info = BTreeMap::new();
            info.insert("step".to_string(), "7".to_string());
            let bytes = to_bytes(&m, DType::F32, &info);
            let (back, file) = from_bytes(&bytes, &Device::flex()).unwrap();
            read_both(&bytes).unwrap();
            assert_eq!(file.info, info);
            assert_eq!(back.config, m.config);
            assert_eq!(back.tokenizer, m.tokenizer);
            for p in PROMPTS {
                assert_eq!(logits(&m, p), logits(&back, p));
            }
            // Export is deterministic.
            assert_eq!(to_bytes(&back, DType::F32, &info), bytes);
        }
    }

    #[test]
    fn f16_logits_stay_within_1e_2_of_f32() {
        let m = model(Positional::Rotary, false);
        let (half, file) =
            from_bytes(&to_bytes(&m, DType::F16, &BTreeMap::new()), &Device::flex()).unwrap();
        assert_eq!(file.dtype, DType::F16);
        let worst = PROMPTS
            .iter()
            .map(|p| max_abs_diff(&logits(&m, p), &logits(&half, p)))
            .fold(0.0, f32::max);
        assert!(worst < 1e-2, "f16 max |Δlogit| = {worst}");
        assert!(worst > 0.0, "f16 should round something");
    }

    #[test]
    fn f16_error_bounds_the_shown_log_probabilities() {
        let m = model(Positional::Rotary, true);
        let e = f16_error(&m).unwrap();
        // Δlog p = Δlogit − Δlog-sum-exp, and |Δlog-sum-exp| ≤ max |Δlogit|.
        assert!(
            e.logprob > 0.0 && e.logprob <= 2.0 * e.logit + 1e-6,
            "{e:?}"
        );
        assert!(e.greedy_same);
        // A random model is within the bound in plain f16: export keeps nothing in f32.
        let (_, kept, err) = export(&m, &BTreeMap::new()).unwrap();
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(err, e);
    }

    #[test]
    fn mixed_precision_files_round_trip_and_export_keeps_the_error_bound() {
        let m = model(Positional::Rotary, true);
        let names = tensor_names(&m);
        let keep = vec![names[0].clone(), names[names.len() - 1].clone()];
        let info = BTreeMap::new();
        let mixed = to_bytes_mixed(&m, DType::F16, &keep, &info);
        let (half, full) = (
            to_bytes(&m, DType::F16, &info),
            to_bytes(&m, DType::F32, &info),
        );
        assert!(half.len() < mixed.len() && mixed.len() < full.len());
        let (back, file) = from_bytes(&mixed, &Device::flex()).unwrap();
        assert_eq!(file.dtype, DType::F16);
        assert_eq!(
            file.f32_tensors, keep,
            "the file says which tensors it keeps in f32"
        );
        // The kept tensors come back exactly; the file re-exports identically.
        assert_eq!(to_bytes_mixed(&back, DType::F16, &keep, &info), mixed);
        let e = encoding_error(&m, &mixed).unwrap();
        assert!(e.logit <= f16_error(&m).unwrap().logit + 1e-6);
        // A small random model needs no f32 tensor.
        let (bytes, kept, err) = export(&m, &info).unwrap();
        assert!(kept.is_empty() && err.logit < MAX_LOGIT_ERROR);
        assert_eq!(bytes, half);
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let m = model(Positional::Rotary, true);
        let bytes = to_bytes(&m, DType::F16, &BTreeMap::new());
        let dev = Device::flex();
        // Every truncation point near the start and the end, and a spread in between.
        let cuts = (0..64)
            .chain((64..bytes.len()).step_by(997))
            .chain(bytes.len() - 40..bytes.len());
        for cut in cuts {
            assert!(
                from_bytes(&bytes[..cut], &dev).is_err(),
                "truncated at {cut} loaded"
            );
        }
        for at in [0, 3, 4, 8, 12, 40, bytes.len() / 2, bytes.len() - 1] {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            assert!(from_bytes(&b, &dev).is_err(), "bit flip at {at} loaded");
        }
        let mut wrong = bytes.clone();
        wrong[..4].copy_from_slice(b"GGUF");
        assert_eq!(
            from_bytes(&wrong, &dev).unwrap_err(),
            WeightsError::BadMagic
        );
        let html = b"<!doctype html><html><body>Not found</body></html>".repeat(3);
        assert_eq!(from_bytes(&html, &dev).unwrap_err(), WeightsError::BadMagic);
        let mut future = bytes.clone();
        future[4] = 9;
        assert_eq!(
            from_bytes(&future, &dev).unwrap_err(),
            WeightsError::UnsupportedVersion(9)
        );
    }

    /// The values are stored as two deflated byte planes, smaller than deflating them as laid
    /// out; a version 1 file (values as laid out) still reads; a stream that does not inflate
    /// to exactly what the header describes is an error.
    #[test]
    fn values_are_deflated_in_planes_and_version_1_files_still_read() {
        let m = model(Positional::Rotary, false);
        let dev = Device::flex();
        let bytes = to_bytes(&m, DType::F16, &BTreeMap::new());
        let header_len = u32_at(&bytes, 8) as usize;
        let head = &bytes[..12 + header_len];
        let stored = &bytes[12 + header_len..bytes.len() - TRAILER];
        let header: Header = serde_json::from_slice(&head[12..]).unwrap();
        let raw_len: usize = header
            .tensors
            .iter()
            .map(|t| t.shape.iter().product::<usize>() * 2)
            .sum();
        let raw = unpack(stored, raw_len).unwrap();
        let plain_deflate = miniz_oxide::deflate::compress_to_vec(&raw, DEFLATE_LEVEL);
        assert!(
            stored.len() < plain_deflate.len() && plain_deflate.len() < raw.len(),
            "planes {} vs deflate {} vs raw {}",
            stored.len(),
            plain_deflate.len(),
            raw.len()
        );
        let seal = |mut out: Vec<u8>| {
            let d = Sha256::digest(&out);
            out.extend_from_slice(&d);
            out
        };
        let with_values = |version: u32, values: &[u8]| {
            let mut out = head.to_vec();
            out[4..8].copy_from_slice(&version.to_le_bytes());
            out.extend_from_slice(values);
            seal(out)
        };
        let v1 = with_values(VERSION_PLAIN, &raw);
        let (a, _) = from_bytes(&bytes, &dev).unwrap();
        let (b, _) = from_bytes(&v1, &dev).unwrap();
        assert_eq!(logits(&a, "in: stone\nout:"), logits(&b, "in: stone\nout:"));
        assert!(matches!(
            from_bytes(&with_values(FORMAT_VERSION, &[0xff; 64]), &dev),
            Err(WeightsError::Deflate(_))
        ));
        assert!(matches!(
            from_bytes(
                &with_values(FORMAT_VERSION, &pack(&raw[..raw_len - 2])),
                &dev
            ),
            Err(WeightsError::DataLength(..))
        ));
        let mut longer = raw.clone();
        longer.extend_from_slice(&[0, 0]);
        assert!(from_bytes(&with_values(FORMAT_VERSION, &pack(&longer)), &dev).is_err());
    }

    #[test]
    fn manifest_checks_come_before_parsing() {
        let m = model(Positional::Rotary, true);
        let bytes = to_bytes(&m, DType::F32, &BTreeMap::new());
        let sha = sha256_hex(&bytes);
        let dev = Device::flex();
        assert!(load_verified(&bytes, bytes.len() as u64, &sha, &dev).is_ok());
        assert!(matches!(
            load_verified(&bytes[..100], bytes.len() as u64, &sha, &dev),
            Err(WeightsError::Length { .. })
        ));
        let mut b = bytes.clone();
        b[50] ^= 1;
        assert!(matches!(
            load_verified(&b, bytes.len() as u64, &sha, &dev),
            Err(WeightsError::Sha256 { .. })
        ));
    }

    #[test]
    fn headers_that_lie_are_rejected() {
        let m = model(Positional::Rotary, true);
        let bytes = to_bytes(&m, DType::F32, &BTreeMap::new());
        let header_len = u32_at(&bytes, 8) as usize;
        let header = std::str::from_utf8(&bytes[12..12 + header_len]).unwrap();
        let reseal = |h: String| {
            let mut out = bytes[..8].to_vec();
            out.extend_from_slice(&(h.len() as u32).to_le_bytes());
            out.extend_from_slice(h.as_bytes());
            out.extend_from_slice(&bytes[12 + header_len..bytes.len() - TRAILER]);
            let d = Sha256::digest(&out);
            out.extend_from_slice(&d);
            out
        };
        let huge = header
            .replace("\"d_model\":64", "\"d_model\":4096")
            .replace("\"n_layers\":2", "\"n_layers\":64");
        assert!(read_both(&reseal(huge)).is_err());
        // A valid shape over the parameter budget is refused before anything is allocated.
        let over_budget = header
            .replace("\"d_model\":64", "\"d_model\":1024")
            .replace("\"n_layers\":2", "\"n_layers\":64");
        assert!(matches!(
            read_both(&reseal(over_budget)),
            Err(WeightsError::TooLarge(p)) if p > MAX_PARAMS
        ));
        let renamed = header.replacen("query", "quarry", 1);
        assert!(matches!(
            read_both(&reseal(renamed)),
            Err(WeightsError::Tensor { .. })
        ));
        let reshaped = header.replacen("[98,64]", "[64,98]", 1);
        assert!(read_both(&reseal(reshaped)).is_err());
        // A tensor the network has no place for (an attention bias) is refused by both.
        let extra = header.replacen(
            r#"{"name":"blocks.0.attn.query.weight","shape":[64,64]}"#,
            r#"{"name":"blocks.0.attn.query.weight","shape":[64,64]},{"name":"blocks.0.attn.query.bias","shape":[0]}"#,
            1,
        );
        assert_ne!(extra, header);
        assert!(matches!(
            read_both(&reseal(extra)),
            Err(WeightsError::Tensor { name, .. }) if name == "blocks.0.attn.query.bias"
        ));
        assert!(read_both(&reseal(header.to_string())).is_ok());
    }
    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            /// A damaged deflate stream behind a valid checksum (what a writer's bug could
            /// produce) reads as an error or as some finite model, never a panic.
            #[test]
            fn damaged_streams_behind_a_valid_checksum_never_panic(
                edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                cut in proptest::option::of(any::<usize>()),
            ) {
                let m = model(Positional::Rotary, true);
                let bytes = to_bytes(&m, DType::F16, &BTreeMap::new());
                let header_len = u32_at(&bytes, 8) as usize;
                let start = 12 + header_len;
                let mut body = bytes[..bytes.len() - TRAILER].to_vec();
                let stored = body.len() - start;
                for (at, v) in edits {
                    body[start + at % stored] = v;
                }
                if let Some(cut) = cut {
                    body.truncate(start + 1 + cut % stored);
                }
                let d = Sha256::digest(&body);
                body.extend_from_slice(&d);
                let lean = lean_from_bytes(&body);
                let burn = from_bytes(&body, &Device::flex());
                prop_assert_eq!(lean.as_ref().err(), burn.as_ref().err());
                if let Ok((back, _)) = burn {
                    prop_assert!(logits(&back, "in: a").iter().all(|v| v.is_finite()));
                }
            }
        }
    }
}
