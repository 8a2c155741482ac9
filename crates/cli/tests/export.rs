//! `quorumscope run --export …`: each format is what it says.

use std::process::Command;

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_quorumscope")).args(args).output().expect("runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn png_is_a_picture_of_the_frame() {
    let png = run(&["run", "zab-election", "--until", "6000", "--export", "png"]);
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // The IHDR chunk: width and height, twice the SVG's 960 × 600.
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((w, h), (1920, 1200));
    let diagram =
        run(&["run", "zab-election", "--until", "6000", "--export", "png", "--view", "spacetime"]);
    assert_eq!(&diagram[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn svg_json_and_edn_are_what_they_say() {
    let svg = String::from_utf8(run(&[
        "run",
        "paxos-happy",
        "--until",
        "300",
        "--export",
        "svg",
        "--view",
        "spacetime",
    ]))
    .unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(">P0</text>"));
    let json =
        String::from_utf8(run(&["run", "paxos-happy", "--until", "300", "--export", "json"]))
            .unwrap();
    let hash = String::from_utf8(run(&["hash", "paxos-happy", "--until", "300"])).unwrap();
    assert!(
        json.contains(&format!("\"hash\":\"{}\"", hash.trim())),
        "the JSON names the run's hash"
    );
    let edn =
        String::from_utf8(run(&["run", "quorum-3-2-2", "--until", "1000", "--export", "edn"]))
            .unwrap();
    assert!(edn.contains(":type :invoke"));
}

#[test]
fn an_unknown_format_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_quorumscope"))
        .args(["run", "quorum-3-2-2", "--export", "gif"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("svg, png, json or edn"));
}
