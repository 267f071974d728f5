//! The one integration test binary: each module is a feature area, each test
//! builds its own small knowledge base in a temp dir and runs the real
//! `saywhen` binary on it.

mod browser;
mod needs;
mod support;

mod author_duplicates;
mod author_hints;
mod author_messages;
mod authoring_guide;
mod build;
mod cli;
mod commonmark;
mod content;
mod diagnostics;
mod first_run;
mod gaps;
mod governance;
mod input;
mod kinds;
mod links;
mod output_guard;
mod promises_cli;
mod promises_search;
mod promises_serve;
mod promises_site;
mod promises_watch;
mod publishing;
mod reader;
mod robustness;
mod search;
mod search_eval;
mod search_ranking;
mod search_results;
mod search_spelling;
mod search_tests;
mod serve;
mod serve_overlay;
