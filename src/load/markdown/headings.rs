//! Headings in the pass: each gets a unique id (its `{#id}`, `step-N` for a
//! playbook's steps, or a slug of its text), the classes that are safe to
//! keep, a number when it is a playbook step, and a `#` anchor link.

use super::Heading;
use super::diagnostics::truncate;
use super::pass::Pass;
use crate::slug::slugify;
use crate::text::escape::push_escaped_html;
use pulldown_cmark::{CowStr, Event};

impl<'e> Pass<'_, 'e> {
    /// The classes of a heading's `{#id .class}` block that are kept: names
    /// of letters, digits, `-` and `_`, which a stylesheet can select as
    /// they are. Other classes and `key=value` attributes are left out
    /// with a warning: a theme cannot rely on them, and an attribute such
    /// as `style=` or `onclick=` would put the author's markup on the page.
    pub(super) fn heading_classes(
        &mut self,
        classes: Vec<CowStr<'_>>,
        attrs: Vec<(CowStr<'_>, Option<CowStr<'_>>)>,
        offset: usize,
        len: usize,
    ) -> Vec<String> {
        let mut kept = Vec::with_capacity(classes.len());
        for class in classes {
            if is_plain_class(&class) {
                kept.push(class.to_string());
            } else {
                self.warn(
                    offset,
                    len,
                    format!("heading class `.{}` is left out", truncate(&class, 40)),
                    "a class may hold only letters, digits, `-` and `_` (`{.warning}`, `{.call-out_2}`)",
                );
            }
        }
        for (key, value) in attrs {
            let written = match value {
                Some(v) => format!("{key}={v}"),
                None => key.to_string(),
            };
            self.warn(
                offset,
                len,
                format!("heading attribute `{}` is left out", truncate(&written, 40)),
                "only `{#id}` and `{.class}` are kept on a heading; remove the attribute",
            );
        }
        kept
    }

    pub(super) fn finish_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let step = (self.input.is_playbook && h.level == 2).then(|| {
            self.steps += 1;
            self.steps
        });
        let base = match (&h.custom_id, step) {
            (Some(id), _) => id.clone(),
            (None, Some(n)) => format!("step-{n}"),
            (None, None) => {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let level = h.level;
        // Built piece by piece rather than with `format!`: every heading of
        // every entry comes here (docs/performance.md).
        let digit = char::from(b'0' + level.min(9));
        let mut open = String::with_capacity(128 + id.len());
        open.push_str("<h");
        open.push(digit);
        open.push_str(" id=\"");
        push_escaped_html(&mut open, &id);
        open.push('"');
        if step.is_some() || !h.classes.is_empty() {
            open.push_str(" class=\"");
            if step.is_some() {
                open.push_str("step");
            }
            for (i, class) in h.classes.iter().enumerate() {
                if i > 0 || step.is_some() {
                    open.push(' ');
                }
                // Plain names (`is_plain_class`): nothing to escape.
                open.push_str(class);
            }
            open.push('"');
        }
        if let Some(n) = step {
            open.push_str(
                "><span class=\"step-number\"><span class=\"visually-hidden\">Step </span>",
            );
            open.push_str(itoa::Buffer::new().format(n));
            open.push_str("</span> ");
        } else {
            open.push('>');
        }
        self.events.push(Event::Html(open.into()));
        self.events.extend(h.events);
        let mut close = String::with_capacity(96 + id.len());
        close.push_str("<a class=\"anchor\" href=\"#");
        push_escaped_html(&mut close, &id);
        close.push_str("\" aria-label=\"Link to this section\">#</a></h");
        close.push(digit);
        close.push_str(">\n");
        self.events.push(Event::Html(close.into()));
        self.out.headings.push(Heading {
            level,
            text,
            id,
            step,
        });
    }
}

/// A heading class kept as it is written; see [`Pass::heading_classes`].
fn is_plain_class(class: &str) -> bool {
    !class.is_empty()
        && class
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;

    #[test]
    fn playbook_steps_are_numbered() {
        let (p, _) = run(
            "Intro\n\n## Prepare\n\n### Detail\n\n## Open the call\n",
            true,
        );
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["step-1", "detail", "step-2"]);
        assert_eq!(p.headings[2].step, Some(2));
        assert!(p.html.contains("<h2 id=\"step-2\" class=\"step\">"));
    }

    #[test]
    fn duplicate_headings_get_unique_ids() {
        let (p, _) = run("## Notes\n\n## Notes\n\n## Custom {#mine}\n", false);
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["notes", "notes-1", "mine"]);
    }

    #[test]
    fn heading_classes_are_kept_and_other_attributes_warned_about() {
        let (p, d) = run(
            "## Title {.warning}\n\n## Both {#mine .a .b-2_c}\n\n## Odd {.x:y onclick=alert(1)}\n",
            false,
        );
        assert_eq!(
            p.html,
            "<h2 id=\"title\" class=\"warning\">Title<a class=\"anchor\" href=\"#title\" aria-label=\"Link to this section\">#</a></h2>\n\
             <h2 id=\"mine\" class=\"a b-2_c\">Both<a class=\"anchor\" href=\"#mine\" aria-label=\"Link to this section\">#</a></h2>\n\
             <h2 id=\"odd\">Odd<a class=\"anchor\" href=\"#odd\" aria-label=\"Link to this section\">#</a></h2>\n"
        );
        let msgs: Vec<_> = d.iter().map(|d| (d.severity, d.message.as_str())).collect();
        assert_eq!(
            msgs,
            [
                (
                    crate::diag::Severity::Warning,
                    "heading class `.x:y` is left out"
                ),
                (
                    crate::diag::Severity::Warning,
                    "heading attribute `onclick=alert(1)` is left out"
                ),
            ]
        );
        assert_eq!(d[0].line(), Some(5));
    }

    #[test]
    fn playbook_steps_keep_their_class_beside_the_authors() {
        let (p, _) = run("## Open {.warning}\n", true);
        assert!(
            p.html.starts_with(
                "<h2 id=\"step-1\" class=\"step warning\"><span class=\"step-number\">"
            ),
            "{}",
            p.html
        );
    }
}
