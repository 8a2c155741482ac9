//! Every user-visible string, in Simplified Chinese and English.
//!
//! The strings live in data files a translator edits without reading Rust,
//! `web/i18n/zh.toml` and `web/i18n/en.toml` (one `"key" = "text"` a line);
//! `build.rs` checks that both hold the same keys and compiles them in as
//! sorted tables. Strings are looked up by key; `{name}` placeholders are
//! filled by [`Lang::fmt`]. A key the code asks for but no file has is
//! remembered, and the browser tests fail on it.

use qcore::link::LinkError;
use qcore::scenario::ConfigError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The browser's preferred language, Chinese for any `zh*`.
    #[must_use]
    pub fn from_browser() -> Lang {
        let nav = web_sys::window().map(|w| w.navigator().language().unwrap_or_default());
        // ASCII only: Unicode case tables would add weight to the bundle.
        let nav = nav.unwrap_or_default();
        if nav.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("zh")) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The string for `key`. A missing key yields `"⟦key⟧"`-free empty text
    /// and is remembered, so the browser tests can fail on it.
    #[must_use]
    pub fn t(self, key: &str) -> &'static str {
        let found = TABLES.with(|t| {
            let i = t.keys.binary_search(&key).ok()?;
            let texts = match self {
                Lang::Zh => &t.zh,
                Lang::En => &t.en,
            };
            texts.get(i).copied()
        });
        found.unwrap_or_else(|| {
            let k = format!("{}:{key}", self.code());
            MISSING.with(|m| {
                let mut m = m.borrow_mut();
                if let Err(at) = m.binary_search(&k) {
                    m.insert(at, k);
                }
            });
            ""
        })
    }

    /// The string for `key` with `{name}` placeholders filled.
    #[must_use]
    pub fn fmt(self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// What a mark of the space-time diagram (or a line of the event log) is.
    #[must_use]
    pub fn mark(self, kind: qcore::spacetime::MarkKind) -> String {
        use qcore::spacetime::MarkKind as K;
        match kind {
            K::Crash => self.t("st.mark.crash").to_string(),
            K::Restart => self.t("st.mark.restart").to_string(),
            K::Cut => self.t("st.mark.cut").to_string(),
            K::Heal => self.t("st.mark.heal").to_string(),
            K::Invoke(op) => self.fmt("st.mark.invoke", &[("op", op.to_string())]),
            K::Return(op) => self.fmt("st.mark.return", &[("op", op.to_string())]),
        }
    }

    /// A line of the event log.
    #[must_use]
    pub fn log_line(self, l: &crate::driver::LogLine) -> String {
        self.fmt(
            "log.line",
            &[
                ("what", self.mark(l.kind)),
                ("lane", l.lane.clone().unwrap_or_default()),
                ("t", l.tick.to_string()),
            ],
        )
    }

    /// A readable message for a configuration error.
    #[must_use]
    pub fn config_error(self, e: &ConfigError) -> String {
        use ConfigError as E;
        let n = |x: &u32| x.to_string();
        match e {
            E::ZeroNodes => self.t("err.zero_nodes").into(),
            E::TooManyNodes { n: x, max } => {
                self.fmt("err.too_many_nodes", &[("n", n(x)), ("max", n(max))])
            }
            E::WriteQuorumZero => self.t("err.w_zero").into(),
            E::ReadQuorumZero => self.t("err.r_zero").into(),
            E::WriteQuorumTooLarge { w, n: x } => {
                self.fmt("err.w_too_large", &[("w", n(w)), ("n", n(x))])
            }
            E::ReadQuorumTooLarge { r, n: x } => {
                self.fmt("err.r_too_large", &[("r", n(r)), ("n", n(x))])
            }
            E::BadClientCount { .. } => self.t("err.clients").into(),
            E::BadLatency { .. } | E::BadProbability | E::BadTimeout => {
                self.t("err.network").into()
            }
            E::TickTooLarge { .. } => self.t("err.tick").into(),
            E::TooManyActions { max, .. } => self.fmt("err.actions", &[("max", max.to_string())]),
            E::TooManyOps { .. } => self.t("err.ops").into(),
            E::ActionsOutOfOrder { .. } => self.t("err.order").into(),
            E::NoSuchNode { node, .. } => self.fmt("err.no_node", &[("node", n(node))]),
            E::NoSuchClient { client, .. } => self.fmt("err.no_client", &[("client", n(client))]),
            E::EngineVersion { found, .. } => self.fmt("err.engine", &[("v", n(found))]),
            E::BadProposers { got, min, max } => self.range("err.proposers", *got, *min, *max),
            E::BadAcceptors { got, min, max } => self.range("err.acceptors", *got, *min, *max),
            E::BadVoters { got, min, max } => self.range("err.voters", *got, *min, *max),
            E::BadObservers { got, min, max } => self.range("err.observers", *got, *min, *max),
            E::BadLearners { got, min, max } => self.range("err.learners", *got, *min, *max),
        }
    }

    /// "Between {min} and {max} …, got {got}".
    fn range(self, key: &str, got: u32, min: u32, max: u32) -> String {
        let n = |x: u32| x.to_string();
        self.fmt(key, &[("got", n(got)), ("min", n(min)), ("max", n(max))])
    }

    /// A readable message for a share link that could not be opened.
    #[must_use]
    pub fn link_error(self, e: &LinkError) -> String {
        let detail = match e {
            LinkError::TooLong { len, max } => {
                self.fmt("err.link_long", &[("len", len.to_string()), ("max", max.to_string())])
            }
            LinkError::NoVersion | LinkError::UnsupportedVersion(_) => {
                self.t("err.link_version").into()
            }
            LinkError::Base64 | LinkError::Inflate | LinkError::Payload => {
                self.t("err.link_corrupt").into()
            }
            LinkError::TooLarge { .. } => self.t("err.link_large").into(),
            LinkError::Invalid(c) => self.config_error(c),
            LinkError::BadOption(o) => self.fmt("err.link_option", &[("opt", o.clone())]),
        };
        self.fmt("err.link", &[("detail", detail)])
    }
}

/// The catalog key naming a Paxos variant.
#[must_use]
pub fn variant_key(v: qcore::paxos::Variant) -> &'static str {
    match v {
        qcore::paxos::Variant::Faithful => "paxos.variant.faithful",
        qcore::paxos::Variant::ForgetPromise => "paxos.variant.forget-old",
        qcore::paxos::Variant::PromiseInMemory => "paxos.variant.forget",
        qcore::paxos::Variant::ReuseNumbers => "paxos.variant.reuse",
        qcore::paxos::Variant::AdoptLowest => "paxos.variant.lowest",
    }
}

/// The catalog key naming a Zab variant.
#[must_use]
pub fn zab_variant_key(v: qcore::zab::Variant) -> &'static str {
    use qcore::zab::Variant as V;
    match v {
        V::Faithful => "zab.variant.faithful",
        V::CommitBeforeQuorum => "zab.variant.commit",
        V::ElectionIgnoresZxid => "zab.variant.myid",
        V::AckBeforePersist => "zab.variant.ack",
        V::EpochPersistLate => "zab.variant.epoch",
    }
}

impl Lang {
    /// A readable sentence for a broken session guarantee.
    #[must_use]
    pub fn session(self, v: &qcore::check::session::Violation) -> String {
        use qcore::check::session::Guarantee as G;
        let rule = self.t(match v.guarantee {
            G::ReadYourWrites => "session.ryw",
            G::MonotonicReads => "session.mr",
            G::MonotonicWrites => "session.mw",
            G::WritesFollowReads => "session.wfr",
        });
        self.fmt(
            "check.session_bad",
            &[
                ("rule", rule.to_string()),
                ("c", v.client.to_string()),
                ("a", v.earlier.to_string()),
                ("b", v.later.to_string()),
            ],
        )
    }

    /// A readable sentence for a broken Paxos invariant.
    #[must_use]
    pub fn rule(self, v: &qcore::safety::Violation) -> String {
        let key = format!("rule.{}", rule_slug(v.rule));
        let zab = key.starts_with("rule.zab");
        // Zab numbers are zxids (shown epoch:counter) and servers are S<myid>.
        let num = |x: u64| {
            if zab && x > 0xffff {
                format!("{}:{}", x >> 32, x & 0xffff_ffff)
            } else {
                x.to_string()
            }
        };
        let nodes = v
            .nodes
            .iter()
            .map(|&n| if zab { format!("S{}", n + 1) } else { n.to_string() })
            .collect::<Vec<_>>()
            .join(",");
        self.fmt(&key, &[("a", num(v.values.0)), ("b", num(v.values.1)), ("nodes", nodes)])
    }
}

/// A rule's name in the catalogs: `rule.<slug>` says how it broke,
/// `prop.<slug>` what it promises.
#[must_use]
pub fn rule_slug(r: qcore::safety::Rule) -> &'static str {
    use qcore::safety::Rule;
    match r {
        Rule::TwoValuesChosen => "two_values",
        Rule::LearnersDisagree => "learners",
        Rule::ChosenNotProposed => "not_proposed",
        Rule::MaxNDecreased => "max_n",
        Rule::AcceptedAboveMaxN => "above_max_n",
        Rule::NumberReused => "reused",
        Rule::ZabTwoLeadersInEpoch => "zab_two_leaders",
        Rule::ZabCommittedLost => "zab_lost",
        Rule::ZabAgreement => "zab_agreement",
        Rule::ZabTotalOrder => "zab_order",
        Rule::ZabPrimaryIntegrity => "zab_integrity",
        Rule::ZabPrimaryOrder => "zab_primary_order",
        Rule::ZabElectedStale => "zab_elected_stale",
        Rule::ZabEpochForgotten => "zab_epoch",
        Rule::CausalGap => "causal_gap",
        Rule::LearnedNotChosen => "learned_not_chosen",
        Rule::StaleRead => "stale",
        Rule::NewOldInversion => "inversion",
    }
}

thread_local! {
    // A sorted Vec, not a BTreeSet: it stays tiny, and each map type costs
    // the bundle its own copy of the tree code.
    static MISSING: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keys looked up but missing from a catalog (`lang:key`).
#[must_use]
pub fn missing_keys() -> Vec<String> {
    MISSING.with(|m| m.borrow().clone())
}

// The catalogs, made by build.rs from `web/i18n/zh.toml` and `en.toml` (the
// files translators edit): `KEYS`, sorted, and `ZH` and `EN`, the texts in
// the keys' order, each one string split at U+001F.
include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The catalogs split into their strings, once.
struct Tables {
    keys: Vec<&'static str>,
    zh: Vec<&'static str>,
    en: Vec<&'static str>,
}

thread_local! {
    static TABLES: Tables = {
        let split = |s: &'static str| s.split('\u{1f}').collect::<Vec<_>>();
        Tables { keys: split(KEYS), zh: split(ZH), en: split(EN) }
    };
}

/// Every (key, text) of a language, in key order (the tests read them).
#[cfg(test)]
fn entries(lang: Lang) -> Vec<(&'static str, &'static str)> {
    TABLES.with(|t| {
        let texts = if lang == Lang::Zh { &t.zh } else { &t.en };
        t.keys.iter().copied().zip(texts.iter().copied()).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_key_and_no_empty_string() {
        TABLES.with(|t| {
            assert_eq!(t.zh.len(), t.keys.len(), "zh has a text for every key");
            assert_eq!(t.en.len(), t.keys.len(), "en has a text for every key");
            // Sorted and unique, as the lookup's binary search needs.
            assert!(t.keys.windows(2).all(|w| w[0] < w[1]));
        });
        for (k, v) in entries(Lang::Zh).into_iter().chain(entries(Lang::En)) {
            assert!(!v.is_empty(), "{k} is empty");
        }
    }

    #[test]
    fn every_lesson_has_narration_in_both_languages() {
        for id in qcore::lessons::LESSONS {
            for part in ["title", "what"] {
                let key = format!("lesson.{id}.{part}");
                assert!(!Lang::Zh.t(&key).is_empty(), "missing {key} in zh");
                assert!(!Lang::En.t(&key).is_empty(), "missing {key} in en");
            }
        }
    }

    /// Every key the guides of all lessons can show: each step's own text,
    /// its texts for settings, its question and the question's choices.
    fn guide_keys() -> std::collections::BTreeSet<String> {
        let mut keys = std::collections::BTreeSet::new();
        for id in qcore::lessons::LESSONS {
            for (k, st) in qcore::lessons::guide::steps(id).iter().enumerate() {
                keys.insert(format!("lesson.{id}.step.{k}"));
                for tag in qcore::lessons::guide::text_tags(st) {
                    keys.insert(format!("lesson.{id}.step.{k}.{tag}"));
                }
                if let Some(q) = st.question {
                    keys.insert(format!("lesson.{id}.q.{k}"));
                    keys.extend((q.nodes..q.choices).map(|c| format!("lesson.{id}.q.{k}.{c}")));
                }
            }
        }
        keys
    }

    #[test]
    fn every_guided_step_and_question_is_written_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let all = entries(lang);
            let has = |k: &str| all.iter().any(|(x, v)| *x == k && !v.is_empty());
            for key in guide_keys() {
                assert!(has(&key), "missing {key} in {}", lang.code());
            }
        }
    }

    #[test]
    fn no_catalog_keeps_a_step_text_no_step_shows() {
        let wanted = guide_keys();
        let stale: Vec<&str> = entries(Lang::En)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("lesson.") && (k.contains(".step.") || k.contains(".q.")))
            .filter(|k| !wanted.contains(*k))
            .collect();
        assert!(stale.is_empty(), "the catalogs keep {stale:?}");
    }

    /// `docs/glossary-zh.md` gives one rendering per term; these are the
    /// variants it rules out.
    #[test]
    fn the_chinese_catalog_follows_the_glossary() {
        let ruled_out = [
            "个 tick",
            "读己之写",
            "读后写回",
            "取最后写入者",
            "永远不会完成",
            "任意种子",
            "CAP 与 BASE",
            "批准",
        ];
        for (k, v) in entries(Lang::Zh) {
            for bad in ruled_out {
                assert!(!v.contains(bad), "{k}: {bad:?} (see docs/glossary-zh.md)");
            }
            // The tick is a unit, written “60 tick”: never “60 刻”,
            // “300 时刻” or “100 个时刻”.
            for unit in ["刻", "时刻", "个时刻"] {
                for (i, _) in v.match_indices(unit) {
                    let before = v[..i].trim_end();
                    let counted = before.ends_with(|c: char| c.is_ascii_digit() || c == '}');
                    assert!(!counted, "{k}: a tick written as {unit} (see docs/glossary-zh.md)");
                }
            }
        }
    }
}
