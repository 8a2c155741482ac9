//! Reading and writing Jepsen histories.
//!
//! Two formats come in: `jepsen.util` log lines (`INFO  jepsen.util - 3\t:invoke\t:read\tnil`)
//! for single-register histories, and EDN history maps
//! (`{:process 0, :type :invoke, :f :write, :value 3}`, with `:key` for
//! key–value operations). Completions follow Jepsen: `:ok` happened; `:fail`
//! did not happen — except a failed compare-and-set, which observed another
//! value; `:info` is indeterminate and stays open to the end. Every problem
//! is reported with its line number; nothing here panics on any input.

use crate::small::VecMap;
use std::borrow::Cow;

use thiserror::Error;

use super::linear::{KvOp, Op, RegisterOp};
use crate::client::{OpRecord, Outcome};
use crate::types::FailReason;

/// Input larger than this is refused before parsing.
pub const MAX_HISTORY_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("line {line}: {what}")]
    Line { line: usize, what: String },
    #[error("the history is {len} bytes, at most {max} are read")]
    TooLarge { len: usize, max: usize },
    #[error("the history has no operations")]
    Empty,
}

/// A parsed history, ready for the checker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    Register(Vec<Op<RegisterOp>>),
    /// Split by key.
    Kv(VecMap<String, Vec<Op<KvOp>>>),
}

/// An EDN or log value we care about.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value<'a> {
    Nil,
    Int(i64),
    /// Borrowed from the line unless it held an escape.
    Str(Cow<'a, str>),
    Keyword(&'a str),
    Vector(Vec<Value<'a>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Invoke,
    Ok,
    Fail,
    Info,
}

/// One event line, format-independent.
struct Event<'a> {
    line: usize,
    process: u64,
    kind: Kind,
    f: &'a str,
    key: Option<Cow<'a, str>>,
    value: Value<'a>,
}

fn err(line: usize, what: impl Into<String>) -> ParseError {
    ParseError::Line { line, what: what.into() }
}

/// A tiny EDN reader: enough for Jepsen history maps.
struct Reader<'a> {
    s: &'a str,
    i: usize,
    line: usize,
}

// The reader's per-byte helpers are inlined even where the app's build
// optimizes for size: called per byte of a file, a call costs more than it saves.
impl<'a> Reader<'a> {
    #[inline(always)]
    fn byte(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(c) = self.byte() {
            if c.is_ascii_whitespace() || c == b',' {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: u32) -> Result<Value<'a>, ParseError> {
        if depth > 32 {
            return Err(err(self.line, "nested too deeply"));
        }
        self.skip_ws();
        let Some(c) = self.byte() else { return Err(err(self.line, "unexpected end of line")) };
        match c {
            b'"' => {
                self.i += 1;
                // Most strings hold no escape: borrow them from the line.
                let start = self.i;
                let bytes = &self.s.as_bytes()[start..];
                if let Some(end) = bytes.iter().position(|&c| c == b'"' || c == b'\\') {
                    if bytes[end] == b'"' {
                        self.i += end + 1;
                        // The quote is ASCII, so the slice is on char boundaries.
                        let text = self.s.get(start..start + end).unwrap_or_default();
                        return Ok(Value::Str(Cow::Borrowed(text)));
                    }
                }
                let mut out = Vec::new();
                loop {
                    let Some(c) = self.byte() else {
                        return Err(err(self.line, "unterminated string"));
                    };
                    self.i += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            let Some(e) = self.byte() else {
                                return Err(err(self.line, "unterminated string"));
                            };
                            self.i += 1;
                            out.push(match e {
                                b'n' => b'\n',
                                b't' => b'\t',
                                other => other,
                            });
                        }
                        other => out.push(other),
                    }
                }
                String::from_utf8(out)
                    .map(|s| Value::Str(Cow::Owned(s)))
                    .map_err(|_| err(self.line, "a string is not UTF-8"))
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.byte() {
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Vector(items));
                        }
                        None => return Err(err(self.line, "unterminated vector")),
                        _ => items.push(self.value(depth + 1)?),
                    }
                }
            }
            _ => {
                let start = self.i;
                while let Some(c) = self.byte() {
                    if c.is_ascii_whitespace() || matches!(c, b',' | b']' | b'}' | b'[' | b'{') {
                        break;
                    }
                    self.i += 1;
                }
                // Token boundaries are ASCII, so the slice is on char boundaries.
                let tok = self.s.get(start..self.i).ok_or_else(|| err(self.line, "not UTF-8"))?;
                atom(tok).ok_or_else(|| err(self.line, format!("cannot read {:?}", short(tok))))
            }
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

fn atom(tok: &str) -> Option<Value<'_>> {
    if tok == "nil" {
        return Some(Value::Nil);
    }
    // Byte tests, not `strip_prefix(':')`: built for size, a char pattern
    // becomes a call to memcmp per token.
    if tok.as_bytes().first() == Some(&b':') {
        let k = tok.get(1..).unwrap_or_default();
        return (!k.is_empty()).then_some(Value::Keyword(k));
    }
    tok.parse::<i64>().ok().map(Value::Int)
}

fn kind_of(k: &str, line: usize) -> Result<Kind, ParseError> {
    match k {
        "invoke" => Ok(Kind::Invoke),
        "ok" => Ok(Kind::Ok),
        "fail" => Ok(Kind::Fail),
        "info" => Ok(Kind::Info),
        other => Err(err(line, format!("unknown :type :{}", short(other)))),
    }
}

// Never inlined: see `parse`.
#[inline(never)]
fn parse_edn_line(text: &str, line: usize) -> Result<Event<'_>, ParseError> {
    let mut r = Reader { s: text, i: 0, line };
    r.skip_ws();
    if r.byte() != Some(b'{') {
        return Err(err(line, "expected a map {…}"));
    }
    r.i += 1;
    let (mut process, mut kind, mut f, mut key, mut value) = (None, None, None, None, Value::Nil);
    loop {
        r.skip_ws();
        match r.byte() {
            Some(b'}') => break,
            None => return Err(err(line, "unterminated map")),
            _ => {}
        }
        let Value::Keyword(k) = r.value(0)? else {
            return Err(err(line, "a map key is not a keyword"));
        };
        let v = r.value(0)?;
        match (k, v) {
            ("process", Value::Int(p)) => {
                process = Some(u64::try_from(p).map_err(|_| err(line, "negative :process"))?);
            }
            ("process", Value::Keyword("nemesis")) => return Err(err(line, "nemesis")),
            ("type", Value::Keyword(t)) => kind = Some(kind_of(t, line)?),
            ("f", Value::Keyword(x)) => f = Some(x),
            ("key", Value::Str(s)) => key = Some(s),
            ("key", Value::Int(i)) => key = Some(Cow::Owned(i.to_string())),
            ("key", Value::Keyword(x)) => key = Some(Cow::Borrowed(x)),
            ("value", v) => value = v,
            _ => {}
        }
    }
    Ok(Event {
        line,
        process: process.ok_or_else(|| err(line, "missing :process"))?,
        kind: kind.ok_or_else(|| err(line, "missing :type"))?,
        f: f.ok_or_else(|| err(line, "missing :f"))?,
        key,
        value,
    })
}

/// The first whitespace-separated field of `s`, and the rest after the
/// whitespace that follows it.
fn field(s: &str) -> (&str, &str) {
    s.split_once(char::is_whitespace).map_or((s, ""), |(a, b)| (a, b.trim_start()))
}

/// A `jepsen.util` log line. Its fields are separated by tabs in most logs
/// and by runs of spaces in some (as Jepsen's own readers and Porcupine
/// accept): any run of whitespace separates the process, the type and the
/// function; the value is the rest of the line (`[4 4]` holds a space).
// Never inlined: see `parse`.
#[inline(never)]
fn parse_log_line(text: &str, line: usize) -> Result<Event<'_>, ParseError> {
    let Some((_, rest)) = text.split_once("jepsen.util -") else {
        return Err(err(line, "not a jepsen.util line"));
    };
    let (process, rest) = field(rest.trim_start());
    let process = process.parse::<u64>().map_err(|_| err(line, "missing process"))?;
    let (kind, rest) = field(rest);
    let kind = kind_of(kind.trim_start_matches(':'), line)?;
    let (f, rest) = field(rest);
    let f = f.trim_start_matches(':');
    if f.is_empty() {
        return Err(err(line, "missing :f"));
    }
    let raw = rest.trim();
    let mut r = Reader { s: raw, i: 0, line };
    let value = if raw.is_empty() { Value::Nil } else { r.value(0)? };
    Ok(Event { line, process, kind, f, key: None, value })
}

/// Parse a history, detecting the format from its lines. Blank lines and
/// nemesis events are skipped; any other unreadable line is an error.
///
/// # Errors
/// The first unreadable line, or an empty or oversized history.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    if text.len() > MAX_HISTORY_BYTES {
        return Err(ParseError::TooLarge { len: text.len(), max: MAX_HISTORY_BYTES });
    }
    let mut events = Vec::new();
    // Each line is read by a function of its own, called per line: in wasm
    // a function runs optimized code only from its next call on, and this
    // loop, entered once per file, would read every line unoptimized.
    // Split at '\n' (trim takes a '\r'), and test first bytes: `lines()`
    // and `starts_with(char)` each cost a memcmp call per line when built for size.
    for (i, l) in text.split('\n').enumerate() {
        let t = l.trim();
        let e = match t.as_bytes().first() {
            None | Some(b';') => continue,
            Some(b'{') => parse_edn_line(t, i + 1),
            Some(_) => parse_log_line(t, i + 1),
        };
        match e {
            Ok(e) => events.push(e),
            Err(ParseError::Line { what, .. }) if what == "nemesis" => {}
            Err(e) => return Err(e),
        }
    }
    if events.is_empty() {
        return Err(ParseError::Empty);
    }
    if events.iter().any(|e| e.key.is_some() || matches!(e.f, "get" | "put" | "append")) {
        build_kv(&events).map(Parsed::Kv)
    } else {
        build_register(&events).map(Parsed::Register)
    }
}

/// A history read up to its first unreadable line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefix {
    /// The lines before the unreadable one (all of them if none is).
    pub parsed: Parsed,
    /// The unreadable line's error, if there is one.
    pub cut: Option<ParseError>,
}

/// Attempts at cutting a history shorter before [`parse_prefix`] gives up:
/// a line may be the first one reading finds fault with and still not be
/// the earliest bad one (a bad value is found when its operation is built).
const CUTS: usize = 4;

/// [`parse`], but an unreadable line ends the history there instead of
/// refusing it all: what is judged is the prefix before it. That is sound
/// one way only. Every prefix of a linearizable history is linearizable
/// (its unfinished operations open), so a prefix that is not means the
/// whole is not; a prefix that is says nothing of the rest.
///
/// # Errors
/// An empty or oversized history, or one whose first line cannot be read.
pub fn parse_prefix(text: &str) -> Result<Prefix, ParseError> {
    let first = match parse(text) {
        Ok(parsed) => return Ok(Prefix { parsed, cut: None }),
        Err(e) => e,
    };
    let mut end = first.clone();
    for _ in 0..CUTS {
        let ParseError::Line { line, .. } = end else { break };
        let head: usize =
            text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        match parse(&text[..head]) {
            Ok(parsed) => return Ok(Prefix { parsed, cut: Some(end) }),
            Err(e) => end = e,
        }
    }
    Err(first)
}

/// Pair invocations with completions per process: (invoke event, completion).
fn pair(events: &[Event]) -> Result<Vec<(usize, Option<usize>)>, ParseError> {
    // Each process's open invocation, as its index in `pairs`.
    let mut open: VecMap<u64, usize> = VecMap::new();
    let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
    for (k, e) in events.iter().enumerate() {
        match e.kind {
            Kind::Invoke => {
                if open.insert(e.process, pairs.len()).is_some() {
                    return Err(err(
                        e.line,
                        format!("process {} invokes twice without a completion", e.process),
                    ));
                }
                pairs.push((k, None));
            }
            _ => {
                let Some(slot) = open.remove(&e.process) else {
                    return Err(err(e.line, format!("process {} completes nothing", e.process)));
                };
                if events[pairs[slot].0].f != e.f {
                    return Err(err(e.line, "the completion's :f differs from its invocation"));
                }
                pairs[slot].1 = Some(k);
            }
        }
    }
    Ok(pairs)
}

fn int(v: &Value, line: usize) -> Result<i64, ParseError> {
    match v {
        Value::Int(i) => Ok(*i),
        _ => Err(err(line, "expected an integer")),
    }
}

/// An operation's completion event, its kind (no completion: indeterminate)
/// and its return time (`None` stays open to the end).
fn completion<'e, 'a>(
    events: &'e [Event<'a>],
    done: Option<usize>,
) -> (Option<&'e Event<'a>>, Kind, Option<u64>) {
    let c = done.map(|k| &events[k]);
    let kind = c.map_or(Kind::Info, |c| c.kind);
    let ret = match kind {
        Kind::Ok | Kind::Fail => c.map(|c| c.line as u64),
        Kind::Info | Kind::Invoke => None,
    };
    (c, kind, ret)
}

fn build_register(events: &[Event]) -> Result<Vec<Op<RegisterOp>>, ParseError> {
    let mut ops = Vec::new();
    for (inv, done) in pair(events)? {
        let e = &events[inv];
        let (c, kind, ret) = completion(events, done);
        let input = match (e.f, kind) {
            ("read", Kind::Ok) => {
                let c = c.expect("ok has a completion");
                RegisterOp::Read(match &c.value {
                    Value::Nil => None,
                    v => Some(int(v, c.line)?),
                })
            }
            // A read that returned nothing constrains nothing.
            ("read", _) => continue,
            ("write", Kind::Fail) => continue,
            ("write", _) => RegisterOp::Write(int(&e.value, e.line)?),
            ("cas", _) => {
                let Value::Vector(v) = &e.value else {
                    return Err(err(e.line, "cas needs [from to]"));
                };
                let [from, to] = v.as_slice() else {
                    return Err(err(e.line, "cas needs [from to]"));
                };
                let ok = match kind {
                    Kind::Ok => Some(true),
                    Kind::Fail => Some(false),
                    _ => None,
                };
                RegisterOp::Cas { from: int(from, e.line)?, to: int(to, e.line)?, ok }
            }
            (f, _) => return Err(err(e.line, format!("unknown register operation :{}", short(f)))),
        };
        ops.push(Op { id: e.line, process: e.process, input, invoke: e.line as u64, ret });
    }
    Ok(ops)
}

fn string(v: &Value, line: usize) -> Result<String, ParseError> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Nil => Ok(String::new()),
        Value::Int(i) => Ok(i.to_string()),
        _ => Err(err(line, "expected a string")),
    }
}

fn build_kv(events: &[Event]) -> Result<VecMap<String, Vec<Op<KvOp>>>, ParseError> {
    let mut keys: VecMap<String, Vec<Op<KvOp>>> = VecMap::new();
    for (inv, done) in pair(events)? {
        let e = &events[inv];
        let (c, kind, ret) = completion(events, done);
        let input = match (e.f, kind) {
            ("get", Kind::Ok) => {
                let c = c.expect("ok has a completion");
                KvOp::Get(string(&c.value, c.line)?)
            }
            ("get", _) | ("put" | "append", Kind::Fail) => continue,
            ("put", _) => KvOp::Put(string(&e.value, e.line)?),
            ("append", _) => KvOp::Append(string(&e.value, e.line)?),
            (f, _) => {
                return Err(err(e.line, format!("unknown key–value operation :{}", short(f))))
            }
        };
        let op = Op { id: e.line, process: e.process, input, invoke: e.line as u64, ret };
        // A key is copied once, when first met.
        let key = e.key.as_deref().unwrap_or_default();
        match keys.get_mut(key) {
            Some(ops) => ops.push(op),
            None => {
                keys.insert(key.to_string(), vec![op]);
            }
        }
    }
    Ok(keys)
}

/// Write a run's client history as Jepsen EDN (one map per line).
#[must_use]
///
/// A single register is written as `:read`/`:write` of integers. A run of a
/// multi-key store (lecture 02's photo, comment and reply) is written as
/// key–value `:get`/`:put` operations with a `:key` each, which the
/// importer checks key by key.
pub fn to_edn(history: &[OpRecord]) -> String {
    /// Sorts a return after every call of its tick.
    const RETURNED: u64 = 1 << 32;
    let keyed = history.iter().any(|r| r.op.key() != 0);
    let mut events: Vec<(u64, u64, String)> = Vec::new();
    for (k, r) in history.iter().enumerate() {
        let (f, value) = match (r.op.written(), keyed) {
            (None, false) => ("read", "nil".to_string()),
            (Some(v), false) => ("write", v.to_string()),
            (None, true) => ("get", "nil".to_string()),
            (Some(v), true) => ("put", format!("\"{v}\"")),
        };
        let key = if keyed {
            format!(", :key \"{}\"", crate::types::key_name(r.op.key()))
        } else {
            String::new()
        };
        let show = |v: u64| if keyed { format!("\"{v}\"") } else { v.to_string() };
        let p = r.client;
        let k = k as u64;
        events.push((
            r.invoke,
            k,
            format!("{{:process {p}, :type :invoke, :f :{f}{key}, :value {value}}}"),
        ));
        if let Some((t, o)) = r.ret {
            let (ty, value) = match (o, r.op.written().map(show)) {
                (Outcome::Ok { value: Some(v), .. }, None) => ("ok", show(v)),
                (Outcome::Ok { value: None, .. }, None) => ("ok", "nil".to_string()),
                (Outcome::Ok { .. }, Some(v)) => ("ok", v),
                (Outcome::Fail(_), None) => ("fail", "nil".to_string()),
                // Refused at the door: it certainly did not happen.
                (Outcome::Fail(FailReason::Overloaded), Some(v)) => ("fail", v),
                (Outcome::Fail(_) | Outcome::Timeout, Some(v)) => ("info", v),
                (Outcome::Timeout, None) => ("info", "nil".to_string()),
            };
            events.push((
                t,
                RETURNED | k,
                format!("{{:process {p}, :type :{ty}, :f :{f}{key}, :value {value}}}"),
            ));
        }
    }
    // At equal ticks every call comes before every return, as for the
    // app's own check (`search::Search::new`): overlapping is the generous
    // reading, and the file must get the verdict the app showed.
    crate::order::by_key(&mut events, |&(t, k, _)| crate::order::pair(t, k));
    events.into_iter().map(|(_, _, l)| l + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_log_lines_with_every_completion_kind() {
        let h = "INFO  jepsen.util - 1\t:invoke\t:cas\t[4 4]\nINFO  jepsen.util - 1\t:fail\t:cas\t[4 4]\n\
                 INFO  jepsen.util - 2\t:invoke\t:write\t3\nINFO  jepsen.util - 2\t:info\t:write\t:timed-out\n";
        let Parsed::Register(ops) = parse(h).expect("parses") else { panic!("a register") };
        assert_eq!(ops[0].input, RegisterOp::Cas { from: 4, to: 4, ok: Some(false) });
        assert_eq!(ops[1].input, RegisterOp::Write(3));
        assert_eq!(ops[1].ret, None, ":info stays open");
    }

    #[test]
    fn log_fields_may_be_separated_by_any_run_of_whitespace() {
        // Three of the etcd logs Porcupine reads separate fields with spaces.
        let tabs = "INFO  jepsen.util - 1\t:invoke\t:cas\t[4 4]\nINFO  jepsen.util - 1\t:ok\t:cas\t[4 4]\n\
                    INFO  jepsen.util - 12\t:invoke\t:read\tnil\nINFO  jepsen.util - 12\t:ok\t:read\t4\n";
        let spaces = "INFO  jepsen.util - 1   :invoke :cas  [4 4]\nINFO  jepsen.util -  1\t :ok   :cas [4 4]\n\
                      INFO  jepsen.util - 12 :invoke :read nil\nINFO  jepsen.util - 12    :ok    :read    4   \n";
        assert_eq!(parse(spaces).expect("space-separated"), parse(tabs).expect("tab-separated"));
        // A line that is still missing a field says which.
        let short = "INFO  jepsen.util - 3   :invoke\n";
        assert!(matches!(parse(short), Err(ParseError::Line { line: 1, .. })));
    }

    #[test]
    fn reads_edn_maps_split_by_key() {
        let h = "{:process 9, :type :invoke, :f :append, :key \"0\", :value \"x 9 0 y\"}\n\
                 {:process 9, :type :ok, :f :append, :key \"0\", :value \"x 9 0 y\"}\n";
        let Parsed::Kv(keys) = parse(h).expect("parses") else { panic!("kv") };
        assert_eq!(keys["0"][0].input, KvOp::Append("x 9 0 y".into()));
    }

    #[test]
    fn strings_with_and_without_escapes_read_the_same_way() {
        // A plain string is borrowed from the line, one with an escape is
        // rebuilt: both must give what the file means, CRLF lines too.
        let h = "{:process 1, :type :invoke, :f :put, :key \"k\\\"1\", :value \"a\\\\b\\n\"}\r\n\
                 {:process 1, :type :ok, :f :put, :key \"k\\\"1\", :value \"a\\\\b\\n\"}\r\n\
                 {:process 2, :type :invoke, :f :get, :key \"plain é\", :value nil}\r\n\
                 {:process 2, :type :ok, :f :get, :key \"plain é\", :value \"é,\"}\r\n";
        let Parsed::Kv(keys) = parse(h).expect("parses") else { panic!("kv") };
        assert_eq!(keys["k\"1"][0].input, KvOp::Put("a\\b\n".into()));
        assert_eq!(keys["plain é"][0].input, KvOp::Get("é,".into()));
        let unterminated = "{:process 1, :type :invoke, :f :put, :key \"k\", :value \"ab\\\"}\n";
        assert!(matches!(parse(unterminated), Err(ParseError::Line { line: 1, .. })));
    }

    #[test]
    fn an_unreadable_line_ends_the_history_judged() {
        let h = "INFO  jepsen.util - 1\t:invoke\t:write\t3\n\
                 INFO  jepsen.util - 1\t:ok\t:write\t3\n\
                 INFO  jepsen.util - 2\t:invoke\t:write\t4\n\
                 something else entirely\n\
                 INFO  jepsen.util - 2\t:ok\t:write\t4\n";
        let p = parse_prefix(h).expect("a prefix");
        assert!(matches!(p.cut, Some(ParseError::Line { line: 4, .. })), "{:?}", p.cut);
        let Parsed::Register(ops) = p.parsed else { panic!("register") };
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[1].ret, None, "the write's completion lies past the cut: open");
        // A readable history is read whole; a bad first line has no prefix.
        assert_eq!(parse_prefix(&h.replace("something else entirely\n", "")).unwrap().cut, None);
        assert!(parse_prefix("garbage\n").is_err());
        // A value that is found bad when its operation is built, past an
        // earlier bad line: the cut goes before the earliest.
        let h = "INFO  jepsen.util - 1\t:invoke\t:write\t3\n\
                 INFO  jepsen.util - 1\t:ok\t:write\t3\n\
                 INFO  jepsen.util - 2\t:invoke\t:cas\t7\n\
                 INFO  jepsen.util - 2\t:ok\t:cas\t7\n";
        let p = parse_prefix(h).expect("a prefix");
        assert!(matches!(p.cut, Some(ParseError::Line { line: 3, .. })), "{:?}", p.cut);
    }

    #[test]
    fn unreadable_lines_are_reported_by_number() {
        let h = "{:process 1, :type :invoke, :f :read, :value nil}\n{:process 1 :type ???}\n";
        assert!(matches!(parse(h), Err(ParseError::Line { line: 2, .. })));
        assert!(matches!(parse("garbage"), Err(ParseError::Line { line: 1, .. })));
        assert_eq!(parse("\n\n"), Err(ParseError::Empty));
    }

    fn read(text: &str) -> Result<Value<'_>, ParseError> {
        Reader { s: text, i: 0, line: 1 }.value(0)
    }

    /// A value may nest 32 vectors deep; one more is refused with a
    /// reason, not a stack overflow.
    #[test]
    fn values_nest_thirty_two_deep_and_no_deeper() {
        let nested = |k: usize| format!("{}7{}", "[".repeat(k), "]".repeat(k));
        let deep = nested(32);
        let mut v = read(&deep).expect("32 deep reads");
        for _ in 0..32 {
            let Value::Vector(items) = v else { panic!("a vector") };
            v = items.into_iter().next().expect("one item");
        }
        assert_eq!(v, Value::Int(7));
        let e = read(&nested(33)).expect_err("33 deep is refused");
        assert_eq!(e, err(1, "nested too deeply"));
    }

    /// A string without escapes is borrowed from the line (no copy per
    /// string: histories hold one per operation); an escape makes a copy
    /// with the escape read.
    #[test]
    fn plain_strings_are_borrowed_and_escaped_ones_read() {
        for (text, want) in [(r#""x 1 2 y""#, "x 1 2 y"), (r#""""#, ""), (r#""a" 3"#, "a")] {
            let Value::Str(got) = read(text).expect("a string") else { panic!("{text}") };
            assert!(matches!(got, Cow::Borrowed(_)), "{text} is copied");
            assert_eq!(got, want);
        }
        for (text, want) in [(r#""a\"b""#, "a\"b"), (r#""\\""#, "\\"), (r#""x\ty\n""#, "x\ty\n")] {
            let Value::Str(got) = read(text).expect("a string") else { panic!("{text}") };
            assert_eq!(got, want, "{text}");
        }
        assert_eq!(read(r#""abc"#), Err(err(1, "unterminated string")));
    }

    /// A value cut short says what is missing, and a token it cannot read
    /// is quoted, its first 40 characters only (a line may be megabytes).
    #[test]
    fn bad_values_are_named() {
        assert_eq!(read("[1 [2 3]"), Err(err(1, "unterminated vector")));
        assert_eq!(read("   "), Err(err(1, "unexpected end of line")));
        let long = "€".repeat(50);
        let quoted = format!("cannot read {:?}", "€".repeat(40));
        assert_eq!(read(&long), Err(err(1, quoted)));
        assert_eq!(read("#x"), Err(err(1, "cannot read \"#x\"")));
    }

    /// A store's keys may be strings, numbers or keywords, each its own
    /// key; a nemesis event is skipped, not an error; a map cut short says so.
    #[test]
    fn edn_keys_of_every_kind_and_nemesis_events() {
        let h = "{:process 0, :type :invoke, :f :append, :key \"a\", :value \"x\"}\n\
                 {:process :nemesis, :type :info, :f :start, :value nil}\n\
                 {:process 1, :type :invoke, :f :append, :key 3, :value \"y\"}\n\
                 {:process 2, :type :invoke, :f :append, :key :k, :value \"z\"}\n\
                 {:process 0, :type :ok, :f :append, :key \"a\", :value \"x\"}\n\
                 {:process 1, :type :ok, :f :append, :key 3, :value \"y\"}\n\
                 {:process 2, :type :ok, :f :append, :key :k, :value \"z\"}\n\
                 {:process :nemesis, :type :info, :f :stop, :value nil}\n";
        let Parsed::Kv(keys) = parse(h).expect("parses") else { panic!("a store") };
        let got: Vec<(&str, &[Op<KvOp>])> =
            keys.iter().map(|(k, ops)| (k.as_str(), ops.as_slice())).collect();
        let append = |line: usize, process: u64, v: &str, ret: u64| Op {
            id: line,
            process,
            input: KvOp::Append(v.to_string()),
            invoke: line as u64,
            ret: Some(ret),
        };
        assert_eq!(
            got,
            [
                ("3", &[append(3, 1, "y", 6)][..]),
                ("a", &[append(1, 0, "x", 5)][..]),
                ("k", &[append(4, 2, "z", 7)][..]),
            ]
        );
        assert_eq!(parse("{:process 1, :type :invoke, :f :read"), Err(err(1, "unterminated map")));
    }

    /// Appends without a key are a store of one key, named ""; a value
    /// written as a number is its digits.
    #[test]
    fn store_operations_make_a_store_without_keys() {
        let h = "{:process 0, :type :invoke, :f :append, :value \"x\"}\n\
                 {:process 0, :type :ok, :f :append, :value \"x\"}\n\
                 {:process 0, :type :invoke, :f :put, :value 12}\n\
                 {:process 0, :type :ok, :f :put, :value 12}\n";
        let Parsed::Kv(keys) = parse(h).expect("parses") else { panic!("a store") };
        assert_eq!(keys.keys().collect::<Vec<_>>(), [""]);
        let inputs: Vec<&KvOp> = keys[""].iter().map(|o| &o.input).collect();
        assert_eq!(inputs, [&KvOp::Append("x".into()), &KvOp::Put("12".into())]);
    }

    /// A history of exactly the largest size is read; one byte more is
    /// refused before any line is.
    #[test]
    fn a_history_may_be_as_large_as_the_limit() {
        let line = "INFO  jepsen.util - 1\t:invoke\t:write\t3\n";
        let mut h = line.to_string();
        h.push_str(&"\n".repeat(MAX_HISTORY_BYTES - line.len()));
        assert_eq!(h.len(), MAX_HISTORY_BYTES);
        let Ok(Parsed::Register(ops)) = parse(&h) else { panic!("the limit is read") };
        assert_eq!(ops.len(), 1);
        h.push('\n');
        let too_large = ParseError::TooLarge { len: MAX_HISTORY_BYTES + 1, max: MAX_HISTORY_BYTES };
        assert_eq!(parse(&h), Err(too_large));
    }

    /// A compare-and-set's outcome: done, refused, or unknown.
    #[test]
    fn a_compare_and_set_is_done_refused_or_unknown() {
        let h = "INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 1\t:ok\t:cas\t[1 2]\n\
                 INFO  jepsen.util - 2\t:invoke\t:cas\t[3 4]\nINFO  jepsen.util - 2\t:fail\t:cas\t[3 4]\n\
                 INFO  jepsen.util - 3\t:invoke\t:cas\t[5 6]\nINFO  jepsen.util - 3\t:info\t:cas\t:timed-out\n";
        let Parsed::Register(ops) = parse(h).expect("parses") else { panic!("a register") };
        let oks: Vec<_> = ops.iter().map(|o| o.input.clone()).collect();
        assert_eq!(
            oks,
            [
                RegisterOp::Cas { from: 1, to: 2, ok: Some(true) },
                RegisterOp::Cas { from: 3, to: 4, ok: Some(false) },
                RegisterOp::Cas { from: 5, to: 6, ok: None },
            ]
        );
    }

    /// A write that returns at the very tick a read is called overlaps it
    /// in the export, as it does for the app's own check: the imported
    /// history gets the verdict the app showed (the read of nothing may
    /// come before the write).
    #[test]
    fn a_return_and_a_call_at_one_tick_overlap_in_the_export() {
        use crate::check::linear::{check, Register};
        use crate::client::{OpRecord, Outcome};
        use crate::types::{ClientOp, Stamp};
        let done =
            |t, value| Some((t, Outcome::Ok { value, stamp: Stamp { counter: 1, writer: 0 } }));
        let record =
            |id, op, invoke, ret| OpRecord { id, client: id as u32, node: 0, op, invoke, ret };
        let h = [
            record(0, ClientOp::Write(1), 0, done(10, None)),
            record(1, ClientOp::Read, 10, done(20, None)),
        ];
        let edn = to_edn(&h);
        let order: Vec<(bool, bool)> =
            edn.lines().map(|l| (l.contains(":process 1"), l.contains(":invoke"))).collect();
        assert_eq!(order, [(false, true), (true, true), (false, false), (true, false)], "{edn}");
        let app = check(&Register, &crate::check::register_ops(&h), 1_000);
        let Parsed::Register(ops) = parse(&edn).expect("reads") else { panic!("a register") };
        let imported = check(&Register, &ops, 1_000);
        assert!(app.is_linearizable() && imported.is_linearizable(), "{app:?}, {imported:?}");
    }
}
