//! saywhen: a static site generator for contact-center knowledge bases.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (files → entries) → [`resolve`] (links, backlinks, A–Z) →
//! [`render`] (pages and the [`search`] index in memory) → [`write`](mod@write)
//! (atomic swap into the output).
//! [`pipeline`] strings them together; [`cli`] is the command line on top.

#![forbid(unsafe_code)]
// The API docs are for the people who work on saywhen and are built with
// `--document-private-items` (.ci/run), where links to private items work.
#![allow(rustdoc::private_intra_doc_links)]

pub(crate) mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub(crate) mod gaps;
pub(crate) mod governance;
pub mod load;
pub(crate) mod pipeline;
pub mod render;
pub mod resolve;
pub mod search;
pub mod serve;
pub mod settings;
pub mod slug;
pub mod text;
pub(crate) mod timings;
pub(crate) mod write;
