//! Page components, one per file.

pub mod builder;
pub mod completion;
pub mod compression;
pub mod model_status;
pub mod settings;
