//! ```` ```say ```` and ```` ```avoid ```` blocks in the pass: each paragraph
//! of the block becomes a phrase card with a copy button, and a [`Phrase`]
//! for search, kept apart from the body text.

use super::pass::Pass;
use super::{Phrase, PhraseKind};
use crate::text::escape::push_escaped_html;
use pulldown_cmark::Event;

impl Pass<'_, '_> {
    pub(super) fn finish_phrases(&mut self) {
        let Some(state) = self.phrase.take() else {
            return;
        };
        let (class, label, icon) = match state.kind {
            PhraseKind::Say => ("say", "Say", "✓"),
            PhraseKind::Avoid => ("avoid", "Avoid", "✗"),
        };
        let mut html = String::with_capacity(64 + state.text.len() * 2);
        html.push_str("<div class=\"phrases phrases-");
        html.push_str(class);
        html.push_str("\">\n");
        for chunk in state.text.split("\n\n").flat_map(|c| c.split("\r\n\r\n")) {
            let mut text = String::with_capacity(chunk.len());
            for word in chunk.split_whitespace() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(word);
            }
            if text.is_empty() {
                continue;
            }
            html.push_str("<figure class=\"phrase phrase-");
            html.push_str(class);
            html.push_str("\"><figcaption><span class=\"phrase-icon\" aria-hidden=\"true\">");
            html.push_str(icon);
            html.push_str("</span> ");
            html.push_str(label);
            html.push_str("</figcaption><blockquote class=\"phrase-text\">");
            push_escaped_html(&mut html, &text);
            html.push_str("</blockquote><button type=\"button\" class=\"copy\" aria-label=\"Copy this phrase\">Copy</button></figure>\n");
            self.out.phrases.push(Phrase {
                kind: state.kind,
                text,
            });
        }
        html.push_str("</div>\n");
        self.events.push(Event::Html(html.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::PhraseKind;
    use super::super::tests::run;

    #[test]
    fn phrase_blocks_become_cards() {
        let (p, _) = run(
            "```say\nI hear you.\nLet's fix it.\n\nSecond <phrase>.\n```\n\n```avoid\nCalm down.\n```\n",
            false,
        );
        assert_eq!(p.phrases.len(), 3);
        assert_eq!(p.phrases[0].text, "I hear you. Let's fix it.");
        assert_eq!(p.phrases[2].kind, PhraseKind::Avoid);
        assert!(p.html.contains("Second &lt;phrase&gt;."));
        assert_eq!(p.html.matches("class=\"copy\"").count(), 3);
        assert!(
            !p.text.contains("Calm down"),
            "phrases are kept apart from body text"
        );
    }
}
