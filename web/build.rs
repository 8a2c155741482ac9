//! Compiles the string catalogs (`i18n/zh.toml`, `i18n/en.toml`, the files
//! translators edit) into sorted Rust tables, `$OUT_DIR/catalog.rs`, which
//! `src/i18n.rs` includes. The build fails, naming the keys, when the two
//! files do not hold the same keys or a string is empty; TOML itself refuses
//! a key written twice.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

const LANGS: [(&str, &str); 2] = [("zh", "ZH"), ("en", "EN")];

/// Separates the strings of a catalog in the generated source.
const SEP: char = '\u{1f}';

fn read(lang: &str) -> BTreeMap<String, String> {
    let path = format!("i18n/{lang}.toml");
    println!("cargo::rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let catalogs: Vec<_> = LANGS.iter().map(|(lang, name)| (*lang, *name, read(lang))).collect();
    let (first, _, reference) = &catalogs[0];
    for (lang, _, catalog) in &catalogs[1..] {
        let only = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| {
            a.keys().filter(|k| !b.contains_key(*k)).cloned().collect::<Vec<_>>().join(", ")
        };
        let (missing, extra) = (only(reference, catalog), only(catalog, reference));
        assert!(
            missing.is_empty() && extra.is_empty(),
            "i18n/{lang}.toml lacks [{missing}] and i18n/{first}.toml lacks [{extra}]"
        );
    }
    // One string of keys and one of texts per language, each split at a
    // unit separator, in key order: no table of pointers to weigh in the
    // wasm (they compressed worse than the text itself).
    let mut out = String::new();
    let join = |strings: Vec<&String>| {
        for s in &strings {
            assert!(!s.contains(SEP), "{s:?} holds the separator U+001F");
        }
        strings.into_iter().map(String::as_str).collect::<Vec<_>>().join(&SEP.to_string())
    };
    let keys = join(reference.keys().collect());
    let _ = writeln!(out, "/// Every key, sorted, separated by U+001F.");
    let _ = writeln!(out, "pub static KEYS: &str = {keys:?};");
    for (lang, name, catalog) in &catalogs {
        if let Some((k, _)) = catalog.iter().find(|(_, v)| v.is_empty()) {
            panic!("i18n/{lang}.toml: {k} is empty");
        }
        let text = join(catalog.values().collect());
        let _ = writeln!(
            out,
            "/// Every string in `i18n/{lang}.toml`, in key order, separated by U+001F."
        );
        let _ = writeln!(out, "pub static {name}: &str = {text:?};");
    }
    let dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dir.join("catalog.rs"), out).expect("write catalog.rs");
}
