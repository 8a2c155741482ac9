//! Security rules that hold for the whole app (issue: hardening): no text
//! ever reaches an HTML sink, and every place that states the Content
//! Security Policy states the same one.

use std::path::{Path, PathBuf};

/// APIs that parse a string as HTML or code. Yew's `html!` builds nodes and
/// sets text, so labels from a link are only ever text.
const SINKS: &[&str] = &[
    "inner_html",
    "outer_html",
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "insert_adjacent_html",
    "from_html_unchecked",
    "document.write",
    "eval(",
    "new Function",
    "set_attribute(\"on",
    "srcdoc",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The sinks `text` uses.
fn sinks_in(text: &str) -> Vec<&'static str> {
    SINKS.iter().copied().filter(|s| text.contains(s)).collect()
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let p = entry.path();
        if p.is_dir() {
            files(&p, exts, out);
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)) {
            out.push(p);
        }
    }
}

#[test]
fn the_scanner_finds_a_planted_sink() {
    assert_eq!(sinks_in("el.set_inner_html(&label)"), vec!["inner_html"]);
    assert_eq!(sinks_in("box.innerHTML = name"), vec!["innerHTML"]);
    assert!(sinks_in("ctx.fill_text(&label, x, y)").is_empty());
}

#[test]
fn no_user_text_reaches_an_html_sink() {
    let root = root();
    let mut paths = Vec::new();
    files(&root.join("web"), &["rs", "js", "html"], &mut paths);
    files(&root.join("crates/scene/src"), &["rs"], &mut paths);
    paths.push(root.join("index.html"));
    assert!(paths.len() > 10, "the scan sees the app's sources");
    for p in paths {
        let text = std::fs::read_to_string(&p).expect("readable");
        // This file lists the sinks; nothing else may name them.
        let found = sinks_in(&text);
        assert!(found.is_empty(), "{} uses {found:?}", p.display());
    }
}

/// The `content` of index.html's CSP meta tag.
fn meta_csp(html: &str) -> String {
    let at = html.find("Content-Security-Policy").expect("a CSP meta tag");
    let rest = &html[at..];
    let start = rest.find("content=\"").expect("content") + "content=\"".len();
    rest[start..start + rest[start..].find('"').expect("closing quote")].to_string()
}

#[test]
fn every_statement_of_the_csp_agrees() {
    let root = root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect(p);
    let page = meta_csp(&read("index.html"));
    assert!(page.contains("default-src 'self'") && !page.contains("unsafe-inline"), "{page}");
    // The test server sends the same policy as a header.
    assert!(read("tests/e2e/serve.mjs").contains(&format!("\"{page}\"")), "serve.mjs differs");
    // The sample headers add only frame-ancestors, which a meta tag cannot carry.
    let header = format!("{page}; frame-ancestors *");
    assert!(read("web/hosting/_headers").contains(&header), "_headers differs");
    assert!(read("web/hosting/nginx.conf").contains(&header), "nginx.conf differs");
}
