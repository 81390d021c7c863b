//! The models folder the page offers (`public/models`): its [`manifest`], the names of the
//! files a model keeps there, and [`thin`]ning an older model's checkpoints to stay within
//! the folder's size limit.

pub mod files;
pub mod manifest;
pub mod thin;
