//! The dependency order of the app's rooms: each top-level module of `app/src` may use the
//! modules before it in `ORDER`, never one after it. The app's root (`lib.rs`) and the
//! registry compose the rooms, so they may use any; any room may use the registry, the one
//! door upward, where the app lists what a lower room shows or asks of a higher one.

use std::path::{Path, PathBuf};

/// Lowest first. Keep README's architecture screen in step with it.
pub const ORDER: &[&str] = &[
    "i18n",
    "domain",
    "codec",
    "error",
    "locale",
    "auth",
    "state",
    "api",
    "shared",
    "upload",
    "ui",
    "views",
    "documents",
    "users",
    "contacts",
    "activities",
    "outbox",
    "tasks",
    "projects",
    "crm",
    "products",
    "quotes",
    "invoices",
    "dashboard",
    "seed",
    "shell",
    "pages",
];

/// Modules that compose the others: they may use every room, and every room may use the
/// registry.
const COMPOSERS: &[&str] = &["lib", "registry"];

/// One use of a module that comes later in the order (or that the order does not know).
#[derive(Debug, PartialEq, Eq)]
pub struct Violation {
    pub file: PathBuf,
    pub line: usize,
    pub text: String,
    pub problem: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}\n    {}",
            self.file.display(),
            self.line,
            self.problem,
            self.text
        )
    }
}

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

/// The top-level module a file of `src` belongs to: its first directory, or its stem.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// The modules a line names as `crate::<module>`, outside a line comment.
fn crate_paths(line: &str) -> Vec<&str> {
    let code = match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    };
    code.match_indices("crate::")
        .filter(|(at, _)| {
            // `crate::` itself, not the end of a longer name such as `my_crate::`.
            !code[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Checks one file's text, as the file `relative` (to `src`) of module `module`.
pub fn check_text(relative: &Path, text: &str) -> Vec<Violation> {
    let module = module_of(relative);
    if COMPOSERS.contains(&module.as_str()) {
        return Vec::new();
    }
    let violation = |line: usize, text: &str, problem: String| Violation {
        file: relative.to_path_buf(),
        line,
        text: text.trim().to_string(),
        problem,
    };
    let Some(own) = rank(&module) else {
        return vec![violation(
            1,
            "",
            format!(
                "the module `{module}` has no place in the dependency order (xtask/src/layers.rs)"
            ),
        )];
    };
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for target in crate_paths(line) {
            if target == module || COMPOSERS.contains(&target) {
                continue;
            }
            match rank(target) {
                Some(theirs) if theirs < own => {}
                Some(_) => found.push(violation(
                    index + 1,
                    line,
                    format!(
                        "`{module}` uses `{target}`, which comes after it in the dependency order; \
                         register what it needs in `registry` or move it down"
                    ),
                )),
                None => found.push(violation(
                    index + 1,
                    line,
                    format!(
                        "`{module}` uses `crate::{target}`, which is not a module of the order"
                    ),
                )),
            }
        }
    }
    found
}

/// Checks every `.rs` file under `src`; paths in the answer are relative to `src`.
pub fn check_tree(src: &Path) -> Result<Vec<Violation>, String> {
    let mut files = Vec::new();
    collect(src, &mut files)?;
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let relative = file.strip_prefix(src).unwrap_or(&file);
        found.extend(check_text(relative, &text));
    }
    Ok(found)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, text: &str) -> Vec<String> {
        check_text(Path::new(path), text)
            .into_iter()
            .map(|v| format!("{}:{}", v.file.display(), v.line))
            .collect()
    }

    #[test]
    fn a_room_may_use_those_below_it_and_the_registry() {
        let text = "use crate::contacts::ContactRef;\nuse crate::ui::Dialog;\n\
                    let s = crate::registry::list_schema(key);\nuse super::db;\n";
        assert!(check("crm/ui/page.rs", text).is_empty());
        assert!(check("lib.rs", "use crate::quotes::ui::QuotePage;").is_empty());
        assert!(check("registry/mod.rs", "&crate::quotes::list::QUOTES,").is_empty());
    }

    #[test]
    fn a_planted_upward_use_is_found_with_its_line() {
        let text = "use crate::ui::Dialog;\n\n    <crate::quotes::ui::QuoteList contact=id/>\n";
        assert_eq!(
            check("contacts/ui/detail.rs", text),
            ["contacts/ui/detail.rs:3"]
        );
        let found = check_text(Path::new("contacts/ui/detail.rs"), text);
        assert!(found[0].problem.contains("`contacts` uses `quotes`"));
        assert_eq!(found[0].text, "<crate::quotes::ui::QuoteList contact=id/>");
    }

    #[test]
    fn two_rooms_never_use_each_other() {
        for (low, high) in [("tasks", "projects"), ("ui", "views"), ("auth", "users")] {
            let down = format!("use crate::{low}::X;");
            let up = format!("use crate::{high}::X;");
            assert!(check(&format!("{high}/mod.rs"), &down).is_empty());
            assert_eq!(check(&format!("{low}/mod.rs"), &up).len(), 1);
        }
    }

    #[test]
    fn comments_and_other_crates_do_not_count() {
        let text = "// see crate::quotes for the layout\nuse my_crate::quotes;\n";
        assert!(check("contacts/mod.rs", text).is_empty());
    }

    #[test]
    fn an_unknown_room_or_root_item_is_reported() {
        assert_eq!(check("payroll/mod.rs", "").len(), 1);
        assert_eq!(
            check("contacts/mod.rs", "use crate::UserResource;").len(),
            1
        );
    }

    #[test]
    fn the_order_names_each_room_once() {
        for (i, m) in ORDER.iter().enumerate() {
            assert!(!ORDER[i + 1..].contains(m), "{m} twice");
            assert!(!COMPOSERS.contains(m));
        }
    }
}
