//! HTML escaping, shared by load (the Markdown pass), render (tera's
//! escape function, the pages it assembles) and serve (its error page).

/// `s` with `&`, `<`, `>`, `"` and `'` written as references, so it is safe
/// as text and inside an attribute quoted either way.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    push_escaped_html(&mut out, s);
    out
}

/// [`escape_html`] onto the end of `out`.
pub(crate) fn push_escaped_html(out: &mut String, s: &str) {
    escape_each(s, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
}

/// [`escape_html`] straight into `out` (tera's escape function: every
/// value a template prints goes through here).
pub(crate) fn write_escaped_html(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_each(s, |piece| out.write_all(piece.as_bytes()))
}

/// Hands `s` to `put` in pieces, special characters replaced. Most text
/// has nothing to escape: the runs between special bytes go whole instead
/// of one character at a time.
fn escape_each<E>(s: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut rest = s;
    while let Some(at) = first_special(rest.as_bytes()) {
        put(&rest[..at])?;
        put(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    put(rest)
}

/// The first byte [`escape_each`] rewrites, found with memchr's vector
/// search: a template prints many values per page, and most have nothing
/// to escape (docs/performance.md).
fn first_special(bytes: &[u8]) -> Option<usize> {
    let markup = memchr::memchr3(b'&', b'<', b'>', bytes);
    let quote = memchr::memchr2(b'"', b'\'', &bytes[..markup.unwrap_or(bytes.len())]);
    quote.or(markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escaper's vector search finds the same bytes as a plain loop
    /// over the chars, wherever they fall: first, last, in runs, beside
    /// multi-byte characters, before and after 16 and 32 bytes of text.
    #[test]
    fn escaping_matches_a_char_by_char_escape() {
        fn plain(s: &str) -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        }
        let pieces = [
            "a",
            "é",
            "→",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "say when",
            "0123456789abcde",
        ];
        let mut state = 7u32;
        for len in 0..60 {
            let mut text = String::new();
            for _ in 0..len {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            assert_eq!(escape_html(&text), plain(&text), "{text:?}");
        }
        assert_eq!(escape_html(&"x".repeat(31)), "x".repeat(31));
        assert_eq!(
            escape_html(&format!("{}&", "x".repeat(16))),
            format!("{}&amp;", "x".repeat(16))
        );
    }
}
