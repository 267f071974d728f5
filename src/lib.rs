//! saywhen: a static site generator for contact-center knowledge bases.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (files → entries) → [`resolve`] (links, backlinks, A–Z) →
//! [`render`] (pages and the [`search`] index in memory) → [`write`]
//! (atomic swap into the output).
//! [`pipeline`] strings them together; [`cli`] is the command line on top.

#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod diag;
pub mod governance;
pub mod load;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod slug;
pub mod text;
pub mod timings;
pub mod write;
