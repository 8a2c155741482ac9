//! The page's own colours (web/style.css) reach WCAG AA contrast: 4.5:1 for
//! text on the page and on the white panels.

use qscene::palette::contrast;

fn var(css: &str, name: &str) -> String {
    let at = css.find(&format!("--{name}:")).unwrap_or_else(|| panic!("--{name} is defined"));
    let rest = &css[at..];
    let hash = rest.find('#').expect("a #rrggbb value");
    rest[hash..hash + 7].to_string()
}

#[test]
fn the_stylesheet_colours_are_readable() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/style.css"))
        .expect("web/style.css");
    let bg = var(&css, "bg");
    for name in ["ink", "muted", "bad", "accent"] {
        let c = var(&css, name);
        for back in [bg.as_str(), "#ffffff"] {
            let r = contrast(&c, back);
            assert!(r >= 4.5, "--{name} {c} on {back}: {r:.2}");
        }
    }
    // Green is only ever text on the white panels.
    let ok = var(&css, "ok");
    assert!(contrast(&ok, "#ffffff") >= 4.5);
    // The play button: white on the accent colour.
    assert!(contrast("#ffffff", &var(&css, "accent")) >= 4.5);
}
