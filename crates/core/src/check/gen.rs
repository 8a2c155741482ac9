//! Generated Jepsen histories, for testing and timing the checker.
//!
//! A seeded run of concurrent clients against one correct object (a
//! register, or a key–value store of many keys): each operation is invoked,
//! takes effect at one moment inside its interval, and returns what the
//! object held then, so the history is linearizable by construction. Faults
//! of real histories are drawn in: clients that crash mid-operation (the
//! operation stays open; it may or may not have taken effect), `:fail`
//! (it did not happen) and `:info` (unknown; Jepsen then gives the client a
//! new process). Optionally one anomaly is planted in one key, early, in the
//! middle or late in that key's operations, and the operations that make it
//! one are named.

use crate::small::VecMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::rng::SimRng;

/// The object the clients use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    /// One register: read, write, compare-and-set (etcd's tests).
    Register,
    /// A store of keys: get, put, append (Porcupine's kv tests).
    Kv,
}

/// An anomaly a client could be shown by a faulty system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anomaly {
    /// A read returns the value a completed write had replaced.
    StaleRead,
    /// A write is acknowledged but never takes effect; later reads miss it.
    LostWrite,
    /// A read returns a value nobody wrote.
    PhantomRead,
    /// While a write is in flight, a read sees its value and a later read
    /// the value before it (new, then old).
    Inversion,
}

impl Anomaly {
    pub const ALL: [Anomaly; 4] =
        [Anomaly::StaleRead, Anomaly::LostWrite, Anomaly::PhantomRead, Anomaly::Inversion];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Anomaly::StaleRead => "stale-read",
            Anomaly::LostWrite => "lost-write",
            Anomaly::PhantomRead => "phantom-read",
            Anomaly::Inversion => "inversion",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Anomaly> {
        Anomaly::ALL.into_iter().find(|a| a.name() == s)
    }
}

/// Where among its key's operations the anomaly is placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Early,
    Middle,
    Late,
}

impl Position {
    pub const ALL: [Position; 3] = [Position::Early, Position::Middle, Position::Late];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Position::Early => "early",
            Position::Middle => "middle",
            Position::Late => "late",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Position> {
        Position::ALL.into_iter().find(|p| p.name() == s)
    }

    /// The share of the key's operations that come before the anomaly (‰).
    fn permille(self) -> u64 {
        match self {
            Position::Early => 100,
            Position::Middle => 500,
            Position::Late => 900,
        }
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub object: Object,
    /// Concurrent clients, 1–100.
    pub clients: u32,
    /// Keys, 1–200 (a register has one).
    pub keys: u32,
    /// Operations invoked in all, 1 000–100 000.
    pub ops: u32,
    pub seed: u64,
    /// Chance per operation (parts per million) that its client crashes
    /// during it, that it fails, that its outcome is unknown.
    pub crash_ppm: u32,
    pub fail_ppm: u32,
    pub info_ppm: u32,
    pub anomaly: Option<(Anomaly, Position)>,
}

impl Spec {
    /// A spec with Jepsen-like fault rates (0.5 % crashes, 2 % failures,
    /// 0.5 % unknown outcomes) and no anomaly.
    #[must_use]
    pub fn new(object: Object, clients: u32, keys: u32, ops: u32, seed: u64) -> Spec {
        Spec {
            object,
            clients,
            keys: if object == Object::Register { 1 } else { keys },
            ops,
            seed,
            crash_ppm: 5_000,
            fail_ppm: 20_000,
            info_ppm: 5_000,
            anomaly: None,
        }
    }

    /// Whether the spec is within the generator's ranges.
    ///
    /// # Errors
    /// Which field is out of range.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=100).contains(&self.clients) {
            return Err(format!("clients must be 1–100, not {}", self.clients));
        }
        if !(1..=200).contains(&self.keys) {
            return Err(format!("keys must be 1–200, not {}", self.keys));
        }
        if self.object == Object::Register && self.keys != 1 {
            return Err("a register has one key".into());
        }
        if !(1_000..=100_000).contains(&self.ops) {
            return Err(format!("operations must be 1 000–100 000, not {}", self.ops));
        }
        let total = u64::from(self.crash_ppm) + u64::from(self.fail_ppm) + u64::from(self.info_ppm);
        if total > 500_000 {
            return Err("crashes, failures and unknown outcomes may be at most half".into());
        }
        Ok(())
    }
}

/// What a client asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    Read,
    Write(i64),
    Cas(i64, i64),
    Get,
    Put(String),
    Append(String),
}

/// How an operation ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// It happened; a read returned this (`None`: nil).
    Ok(Option<String>),
    /// It did not happen (a failed cas: it saw another value).
    Fail,
    /// Unknown outcome.
    Info,
    /// The client crashed: no completion at all.
    Crashed,
}

/// One operation of the generated history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenOp {
    pub process: u64,
    pub key: String,
    pub call: Call,
    pub invoke: u64,
    pub ret: u64,
    pub end: End,
}

/// The planted anomaly: its kind, its key and the operations that make it
/// one (indices into [`History::ops`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    pub anomaly: Anomaly,
    pub key: String,
    pub ops: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub object: Object,
    pub ops: Vec<GenOp>,
    /// `None` when none was asked for, or the run gave it no chance (the
    /// planted key saw too few operations).
    pub planted: Option<Planted>,
}

/// Generate the history `spec` describes.
///
/// # Errors
/// A spec out of range ([`Spec::validate`]).
pub fn generate(spec: &Spec) -> Result<History, String> {
    spec.validate()?;
    let h = Run::new(spec).run();
    if spec.anomaly.is_some() && h.planted.is_none() {
        // Never a history named for an anomaly it does not hold.
        return Err("the anomaly could not be planted: too few operations after its place".into());
    }
    Ok(h)
}

/// A client's next scheduled moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Moment {
    /// The operation takes effect (index into `ops`).
    Effect(usize),
    /// The client invokes its next operation.
    Invoke(u32),
}

/// How far the planted anomaly has got.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Plant {
    /// Waiting for the planted key's first operation once `n` operations
    /// have been invoked.
    Waiting(u64),
    /// The write `w` is placed; the state before it was `pre`. The next
    /// read of the key invoked after `after` is the witness.
    Placed { w: usize, pre: Option<String>, after: u64 },
    /// Inversion: the first read `r1` is placed; the second is invoked
    /// after it returns.
    SawNew { w: usize, r1: usize, pre: Option<String> },
    /// Reads to plant are waiting to take effect (op → value returned).
    Done,
}

/// Longest an operation's two halves take (ticks): invoke → effect → return.
const LATENCY: u64 = 20;
/// Longest a client waits between operations.
const THINK: u64 = 10;
/// A write of an inversion is slow: this many times the usual latency.
const SLOW: u64 = 30;

struct Run<'s> {
    spec: &'s Spec,
    rng: SimRng,
    ops: Vec<GenOp>,
    /// The object's state per key (`None`: never written).
    state: VecMap<String, Option<String>>,
    /// Each client's current process (a new one after a crash or `:info`).
    process: Vec<u64>,
    queue: BinaryHeap<Reverse<(u64, Moment)>>,
    invoked: u32,
    next_value: i64,
    /// Recent values per key (compare-and-set guesses among them).
    recent: VecMap<String, Vec<i64>>,
    target: String,
    plant: Option<(Anomaly, Plant)>,
    /// Planted reads: op → the value it returns instead of the state.
    lie: VecMap<usize, Option<String>>,
    /// Operations of the planted key since the write of a lost write
    /// (writes on the key are held back until its witness is placed).
    hold_writes: bool,
    /// A lost write: applied nowhere.
    lost: Option<usize>,
    named: Vec<usize>,
}

impl<'s> Run<'s> {
    fn new(spec: &'s Spec) -> Run<'s> {
        let mut rng = SimRng::new(spec.seed);
        let target = key_name(spec, rng.range(0, u64::from(spec.keys) - 1) as u32);
        // The anomaly goes on the planted key's first operation past its
        // place in the whole history (a count of that key's operations alone
        // could exceed what the key gets, with many keys).
        let plant = spec.anomaly.map(|(a, at)| {
            (a, Plant::Waiting((u64::from(spec.ops) * at.permille() / 1000).max(1)))
        });
        let mut queue = BinaryHeap::new();
        for c in 0..spec.clients {
            queue.push(Reverse((rng.range(0, THINK), Moment::Invoke(c))));
        }
        Run {
            spec,
            rng,
            ops: Vec::new(),
            state: VecMap::new(),
            process: (0..u64::from(spec.clients)).collect(),
            queue,
            invoked: 0,
            next_value: 0,
            recent: VecMap::new(),
            target,
            plant,
            lie: VecMap::new(),
            hold_writes: false,
            lost: None,
            named: Vec::new(),
        }
    }

    fn run(mut self) -> History {
        while let Some(Reverse((t, m))) = self.queue.pop() {
            match m {
                Moment::Invoke(c) if self.invoked < self.spec.ops => self.invoke(c, t),
                Moment::Invoke(_) => {}
                Moment::Effect(i) => self.effect(i, t),
            }
        }
        let planted = match &self.plant {
            Some((a, Plant::Done)) => {
                Some(Planted { anomaly: *a, key: self.target.clone(), ops: self.named.clone() })
            }
            _ => None,
        };
        History { object: self.spec.object, ops: self.ops, planted }
    }

    fn fresh(&mut self) -> i64 {
        self.next_value += 1;
        self.next_value
    }

    /// A new operation by client `c` at `t`: what it does, when it takes
    /// effect and returns, how it ends.
    fn invoke(&mut self, c: u32, t: u64) {
        self.invoked += 1;
        let key = key_name(self.spec, self.rng.range(0, u64::from(self.spec.keys) - 1) as u32);
        let i = self.ops.len();
        let (key, call, forced) = self.choose(key, t, i);
        let mut latency = (self.rng.range(1, LATENCY), self.rng.range(1, LATENCY));
        if forced
            && matches!(self.plant, Some((Anomaly::Inversion, Plant::Placed { w, .. })) if w == i)
        {
            latency.1 *= SLOW;
        }
        let end = if forced {
            End::Ok(None)
        } else {
            let r = self.rng.range(0, 999_999) as u32;
            let (crash, fail, info) = (self.spec.crash_ppm, self.spec.fail_ppm, self.spec.info_ppm);
            let cas = matches!(call, Call::Cas(..));
            if r < crash {
                End::Crashed
            } else if r < crash + fail && !cas {
                End::Fail
            } else if r < crash + fail + info {
                End::Info
            } else {
                End::Ok(None)
            }
        };
        let process = self.process[c as usize];
        let effect = t + latency.0;
        let ret = effect + latency.1;
        self.ops.push(GenOp { process, key, call, invoke: t, ret, end });
        self.queue.push(Reverse((effect, Moment::Effect(i))));
        // Jepsen gives a client whose outcome is unknown a new process.
        if matches!(self.ops[i].end, End::Crashed | End::Info) {
            self.process[c as usize] += u64::from(self.spec.clients);
        }
        self.queue.push(Reverse((ret + self.rng.range(0, THINK), Moment::Invoke(c))));
    }

    /// The call of operation `i`, invoked at `t` on `key` unless the
    /// planted anomaly needs it; and whether it is forced (then it ends ok).
    fn choose(&mut self, key: String, t: u64, i: usize) -> (String, Call, bool) {
        let target = self.target.clone();
        match self.plant.clone() {
            Some((a, Plant::Waiting(n)))
                if key == target
                    && u64::from(self.invoked) >= n
                    && !self.write_in_flight(&target, t) =>
            {
                let pre = self.state.get(&target).cloned().flatten();
                if a == Anomaly::PhantomRead {
                    let v = self.phantom();
                    self.lie.insert(i, Some(v));
                    self.named.push(i);
                    self.plant = Some((a, Plant::Done));
                    return (key, self.read_call(), true);
                }
                let call = self.write_call(&key, true);
                self.named.push(i);
                if a == Anomaly::LostWrite {
                    self.lost = Some(i);
                    self.hold_writes = true;
                }
                self.plant = Some((a, Plant::Placed { w: i, pre, after: u64::MAX }));
                return (key, call, true);
            }
            Some((a, Plant::Placed { w, pre, after })) if t > after => {
                // The witness: a read of the key invoked after the write
                // returned (inversion: after it took effect, while in flight).
                self.named.push(i);
                if a == Anomaly::Inversion {
                    self.plant = Some((a, Plant::SawNew { w, r1: i, pre }));
                } else {
                    self.lie.insert(i, pre);
                    self.plant = Some((a, Plant::Done));
                }
                return (target, self.read_call(), true);
            }
            Some((a, Plant::SawNew { r1, pre, .. })) if t > self.ops[r1].ret => {
                self.named.push(i);
                self.lie.insert(i, pre);
                self.plant = Some((a, Plant::Done));
                return (target, self.read_call(), true);
            }
            _ => {}
        }
        let call = if self.rng.range(0, 99) < 50 || (self.hold_writes && key == target) {
            self.read_call()
        } else {
            self.write_call(&key, false)
        };
        (key, call, false)
    }

    /// Whether a write of `key` invoked before `t` has yet to return.
    fn write_in_flight(&self, key: &str, t: u64) -> bool {
        self.ops
            .iter()
            .rev()
            .take(4 * self.spec.clients as usize)
            .any(|o| o.key == key && o.ret >= t && !matches!(o.call, Call::Read | Call::Get))
    }

    fn phantom(&self) -> String {
        match self.spec.object {
            // Written values count up from 1 (and Porcupine's log
            // patterns read no minus sign).
            Object::Register => "1000000000".into(),
            Object::Kv => "x ghost y".into(),
        }
    }

    fn read_call(&self) -> Call {
        match self.spec.object {
            Object::Register => Call::Read,
            Object::Kv => Call::Get,
        }
    }

    /// A write of a fresh value; a `plain` one is never a compare-and-set
    /// (which might fail) or a put (the planted write's value must stay
    /// in every state after it until a put).
    fn write_call(&mut self, key: &str, plain: bool) -> Call {
        let v = self.fresh();
        match self.spec.object {
            Object::Register => {
                let recent = self.recent.get_or_default(key.to_string());
                let n = recent.len() as u64;
                let guess = (n > 0 && !plain && self.rng.range(0, 99) < 30)
                    .then(|| self.rng.range(0, n - 1) as usize);
                let recent = self.recent.get_or_default(key.to_string());
                let guess = guess.map(|g| recent[g]);
                let recent = self.recent.get_or_default(key.to_string());
                recent.push(v);
                if recent.len() > 3 {
                    recent.remove(0);
                }
                match guess {
                    Some(from) => Call::Cas(from, v),
                    None => Call::Write(v),
                }
            }
            Object::Kv => {
                let token = format!("x {} {} y", v % 1000, v / 1000);
                if !plain && self.rng.range(0, 99) < 20 {
                    Call::Put(token)
                } else {
                    Call::Append(token)
                }
            }
        }
    }

    /// Operation `i` takes effect at `t` (or, failed or lost, does not).
    fn effect(&mut self, i: usize, t: u64) {
        let op = &self.ops[i];
        let applies = match op.end {
            End::Ok(_) => self.lost != Some(i),
            End::Fail => false,
            End::Info | End::Crashed => self.rng.range(0, 1) == 0,
        };
        let key = op.key.clone();
        let cur = self.state.get(&key).cloned().flatten();
        let (next, seen) = match &op.call {
            Call::Read | Call::Get => (cur.clone(), Some(cur.clone())),
            Call::Write(v) => (Some(v.to_string()), None),
            Call::Put(v) => (Some(v.clone()), None),
            Call::Append(v) => (Some(format!("{}{v}", cur.clone().unwrap_or_default())), None),
            Call::Cas(from, to) => {
                if cur.as_deref() == Some(from.to_string().as_str()) {
                    (Some(to.to_string()), None)
                } else {
                    // It saw another value: a cas that fails, whatever else.
                    if matches!(op.end, End::Ok(_)) {
                        self.ops[i].end = End::Fail;
                    }
                    (cur.clone(), None)
                }
            }
        };
        if applies {
            self.state.insert(key.clone(), next);
        }
        if let End::Ok(out) = &mut self.ops[i].end {
            let lie = self.lie.get(&i).cloned();
            if let Some(seen) = seen {
                *out = lie.unwrap_or(seen);
            }
        }
        self.after_effect(i, t);
    }

    /// Move the planted anomaly on once its write has taken effect (at
    /// `t`): its witness is a read invoked after the write returned, or for
    /// an inversion after it took effect. A lost write's witness, once it
    /// has read, lets writes of the key go on.
    fn after_effect(&mut self, i: usize, t: u64) {
        if self.lie.contains_key(&i) {
            self.hold_writes = false;
        }
        let Some((a, Plant::Placed { w, pre, after: u64::MAX })) = self.plant.clone() else {
            return;
        };
        if w == i {
            let after = if a == Anomaly::Inversion { t } else { self.ops[i].ret };
            self.plant = Some((a, Plant::Placed { w, pre, after }));
        }
    }
}

fn key_name(spec: &Spec, k: u32) -> String {
    match spec.object {
        Object::Register => String::new(),
        Object::Kv => k.to_string(),
    }
}

/// The two Jepsen formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One EDN map per line (Porcupine's kv histories, Jepsen's `history.edn`).
    Edn,
    /// `jepsen.util` log lines (etcd's tests): registers only, since the
    /// log lines carry no key.
    Log,
}

/// The history's lines in `format`, and each operation's invocation line
/// (1-based: the id the importer gives the operation).
///
/// # Errors
/// A key–value history asked for as log lines.
pub fn write(h: &History, format: Format) -> Result<(String, Vec<usize>), String> {
    if format == Format::Log && h.object == Object::Kv {
        return Err("jepsen.util log lines carry no key: write a key–value history as EDN".into());
    }
    // (time, completions before invocations at one moment, op, completion?)
    let mut events: Vec<(u64, u8, usize, bool)> = Vec::with_capacity(2 * h.ops.len());
    for (i, o) in h.ops.iter().enumerate() {
        events.push((o.invoke, 1, i, false));
        if o.end != End::Crashed {
            events.push((o.ret, 0, i, true));
        }
    }
    events.sort_unstable();
    let mut out = String::with_capacity(64 * events.len());
    let mut lines = vec![0; h.ops.len()];
    for (n, &(_, _, i, done)) in events.iter().enumerate() {
        if !done {
            lines[i] = n + 1;
        }
        let o = &h.ops[i];
        match format {
            Format::Edn => edn_line(&mut out, o, done),
            Format::Log => log_line(&mut out, o, done),
        }
        out.push('\n');
    }
    Ok((out, lines))
}

fn kind(o: &GenOp, done: bool) -> &'static str {
    match (&o.end, done) {
        (_, false) => "invoke",
        (End::Ok(_), true) => "ok",
        (End::Fail, true) => "fail",
        (End::Info | End::Crashed, true) => "info",
    }
}

/// What a read returned, as EDN (`nil`: never written).
fn read_value(o: &GenOp, done: bool, quote: bool) -> String {
    match (&o.end, done) {
        (End::Ok(Some(v)), true) if quote => format!("\"{v}\""),
        (End::Ok(Some(v)), true) => v.clone(),
        _ => "nil".into(),
    }
}

fn edn_line(out: &mut String, o: &GenOp, done: bool) {
    use std::fmt::Write;
    let (p, t) = (o.process, kind(o, done));
    let _ = match &o.call {
        Call::Read => write!(
            out,
            "{{:process {p}, :type :{t}, :f :read, :value {}}}",
            read_value(o, done, false)
        ),
        Call::Write(v) => write!(out, "{{:process {p}, :type :{t}, :f :write, :value {v}}}"),
        Call::Cas(a, b) => write!(out, "{{:process {p}, :type :{t}, :f :cas, :value [{a} {b}]}}"),
        Call::Get => write!(
            out,
            "{{:process {p}, :type :{t}, :f :get, :key \"{}\", :value {}}}",
            o.key,
            read_value(o, done, true)
        ),
        Call::Put(v) => {
            write!(out, "{{:process {p}, :type :{t}, :f :put, :key \"{}\", :value \"{v}\"}}", o.key)
        }
        Call::Append(v) => {
            write!(
                out,
                "{{:process {p}, :type :{t}, :f :append, :key \"{}\", :value \"{v}\"}}",
                o.key
            )
        }
    };
}

fn log_line(out: &mut String, o: &GenOp, done: bool) {
    use std::fmt::Write;
    let (p, t) = (o.process, kind(o, done));
    let unknown =
        done && matches!(o.end, End::Info) || (done && o.end == End::Fail && o.call == Call::Read);
    let (f, value) = match &o.call {
        Call::Read if unknown => ("read", ":timed-out".to_string()),
        Call::Read => ("read", read_value(o, done, false)),
        _ if unknown => {
            (if matches!(o.call, Call::Cas(..)) { "cas" } else { "write" }, ":timed-out".into())
        }
        Call::Write(v) => ("write", v.to_string()),
        Call::Cas(a, b) => ("cas", format!("[{a} {b}]")),
        // Refused by `write`: a log line carries no key.
        Call::Get | Call::Put(_) | Call::Append(_) => return,
    };
    let _ = write!(out, "INFO  jepsen.util - {p}\t:{t}\t:{f}\t{value}");
}
