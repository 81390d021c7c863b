//! Page components, one per file.

pub mod completion;
pub mod model_status;
