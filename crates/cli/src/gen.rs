//! `quorumscope gen-history`: a seeded Jepsen history, linearizable or with
//! one planted anomaly, for testing and timing checkers.

use qcore::check::gen::{self, Anomaly, Format, Object, Position, Spec};

pub const USAGE: &str = "usage: quorumscope gen-history [--object register|kv] [--clients N] [--keys K] [--ops N]
         [--seed S] [--anomaly stale-read|lost-write|phantom-read|inversion] [--at early|middle|late]
         [--crash P] [--fail P] [--info P] [--format edn|log]
  writes the history to standard output and what was planted to standard error;
  P are shares of operations (0.01 is 1 %); a register is written as jepsen.util
  log lines unless --format edn, a key-value store as EDN";

/// The value after `--name`, if given.
fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

fn number<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    flag(args, name)
        .map_or(Ok(default), |v| v.parse().map_err(|_| format!("{name}: not a number: {v}")))
}

fn share(args: &[String], name: &str, default: u32) -> Result<u32, String> {
    match flag(args, name) {
        None => Ok(default),
        Some(v) => match v.parse::<f64>() {
            Ok(p) if (0.0..=1.0).contains(&p) => Ok((p * 1e6).round() as u32),
            _ => Err(format!("{name}: a share between 0 and 1, not {v}")),
        },
    }
}

/// The spec and format the arguments describe.
///
/// # Errors
/// An unknown value or a spec out of range.
pub fn spec_of(args: &[String]) -> Result<(Spec, Format), String> {
    let object = match flag(args, "--object").unwrap_or("kv") {
        "kv" => Object::Kv,
        "register" => Object::Register,
        other => return Err(format!("--object: register or kv, not {other}")),
    };
    let keys = number(args, "--keys", if object == Object::Kv { 10 } else { 1 })?;
    let mut spec = Spec::new(
        object,
        number(args, "--clients", 10)?,
        keys,
        number(args, "--ops", 10_000)?,
        number(args, "--seed", 1)?,
    );
    spec.keys = keys;
    spec.crash_ppm = share(args, "--crash", spec.crash_ppm)?;
    spec.fail_ppm = share(args, "--fail", spec.fail_ppm)?;
    spec.info_ppm = share(args, "--info", spec.info_ppm)?;
    if let Some(a) = flag(args, "--anomaly") {
        let a = Anomaly::parse(a).ok_or_else(|| format!("--anomaly: unknown {a}"))?;
        let at = flag(args, "--at").unwrap_or("middle");
        let at =
            Position::parse(at).ok_or_else(|| format!("--at: early, middle or late, not {at}"))?;
        spec.anomaly = Some((a, at));
    }
    let format = match flag(args, "--format") {
        None if object == Object::Register => Format::Log,
        None | Some("edn") => Format::Edn,
        Some("log") => Format::Log,
        Some(other) => return Err(format!("--format: edn or log, not {other}")),
    };
    spec.validate()?;
    Ok((spec, format))
}

/// Generate and print.
///
/// # Errors
/// Bad arguments.
pub fn run(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--help") {
        println!("{USAGE}");
        return Ok(());
    }
    let (spec, format) = spec_of(args)?;
    let h = gen::generate(&spec)?;
    let (text, lines) = gen::write(&h, format)?;
    print!("{text}");
    match (&h.planted, spec.anomaly) {
        (Some(p), _) => {
            let at: Vec<String> = p.ops.iter().map(|&i| lines[i].to_string()).collect();
            eprintln!(
                "planted {} on key {:?}: operations invoked on lines {}",
                p.anomaly.name(),
                p.key,
                at.join(", ")
            );
        }
        (None, Some((a, _))) => {
            eprintln!("no room for {}: the key saw too few operations", a.name())
        }
        (None, None) => eprintln!("linearizable by construction ({} operations)", h.ops.len()),
    }
    Ok(())
}

/// The generated families the checker bench times: (name, object, clients,
/// keys, operations). `kv-c10-k1-1k` is ten clients appending to one key,
/// where every order of the concurrent appends is a state until a read
/// tells which: the search's look-ahead was made for it.
const FAMILIES: [(&str, Object, u32, u32, u32); 6] = [
    ("reg-c5-1k", Object::Register, 5, 1, 1_000),
    ("reg-c3-2k", Object::Register, 3, 1, 2_000),
    ("kv-c10-k1-1k", Object::Kv, 10, 1, 1_000),
    ("kv-c10-k10-5k", Object::Kv, 10, 10, 5_000),
    ("kv-c50-k50-20k", Object::Kv, 50, 50, 20_000),
    ("kv-c100-k200-50k", Object::Kv, 100, 200, 50_000),
];

/// Write the bench's matrix of generated histories into `dir` (every
/// family, linearizable and with each anomaly early, in the middle and
/// late), with `verdicts.txt` listing each file and its verdict by
/// construction as the fixtures' list does (so `bench-check DIR` and the
/// browser bench time them too); the files' paths.
///
/// # Errors
/// A file that cannot be written.
pub fn write_matrix(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files = Vec::new();
    let mut verdicts = String::new();
    for (name, object, clients, keys, ops) in FAMILIES {
        let mut cases: Vec<Option<(Anomaly, Position)>> = vec![None];
        for a in Anomaly::ALL {
            cases.extend(Position::ALL.map(|p| Some((a, p))));
        }
        for case in cases {
            let mut spec = Spec::new(object, clients, keys, ops, 1);
            spec.anomaly = case;
            let h = gen::generate(&spec)?;
            let format = if object == Object::Register { Format::Log } else { Format::Edn };
            let (text, _) = gen::write(&h, format)?;
            let tag = case.map_or("ok".to_string(), |(a, p)| format!("{}-{}", a.name(), p.name()));
            let ext = if format == Format::Log { "log" } else { "edn" };
            let file = format!("{name}-{tag}.{ext}");
            let path = dir.join(&file);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push(path);
            let verdict = if h.planted.is_some() { "not-linearizable" } else { "linearizable" };
            verdicts.push_str(&format!("{file} {verdict}\n"));
        }
    }
    let list = dir.join("verdicts.txt");
    std::fs::write(&list, verdicts).map_err(|e| format!("{}: {e}", list.display()))?;
    Ok(files)
}
