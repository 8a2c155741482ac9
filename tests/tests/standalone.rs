//! The repository stands alone: no tracked file outside the documentation
//! reaches for the folder of shared course material that sits beside our own
//! checkouts. A stranger's clone has nothing beside it, so such a path would
//! pass here and fail there (it did: the Jepsen fixtures were read from it).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (this package lives in `tests/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Tracked files, or every file under the root when git is not there (an
/// unpacked archive), minus build output.
fn files(root: &Path) -> Vec<PathBuf> {
    let listed = Command::new("git").arg("ls-files").current_dir(root).output();
    if let Some(out) = listed.ok().filter(|o| o.status.success()) {
        return String::from_utf8_lossy(&out.stdout).lines().map(|l| root.join(l)).collect();
    }
    let mut all = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if matches!(name.to_str(), Some("target" | ".git" | "node_modules" | "dist")) {
                continue;
            }
            if path.is_dir() {
                todo.push(path);
            } else {
                all.push(path);
            }
        }
    }
    all
}

/// Does a line name the sibling folder, in any of the spellings code uses
/// (`../shared`, `"..", "shared"` in a join, `..\shared`)? Quotes, spaces and
/// commas are taken out and backslashes made slashes before looking.
fn names_sibling_folder(line: &str) -> bool {
    let squeezed: String = line
        .chars()
        .filter(|c| !matches!(c, '\'' | '"' | ' ' | '`'))
        .map(|c| if matches!(c, ',' | '\\') { '/' } else { c })
        .collect();
    let needle = ["..", "/", "shared"].concat();
    squeezed.contains(&needle) || squeezed.contains(&["..).join(", "shared"].concat())
}

#[test]
fn the_matcher_sees_every_spelling() {
    let up = "..";
    for line in [
        format!("read(\"{up}/shared/x\")"),
        format!("join(ROOT, '{up}', 'shared', 'x')"),
        format!("Path::new(\"{up}\").join(\"shared\")"),
        format!("{up}\\shared\\x"),
    ] {
        assert!(names_sibling_folder(&line), "{line}");
    }
    assert!(!names_sibling_folder("use std::rc::Rc; // shared state"));
    assert!(!names_sibling_folder("tests/fixtures/jepsen"));
}

#[test]
fn no_tracked_file_outside_the_docs_names_the_sibling_folder() {
    let root = root();
    let mut offenders = Vec::new();
    let mut read = 0;
    for path in files(&root) {
        let is_doc = path.extension().is_some_and(|e| e == "md");
        // This file spells the folder out to look for it.
        if is_doc || path.ends_with("tests/tests/standalone.rs") {
            continue;
        }
        // Binary files (images, wasm) are skipped: they carry no paths we write.
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        read += 1;
        for (n, line) in text.lines().enumerate() {
            if names_sibling_folder(line) {
                offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(read > 100, "only {read} files read: is this the repository?");
    assert!(
        offenders.is_empty(),
        "files outside the repository are read:\n{}",
        offenders.join("\n")
    );
}
