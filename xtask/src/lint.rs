//! The code's shape, checked by `cargo xtask test`: no function in the web
//! app longer than [`MAX_FN_LINES`] lines (a component per panel, none
//! running to hundreds of lines). Functions are found in the syntax tree,
//! so a closure or an `html!` body counts toward the function holding it.

use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::Result;

/// The longest a function in `web/` may be, in lines.
pub const MAX_FN_LINES: usize = 150;

/// A function and its length.
#[derive(Debug, PartialEq, Eq)]
pub struct Length {
    pub file: String,
    pub name: String,
    pub line: usize,
    pub lines: usize,
}

struct Finder<'a> {
    file: &'a str,
    out: Vec<Length>,
}

impl Finder<'_> {
    fn add(&mut self, name: String, span: proc_macro2::Span) {
        let (start, end) = (span.start().line, span.end().line);
        let file = self.file.to_string();
        self.out.push(Length { file, name, line: start, lines: end + 1 - start });
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.add(f.sig.ident.to_string(), f.span());
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.add(f.sig.ident.to_string(), f.span());
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.add(f.sig.ident.to_string(), f.span());
        syn::visit::visit_trait_item_fn(self, f);
    }
}

/// Every function in the Rust source `text`, with its length in lines.
pub fn functions(file: &str, text: &str) -> Result<Vec<Length>> {
    let tree = syn::parse_file(text).map_err(|e| format!("{file}: {e}"))?;
    let mut finder = Finder { file, out: Vec::new() };
    finder.visit_file(&tree);
    Ok(finder.out)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Fail, naming each one, when a function under `dir` is too long.
pub fn check_function_lengths(root: &Path, dir: &str) -> Result {
    let mut files = Vec::new();
    rust_files(&root.join(dir), &mut files);
    files.sort();
    let mut all = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.strip_prefix(root).unwrap_or(path).display().to_string();
        all.extend(functions(&name, &text)?);
    }
    let longest = all.iter().max_by_key(|f| f.lines);
    if let Some(f) = longest {
        println!(
            "{} functions in {dir}; the longest is {} ({}:{}), {} lines (at most {MAX_FN_LINES})",
            all.len(),
            f.name,
            f.file,
            f.line,
            f.lines
        );
    }
    let long: Vec<String> = all
        .iter()
        .filter(|f| f.lines > MAX_FN_LINES)
        .map(|f| format!("{}:{} {} ({} lines)", f.file, f.line, f.name, f.lines))
        .collect();
    if long.is_empty() {
        Ok(())
    } else {
        Err(format!("functions over {MAX_FN_LINES} lines: {}", long.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_every_line_of_a_function_and_find_methods_too() {
        let src = "fn a() {\n    1;\n}\n\nstruct S;\nimpl S {\n    fn b(&self) {\n        let f = || {\n            2\n        };\n    }\n}\n";
        let found = functions("x.rs", src).expect("parses");
        let got: Vec<(&str, usize, usize)> =
            found.iter().map(|f| (f.name.as_str(), f.line, f.lines)).collect();
        assert_eq!(got, [("a", 1, 3), ("b", 7, 5)]);
    }

    #[test]
    fn a_long_function_fails_the_check() {
        let dir = std::env::temp_dir().join(format!("qs-lint-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).expect("temp dir");
        let body = "    let _x = 1;\n".repeat(MAX_FN_LINES);
        std::fs::write(dir.join("src/long.rs"), format!("fn long() {{\n{body}}}\n"))
            .expect("write");
        let err = check_function_lengths(&dir, "src").expect_err("too long");
        assert!(err.contains("long"), "{err}");
        std::fs::write(dir.join("src/long.rs"), "fn short() {}\n").expect("write");
        assert!(check_function_lengths(&dir, "src").is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
