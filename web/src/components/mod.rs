//! Page components, one per file.

pub mod builder;
pub mod chart;
pub mod completion;
pub mod compression;
pub mod explain;
pub mod model_status;
pub mod settings;
