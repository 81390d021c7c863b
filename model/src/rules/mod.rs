//! What the model reads: the bundled [`words`] and their split, the [`template`] an example
//! is written in and the [`formats`] training draws templates from, [`inputs`] of many kinds,
//! the rule [`space`] of string programs and its train / held-out [`split`], the project's
//! fixed [`tasks`] (programs of the space, two table tasks, and the sums of [`arithmetic`]),
//! and the [`corpus`] of training sequences made of them.

pub mod arithmetic;
pub mod corpus;
pub mod formats;
pub mod inputs;
pub mod space;
pub mod split;
pub mod tasks;
pub mod template;
pub mod words;
