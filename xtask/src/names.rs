//! Short names across the wasm/JS boundary. wasm-bindgen names each import
//! after its Rust path plus a hash (`__wbg_setAttribute_f75317b2b5cabfb4`)
//! and keeps long export names (`wasm_bindgen__convert__closures_____invoke__h…`);
//! each name sits in the wasm and again in the glue, and brotli cannot
//! squeeze a hash. wasm-opt renames them to a letter or two and prints what
//! it renamed; the glue is then rewritten to match, and the build fails if
//! an import it provides was left under its old name (the module would not
//! instantiate).

use std::collections::BTreeMap;
use std::path::Path;

use crate::{Ctx, Result};

/// What wasm-opt renamed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Renames {
    /// The import module's old name and its new one.
    pub module: (String, String),
    pub imports: BTreeMap<String, String>,
    pub exports: BTreeMap<String, String>,
}

/// Minify the names in `dist`'s wasm and rewrite its glue to match.
pub fn minify(ctx: &Ctx, wasm: &Path, glue: &Path) -> Result {
    let mut c = ctx.cmd("wasm-opt");
    // -Oz again: written without it, the module's code section came out
    // 1 KB larger than trunk's wasm-opt had left it.
    c.arg(wasm)
        .args(["--minify-imports-and-exports-and-modules", "-Oz", "--low-memory-unused"])
        // As index.html's run: a large function called from one place stays
        // a function (see ARCHITECTURE.md, explorers).
        .arg("--one-caller-inline-max-function-size=1000")
        .args(["--strip-producers", "-o"])
        .arg(wasm);
    println!("  $ {}", crate::show(&c));
    let printed = ctx.capture(&mut c).ok_or("wasm-opt could not minify the wasm's names")?;
    let bytes = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let renames = parse(&printed, &import_module(&bytes)?)?;
    let text = std::fs::read_to_string(glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let out = rename_glue(&text, &renames)?;
    std::fs::write(glue, out).map_err(|e| format!("{}: {e}", glue.display()))
}

/// The one module every import of `wasm` comes from.
fn import_module(wasm: &[u8]) -> Result<String> {
    let mut modules = std::collections::BTreeSet::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| format!("reading the wasm: {e}"))?;
        if let wasmparser::Payload::ImportSection(imports) = payload {
            for import in imports.into_imports() {
                let import = import.map_err(|e| format!("reading the wasm's imports: {e}"))?;
                modules.insert(import.module.to_string());
            }
        }
    }
    match modules.len() {
        1 => Ok(modules.pop_first().unwrap_or_default()),
        n => Err(format!("the minified wasm imports from {n} modules, expected one")),
    }
}

/// wasm-opt's report (`{"imports": [[module, old, new], …], "exports":
/// [[old, new], …]}`), with the module's new name read from the wasm.
pub fn parse(printed: &str, new_module: &str) -> Result<Renames> {
    let v: serde_json::Value =
        serde_json::from_str(printed).map_err(|e| format!("wasm-opt's renames: {e}"))?;
    let rows = |key: &str| -> Vec<Vec<String>> {
        let rows = v.get(key).and_then(serde_json::Value::as_array).cloned().unwrap_or_default();
        rows.iter()
            .filter_map(|r| r.as_array())
            .map(|r| r.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .collect()
    };
    let mut r = Renames::default();
    for row in rows("imports") {
        let [module, old, new] = <[String; 3]>::try_from(row).map_err(|_| "an import row")?;
        r.module = (module, new_module.to_string());
        r.imports.insert(old, new);
    }
    for row in rows("exports") {
        let [old, new] = <[String; 2]>::try_from(row).map_err(|_| "an export row")?;
        r.exports.insert(old, new);
    }
    if r.imports.is_empty() {
        return Err("wasm-opt renamed no import".into());
    }
    Ok(r)
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The glue with every import key (`name:` in the imports object), every
/// export use (`wasm.name`) and the module key renamed. Whole identifiers
/// only: one export's name is a prefix of another's.
pub fn rename_glue(glue: &str, r: &Renames) -> Result<String> {
    let (old_module, new_module) = &r.module;
    let module_key = format!("\"{old_module}\":");
    if glue.matches(&module_key).count() != 1 {
        return Err(format!("the glue should name the module {old_module:?} once"));
    }
    let glue = glue.replacen(&module_key, &format!("\"{new_module}\":"), 1);
    let mut out = String::with_capacity(glue.len());
    let mut found = std::collections::BTreeSet::new();
    let mut rest = glue.as_str();
    while let Some(start) = rest.find(is_ident) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let len = from.find(|c| !is_ident(c)).unwrap_or(from.len());
        let (word, after) = from.split_at(len);
        let export = out
            .strip_suffix("wasm.")
            .is_some_and(|b| !b.ends_with(|c: char| is_ident(c) || c == '.'));
        let key = after.trim_start().starts_with(':');
        let new = match (export, key) {
            (true, _) => r.exports.get(word),
            (false, true) => r.imports.get(word).inspect(|_| {
                found.insert(word.to_string());
            }),
            _ => None,
        };
        out.push_str(new.map_or(word, String::as_str));
        rest = after;
    }
    out.push_str(rest);
    let missed: Vec<&str> =
        r.imports.keys().filter(|k| !found.contains(*k)).map(String::as_str).collect();
    if !missed.is_empty() {
        return Err(format!("the glue provides no import named {}", missed.join(", ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRINTED: &str = r#"{
 "imports": [
  ["./app_bg.js", "__wbg_key_76125a528069feff", "$a"],
  ["./app_bg.js", "__wbindgen_init_externref_table", "b"]
 ],
"exports": [
  ["invoke__h1", "c"],
  ["invoke__h1_4", "d"],
  ["memory", "e"]
 ]
}"#;

    #[test]
    fn renames_keys_export_uses_and_the_module_and_nothing_else() {
        let r = parse(PRINTED, "a").expect("parses");
        assert_eq!(r.module, ("./app_bg.js".into(), "a".into()));
        let glue = "const import0 = {\n  __wbg_key_76125a528069feff: function(x) { return x.key; },\n  \
                    __wbindgen_init_externref_table : function() { wasm.memory; },\n};\n\
                    return { \"./app_bg.js\": import0 };\n\
                    wasm.invoke__h1_4(1); wasm.invoke__h1(2); const memory = wasm.memory; x.wasm.memory; mywasm.memory;";
        let out = rename_glue(glue, &r).expect("renames");
        assert!(out.contains("$a: function(x) { return x.key; }"), "{out}");
        assert!(out.contains("b : function() { wasm.e; }"), "{out}");
        assert!(out.contains("{ \"a\": import0 }"), "{out}");
        assert!(
            out.contains(
                "wasm.d(1); wasm.c(2); const memory = wasm.e; x.wasm.memory; mywasm.memory;"
            ),
            "{out}"
        );
    }

    #[test]
    fn an_import_the_glue_does_not_provide_fails_the_build() {
        let r = parse(PRINTED, "a").expect("parses");
        let glue = "const i = { __wbg_key_76125a528069feff: 1 }; return { \"./app_bg.js\": i };";
        let e = rename_glue(glue, &r).expect_err("one import is missing");
        assert!(e.contains("__wbindgen_init_externref_table"), "{e}");
        assert!(parse("{\"imports\": [], \"exports\": []}", "a").is_err());
    }
}
