//! The one slug rule, used for file names, heading anchors, tags and `new`.
//!
//! Lower-case; every run of characters that are not letters or digits (any
//! script) becomes one `-`; no leading or trailing `-`. Letters keep their
//! accents and scripts (`Café` → `café`, `Über Uns` → `über-uns`) so that
//! two different titles never fold into one slug by accident; the build still
//! reports any two entries whose slugs collide, so the rule is safe on
//! case-insensitive file systems too.

pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "customer's" → "customers", not "customer-s".
        } else {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slug_rule() {
        assert_eq!(slugify("Active listening"), "active-listening");
        assert_eq!(slugify("  The customer's time!  "), "the-customers-time");
        assert_eq!(slugify("Café — Über uns"), "café-über-uns");
        assert_eq!(slugify("Step 3: close"), "step-3-close");
        assert_eq!(slugify("---"), "");
        assert_eq!(slugify("顧客が怒っている"), "顧客が怒っている");
    }

    #[test]
    fn slugs_are_idempotent() {
        for s in ["A b", "x--y", "Ünïcödé Títle", "a'b c"] {
            let once = slugify(s);
            assert_eq!(slugify(&once), once);
        }
    }
}
