//! What the pass holds while it is inside a heading, a say-phrase or a
//! snippet include: the pass owns it, the files that handle each close it.

use super::PhraseKind;
use pulldown_cmark::Event;

pub(super) struct HeadingState<'e> {
    pub(super) level: u8,
    pub(super) custom_id: Option<String>,
    /// The `{.class}` names kept for the `class` attribute.
    pub(super) classes: Vec<String>,
    pub(super) text: String,
    pub(super) events: Vec<Event<'e>>,
}

pub(super) struct PhraseState {
    pub(super) kind: PhraseKind,
    pub(super) text: String,
}

pub(super) struct SnippetState {
    pub(super) name: String,
    pub(super) offset: usize,
    pub(super) len: usize,
    pub(super) has_text: bool,
}
