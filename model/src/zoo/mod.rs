//! The models folder the page offers (`public/models`): its [`manifest`] and the names of
//! the files a model keeps there.

pub mod files;
pub mod manifest;
