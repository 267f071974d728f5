//! The output folder's guard: where a build may write, decided before
//! anything is touched.
//!
//! A build replaces its output folder whole, so an output that is, holds or
//! lies inside the knowledge base's own sources would destroy the team's
//! only copy of its wording. The guard looks at where a path leads, not how
//! it is spelled: it resolves symlinks, `.` and `..` and relative forms
//! first, then compares the result with the knowledge base's folders (and
//! with where they lead in turn, for a `content/` that is itself a link).
//! `--force` never overrides it.

use anyhow::{Context as _, bail};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// What a knowledge base holds besides its output, with what losing it
/// would mean, as the error says it.
const SOURCES: &[(&str, &str)] = &[
    ("content", "every entry and attachment in it"),
    ("templates", "the site's own templates"),
    ("static", "the site's own static files"),
    ("themes", "the site's themes"),
    ("site.toml", "the site's settings"),
    (".git", "the knowledge base's history"),
];

/// How many symlinks a path may pass through before it is taken for a loop
/// (the Linux kernel's own limit).
const MAX_LINKS: usize = 40;

/// Resolves `out` and checks it against the knowledge base at `root`.
/// Returns the resolved output folder (absolute, symlinks followed), which
/// is where the build should write: a link to a folder elsewhere keeps
/// pointing there.
pub(crate) fn output_folder(root: &Path, out: &Path) -> anyhow::Result<PathBuf> {
    let root = resolve(root).with_context(|| {
        format!(
            "cannot resolve the knowledge base folder {}",
            root.display()
        )
    })?;
    let resolved =
        resolve(out).with_context(|| format!("cannot resolve the output {}", out.display()))?;
    let shown = out.display();
    let instead = "build into a folder of its own instead, such as `--output public` (the default); --force does not override this";
    if resolved == root {
        bail!(
            "refusing to build into {shown}: it is the knowledge base folder itself, and building there would delete site.toml, content/ and everything else in it; {instead}"
        );
    }
    if root.starts_with(&resolved) {
        bail!(
            "refusing to build into {shown}: it contains the knowledge base {} (it is {}), and building there would delete the whole knowledge base; {instead}",
            root.display(),
            resolved.display()
        );
    }
    for (name, loss) in SOURCES {
        let source = root.join(name);
        let mut places = vec![source.clone()];
        // A source that is a link (content/ shared from elsewhere) is
        // guarded where it leads too.
        if let Ok(target) = resolve(&source)
            && target != source
        {
            places.push(target);
        }
        for place in &places {
            let (what, harm) = if resolved == *place {
                ("is", format!("building there would destroy {loss}"))
            } else if place.starts_with(&resolved) {
                ("contains", format!("building there would destroy {loss}"))
            } else if resolved.starts_with(place) {
                (
                    "lies inside",
                    "the site would be written among the knowledge base's own files".to_string(),
                )
            } else {
                continue;
            };
            let leads = if resolved == lexical(out)? {
                String::new()
            } else {
                format!(" (it leads to {})", resolved.display())
            };
            let there = if place == &source {
                String::new()
            } else {
                format!(" ({})", place.display())
            };
            bail!(
                "refusing to build into {shown}{leads}: it {what} the knowledge base's {name}{there}, and {harm}; {instead}"
            );
        }
    }
    Ok(resolved)
}

/// `path` made absolute with `.` and `..` applied to its spelling alone:
/// where it would lead if no part of it were a symlink.
fn lexical(path: &Path) -> anyhow::Result<PathBuf> {
    let mut done = PathBuf::new();
    for part in absolute(path)?.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                done.pop();
            }
            other => done.push(other),
        }
    }
    Ok(done)
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    Ok(if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("cannot read the current folder")?
            .join(path)
    })
}

/// `path` made absolute with every symlink followed and every `.` and `..`
/// applied, also where its last parts do not exist yet (a new output
/// folder). A `..` after a symlink climbs from where the link leads, as the
/// kernel does.
fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute = absolute(path)?;
    let mut links = 0;
    let mut done = PathBuf::new();
    // Parts still to walk, in reverse, so that a link's target can be put
    // in front of what follows it.
    let mut pending: Vec<PathBuf> = absolute
        .components()
        .rev()
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect();
    while let Some(part) = pending.pop() {
        match part.components().next() {
            Some(Component::Prefix(_) | Component::RootDir) => done.push(&part),
            Some(Component::CurDir) | None => {}
            Some(Component::ParentDir) => {
                done.pop();
            }
            Some(Component::Normal(name)) => {
                let next = done.join(name);
                match next.symlink_metadata() {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        links += 1;
                        if links > MAX_LINKS {
                            bail!("{} passes through too many symlinks", path.display());
                        }
                        let target = std::fs::read_link(&next)
                            .with_context(|| format!("cannot read the link {}", next.display()))?;
                        if target.is_absolute() {
                            done = PathBuf::new();
                        }
                        pending.extend(
                            target
                                .components()
                                .rev()
                                .map(|c| PathBuf::from(c.as_os_str())),
                        );
                    }
                    Ok(_) => done = next,
                    // Nothing there yet: what follows cannot be a link.
                    Err(e) if e.kind() == ErrorKind::NotFound => done = next,
                    Err(e) => {
                        return Err(e)
                            .with_context(|| format!("cannot look at {}", next.display()));
                    }
                }
            }
        }
    }
    Ok(done)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn kb() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/faq")).unwrap();
        std::fs::write(dir.path().join("site.toml"), "title = \"x\"\n").unwrap();
        dir
    }

    #[test]
    fn resolve_applies_dots_and_links_where_they_lead() {
        let dir = kb();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&root.join("content/./faq/../faq/new")).unwrap(),
            root.join("content/faq/new")
        );
        std::os::unix::fs::symlink(root.join("content/faq"), root.join("link")).unwrap();
        // `..` after a link climbs from its target, not from the link.
        assert_eq!(
            resolve(&root.join("link/../x")).unwrap(),
            root.join("content/x")
        );
        std::os::unix::fs::symlink("content", root.join("relative")).unwrap();
        assert_eq!(
            resolve(&root.join("relative/faq")).unwrap(),
            root.join("content/faq")
        );
    }

    #[test]
    fn a_link_loop_is_an_error_not_a_hang() {
        let dir = kb();
        let root = dir.path();
        std::os::unix::fs::symlink(root.join("b"), root.join("a")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("b")).unwrap();
        let e = resolve(&root.join("a")).unwrap_err();
        assert!(format!("{e:#}").contains("too many symlinks"), "{e:#}");
    }

    #[test]
    fn sources_and_ancestors_are_refused_and_a_sibling_is_not() {
        let dir = kb();
        let root = dir.path();
        for bad in [
            root.to_path_buf(),
            root.parent().unwrap().to_path_buf(),
            root.join("content"),
            root.join("content/faq/out"),
            root.join("site.toml"),
            root.join("templates/x"),
        ] {
            assert!(
                output_folder(root, &bad).is_err(),
                "{} allowed",
                bad.display()
            );
        }
        let ok = output_folder(root, &root.join("public")).unwrap();
        assert_eq!(ok, root.canonicalize().unwrap().join("public"));
    }

    #[test]
    fn a_content_folder_that_is_a_link_is_guarded_where_it_leads() {
        let shared = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(shared.path().join("entries")).unwrap();
        std::os::unix::fs::symlink(shared.path().join("entries"), root.join("content")).unwrap();
        let e = output_folder(root, shared.path()).unwrap_err();
        assert!(
            format!("{e:#}").contains("contains the knowledge base's content"),
            "{e:#}"
        );
    }
}
