//! The network: its shape ([`config`]), the character [`tokenizer`], the burn
//! [`transformer`] (training, reference) and the [`lean`] forward the page runs, decoding and
//! sampling on either, the weight file format, and the tensor backends.

pub mod backend;
pub mod config;
pub mod decoding;
#[cfg(test)]
mod flex_kernels;
pub mod lean;
pub mod model;
pub mod named;
pub mod sampling;
pub mod tensors;
pub mod tokenizer;
pub mod transformer;
pub mod weights;
