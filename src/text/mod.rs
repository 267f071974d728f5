//! Small text helpers several stages share; they import nothing of the
//! pipeline.

pub mod suggest;
pub mod tags;
