//! A burn network's parameters by their dotted names (`blocks.0.attn.query.weight`): what the
//! weight file stores and the lean network is made from.

use std::collections::BTreeMap;

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

use crate::net::transformer::Transformer;

/// Walks the network's parameters in a fixed order, with dotted names.
#[derive(Default)]
pub(crate) struct Collect {
    path: Vec<String>,
    pub tensors: Vec<(String, TensorData)>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, _container: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _name: &str, _container: &str) {
        self.path.pop();
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.tensors.push((
            self.path.join("."),
            param.val().into_data().convert::<f32>(),
        ));
    }
}

/// Every parameter of `net` by its dotted name: shape and values.
pub fn named_tensors(net: &Transformer) -> BTreeMap<String, (Vec<usize>, Vec<f32>)> {
    let mut collect = Collect::default();
    net.visit(&mut collect);
    collect
        .tensors
        .into_iter()
        .map(|(name, d)| {
            let shape = d.shape().to_vec();
            (
                name,
                (shape, d.try_into_vec::<f32>().expect("collected as f32")),
            )
        })
        .collect()
}
