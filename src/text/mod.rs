//! Small text helpers that several stages share. This module imports
//! nothing of the pipeline, so any stage may use it without reaching into
//! another.

pub mod escape;
pub(crate) mod suggest;
pub(crate) mod tags;
