//! Destinations that are not other entries: external addresses, refused
//! when their scheme can run code, and files under `content/` (images,
//! PDFs), resolved against the entry's folder and checked to exist.

use super::diagnostics::truncate;
use super::links::has_scheme;
use super::pass::Pass;

impl Pass<'_, '_> {
    /// Checks an image or a non-entry link and returns the `href` to write.
    /// Entry pages sit one folder deep (`faq/x.html`), so a file under
    /// `content/` is reached through `../`.
    pub(super) fn asset_or_external(&mut self, dest: &str, offset: usize, len: usize) -> String {
        let lower = dest.trim_start().to_ascii_lowercase();
        if has_scheme(dest) {
            let unsafe_scheme = ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| lower.starts_with(s));
            if unsafe_scheme && !self.input.allow_unsafe_links {
                self.error(
                    offset,
                    len,
                    format!("unsafe link target `{}`", truncate(dest, 40)),
                    "`javascript:`, `vbscript:` and `data:` links are refused; link to a page or file instead, or set `markdown.allow_unsafe_links = true` in site.toml if every author is trusted",
                );
                return "#".to_string();
            }
            if lower.starts_with("file:") {
                self.error(
                    offset,
                    len,
                    format!("link to a local file `{}`", truncate(dest, 60)),
                    "agents cannot open files on the build machine: put the file under content/ and link it relatively",
                );
                return "#".to_string();
            }
            return dest.to_string();
        }
        if dest.starts_with('/') || dest.starts_with('\\') || is_windows_absolute(dest) {
            self.error(
                offset,
                len,
                format!("absolute path `{}` in a link", truncate(dest, 60)),
                "link with a path relative to this file (`../techniques/x.md`), or a wikilink `[[slug]]`",
            );
            return "#".to_string();
        }
        if dest.is_empty() || dest.starts_with('#') {
            return dest.to_string();
        }
        let (path, rest) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let Some(asset) = self.normalize(path, offset, len) else {
            return "#".to_string();
        };
        if !self.input.assets.contains(&asset) {
            self.error(
                offset,
                len,
                format!("link to missing file `{path}`"),
                format!("no file `content/{asset}` exists; check the name, or add the file beside the entries"),
            );
        } else {
            self.out.assets.push(asset.clone());
        }
        format!("../{asset}{rest}")
    }

    /// Resolves `path` against the entry's folder into a content-relative
    /// path; `None` (with an error) when it climbs out of `content/`.
    pub(super) fn normalize(&mut self, path: &str, offset: usize, len: usize) -> Option<String> {
        let mut parts: Vec<&str> = self
            .input
            .dir
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        // Decode first, so `%2e%2e/` climbs like `../` and is refused alike.
        let decoded = percent_decode(path);
        for part in decoded.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        self.error(
                            offset,
                            len,
                            format!("link `{}` leaves the content folder", truncate(path, 60)),
                            "only files under content/ are published; link to an entry or to a file under content/",
                        );
                        return None;
                    }
                }
                p => parts.push(p),
            }
        }
        Some(parts.join("/"))
    }
}

fn is_windows_absolute(dest: &str) -> bool {
    let b = dest.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// `%20` and friends in a relative link name a file with that character.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
                && !(h * 16 + l < 0x20 || h * 16 + l == 0x7f)
            {
                // Control characters (`%00`) stay encoded: no file has them.
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, run_beside};

    #[test]
    fn unsafe_and_escaping_links_are_errors() {
        let (_, d) = run(
            "[a](javascript:alert(1)) [b](../../secret.md) [c](/etc/passwd) [d](missing.pdf) [e](chart.png)\n",
            false,
        );
        let msgs: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].starts_with("unsafe link target"));
        assert!(msgs[1].contains("leaves the content folder"));
        assert!(msgs[2].starts_with("absolute path"));
        assert!(msgs[3].contains("missing file"));
    }

    #[test]
    fn link_destinations_are_percent_encoded() {
        let body = "[x](</my file.pdf>) [y](my%20file.pdf) [z](<my file.pdf>) \
                    [w](<https://x.example/a b?q=\"1\"&r='2'>) ![c](café.png)\n";
        let (p, d) = run_beside(body, false, &["faq/my file.pdf", "faq/café.png"]);
        // The absolute path is still refused; the others resolve.
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("absolute path"));
        assert_eq!(
            p.html,
            "<p><a href=\"#\">x</a> <a href=\"../faq/my%20file.pdf\">y</a> \
             <a href=\"../faq/my%20file.pdf\">z</a> \
             <a href=\"https://x.example/a%20b?q=%221%22&amp;r=&#x27;2&#x27;\">w</a> \
             <img src=\"../faq/caf%C3%A9.png\" alt=\"c\" /></p>\n"
        );
    }

    #[test]
    fn assets_are_linked_relatively() {
        let (p, d) = run("![chart](chart.png)\n", false);
        assert!(d.is_empty());
        assert!(p.html.contains("src=\"../faq/chart.png\""), "{}", p.html);
        assert_eq!(p.assets, ["faq/chart.png"]);
    }
}
