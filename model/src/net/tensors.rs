//! Moving token ids into burn tensors and values back out.

use burn::tensor::{Device, Int, Tensor, TensorData};

/// `[batch, seq]` int tensor from rows of ids.
pub fn batch_tokens(rows: &[Vec<u32>], device: &Device) -> Tensor<2, Int> {
    let s = rows[0].len();
    let v: Vec<i64> = rows
        .iter()
        .flat_map(|r| r.iter().map(|&i| i64::from(i)))
        .collect();
    Tensor::from_data(TensorData::new(v, [rows.len(), s]), device)
}

/// Copies a tensor's values out as `f32`.
pub fn to_vec<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .expect("a float tensor converts to f32")
}
