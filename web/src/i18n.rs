//! Every user-visible string, in Simplified Chinese and English.
//!
//! Strings are looked up by key; `{name}` placeholders are filled by
//! [`Lang::fmt`]. A test checks both catalogs hold exactly the same keys.

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

    fn catalog(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::Zh => ZH,
            Lang::En => EN,
        }
    }

    /// The strings of later lectures this build has.
    fn more(self) -> &'static [(&'static str, &'static str)] {
        #[cfg(feature = "zab")]
        return match self {
            Lang::Zh => ZH_04,
            Lang::En => EN_04,
        };
        #[cfg(not(feature = "zab"))]
        {
            let _ = self;
            &[]
        }
    }

    /// The strings only the full build carries: lectures 01 and 02, and the
    /// narration of the Paxos lessons.
    fn more_full(self) -> &'static [(&'static str, &'static str)] {
        #[cfg(feature = "eventual")]
        return match self {
            Lang::Zh => ZH_FULL,
            Lang::En => EN_FULL,
        };
        #[cfg(not(feature = "eventual"))]
        {
            let _ = self;
            &[]
        }
    }

    /// The string for `key`. A missing key yields `"⟦key⟧"`-free empty text
    /// and is remembered, so the browser tests can fail on it.
    #[must_use]
    pub fn t(self, key: &str) -> &'static str {
        let mut all = self.catalog().iter().chain(self.more()).chain(self.more_full());
        match all.find(|(k, _)| *k == key) {
            Some((_, v)) => v,
            None => {
                MISSING.with(|m| m.borrow_mut().insert(format!("{}:{key}", self.code())));
                ""
            }
        }
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
            E::BadProposers { got, min, max } => {
                self.fmt("err.proposers", &[("got", n(got)), ("min", n(min)), ("max", n(max))])
            }
            E::BadAcceptors { got, min, max } => {
                self.fmt("err.acceptors", &[("got", n(got)), ("min", n(min)), ("max", n(max))])
            }
            E::BadVoters { got, min, max } => {
                self.fmt("err.voters", &[("got", n(got)), ("min", n(min)), ("max", n(max))])
            }
            E::BadObservers { got, min, max } => {
                self.fmt("err.observers", &[("got", n(got)), ("min", n(min)), ("max", n(max))])
            }
        }
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
            LinkError::NeedsFullBuild => self.t("err.link_full").into(),
        };
        self.fmt("err.link", &[("detail", detail)])
    }
}

/// The catalog key naming a Paxos variant.
#[cfg(feature = "paxos")]
#[must_use]
pub fn variant_key(v: qcore::paxos::Variant) -> &'static str {
    match v {
        qcore::paxos::Variant::Faithful => "paxos.variant.faithful",
        qcore::paxos::Variant::ForgetPromise => "paxos.variant.forget",
        qcore::paxos::Variant::ReuseNumbers => "paxos.variant.reuse",
    }
}

/// The catalog key naming a Zab variant.
#[cfg(feature = "zab")]
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
        use qcore::safety::Rule;
        let key = match v.rule {
            Rule::TwoValuesChosen => "rule.two_values",
            Rule::LearnersDisagree => "rule.learners",
            Rule::ChosenNotProposed => "rule.not_proposed",
            Rule::MaxNDecreased => "rule.max_n",
            Rule::AcceptedAboveMaxN => "rule.above_max_n",
            Rule::NumberReused => "rule.reused",
            Rule::ZabTwoLeadersInEpoch => "rule.zab_two_leaders",
            Rule::ZabCommittedLost => "rule.zab_lost",
            Rule::ZabAgreement => "rule.zab_agreement",
            Rule::ZabTotalOrder => "rule.zab_order",
            Rule::ZabPrimaryIntegrity => "rule.zab_integrity",
            Rule::ZabPrimaryOrder => "rule.zab_primary_order",
            Rule::ZabElectedStale => "rule.zab_elected_stale",
            Rule::ZabEpochForgotten => "rule.zab_epoch",
            Rule::CausalGap => "rule.causal_gap",
        };
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
        self.fmt(key, &[("a", num(v.values.0)), ("b", num(v.values.1)), ("nodes", nodes)])
    }
}

thread_local! {
    static MISSING: std::cell::RefCell<std::collections::BTreeSet<String>> =
        const { std::cell::RefCell::new(std::collections::BTreeSet::new()) };
}

/// Keys looked up but missing from a catalog (`lang:key`).
#[must_use]
pub fn missing_keys() -> Vec<String> {
    MISSING.with(|m| m.borrow().iter().cloned().collect())
}

pub const ZH: &[(&str, &str)] = &[
    ("app.tagline", "看见分布式系统：Quorum、Paxos、Zab、CAP 与一致性模型"),
    ("ctl.play", "播放"),
    ("ctl.pause", "暂停"),
    ("ctl.step", "单步"),
    ("ctl.back", "后退一步"),
    ("ctl.reset", "重来"),
    ("ctl.speed", "速度"),
    ("ctl.time", "时间"),
    ("ctl.heal", "修复网络"),
    ("ctl.share", "分享"),
    ("ctl.export_edn", "导出历史（EDN）"),
    ("ctl.export_svg", "导出画面（SVG）"),
    ("ctl.export_png", "导出画面（PNG）"),
    ("ctl.undo", "撤销"),
    ("ctl.embed", "嵌入"),
    ("status.forgotten", "为控制内存，时刻 {t} 之前的轨迹已丢弃（客户端历史完整保留）"),
    ("ctl.export_json", "导出轨迹（JSON）"),
    ("import.open", "在完整版中检查 Jepsen 历史"),
    ("guide.step", "第 {k} 步，共 {n} 步"),
    ("guide.prev", "上一步"),
    ("guide.next", "下一步"),
    ("guide.predict", "预测模式：关键时刻暂停，先猜接下来会发生什么"),
    ("guide.ask", "猜一猜："),
    ("guide.right", "猜对了！这次运行的结果正是：{a}"),
    ("guide.wrong", "不对。这次运行的结果是：{a}"),
    ("guide.undecided", "这次运行还没有给出答案。"),
    ("lesson.waro.step.0", "W=N=3：客户端 0 通过 n0 写入 1，三个副本都存下后写才成功。"),
    ("lesson.waro.step.1", "R=1：客户端 1 通过 n1 读，一个副本就够——每个副本都有最新值。"),
    ("lesson.waro.step.2", "n2 宕机。"),
    ("lesson.waro.q.2", "客户端 0 现在通过 n0 写入 2。这次写会成功吗？"),
    ("lesson.waro.q.2.0", "会成功"),
    ("lesson.waro.q.2.1", "不会：写失败"),
    ("lesson.waro.step.3", "读仍然成功，任一活着的副本都行——甚至会读到 2：失败的写已把它留在 n0 和 n1 上。"),
    ("lesson.waro.step.4", "n2 重启，写又能成功了。"),
    ("lesson.quorum-10-3-8.step.0", "客户端 0 通过 n0 写入 1；n0 到 n3…n9 的链路被挂起，所以只有 n0、n1、n2 存下：W=3。"),
    ("lesson.quorum-10-3-8.step.1", "客户端 1 通过 n9 读，要问 R = N+1−W = 8 个副本。"),
    ("lesson.quorum-10-3-8.q.1", "这次读能看到新值吗？"),
    ("lesson.quorum-10-3-8.q.1.0", "能，读到 1"),
    ("lesson.quorum-10-3-8.q.1.1", "不能，读到旧值 ∅"),
    ("lesson.quorum-10-3-8.q.1.2", "没有结果（读失败）"),
    ("lesson.quorum-10-3-8.step.2", "挂起的链路恢复，写到达所有副本。"),
    ("lesson.quorum-stale.step.0", "客户端 0 通过 n0 写入 1：W=2 个副本存下。"),
    ("lesson.quorum-stale.step.1", "网络分成 {n0, n1} 和 {n2, n3, n4} 两边。"),
    ("lesson.quorum-stale.step.2", "客户端 0 通过 n0 写入 2：少数派一侧就凑够了 W=2。"),
    ("lesson.quorum-stale.q.2", "客户端 1 在另一侧通过 n3 读（R=2）。它会读到什么？"),
    ("lesson.quorum-stale.q.2.0", "2，最新的写"),
    ("lesson.quorum-stale.q.2.1", "更旧的值"),
    ("lesson.quorum-stale.q.2.2", "没有结果（读失败）"),
    ("lesson.quorum-stale.step.3", "W+R≤N：读集合错过了写集合。把 R（或 W）调大到 W+R>N，再问一次。"),
    ("lesson.quorum-3-2-2.step.0", "客户端 0 通过协调者 n0 写入 1：n0 自己存下，并向 n1、n2 发出 Store。"),
    ("lesson.quorum-3-2-2.step.1", "两个 Store 消息都丢了：只有 n0 有 1，达不到 W=2，这次写永远不会完成。"),
    ("lesson.quorum-3-2-2.step.2", "客户端 1 通过 n0 读：R=2 个回复中有 n0 的 1，版本号最新，读到 1。"),
    ("lesson.quorum-3-2-2.step.3", "n0 宕机。n1 和 n2 仍是旧值。"),
    ("lesson.quorum-3-2-2.q.3", "客户端 2 现在通过 n1 读（R=2）。它会读到什么？"),
    ("lesson.quorum-3-2-2.q.3.0", "新值 1"),
    ("lesson.quorum-3-2-2.q.3.1", "旧值 ∅"),
    ("lesson.quorum-3-2-2.q.3.2", "没有结果（读失败）"),
    ("lesson.quorum-3-2-2.step.4", "对照下面的历史：后一次读是否比前一次读旧？关掉写回时是的；打开“读后写回”再问一次。"),
    ("share.qr", "用手机扫描，打开同一次运行"),
    ("embed.title", "嵌入到课程网页"),
    ("embed.hint", "贴到课程网页里即可；网页可用 postMessage 控制它（见 README）。"),
    ("embed.autoplay", "自动播放"),
    ("embed.controls", "控件"),
    ("embed.controls.normal", "全部显示"),
    ("embed.controls.locked", "只能播放（不能改动运行）"),
    ("embed.controls.hidden", "隐藏"),
    ("embed.open", "在 Quorumscope 中打开 ↗"),
    ("err.no_lesson", "没有这个课程："),
    ("check.linear_bad_short", "不可线性化"),
    ("keys.title", "键盘快捷键"),
    ("keys.play", "播放 / 暂停"),
    ("keys.step", "前进一个事件"),
    ("keys.back", "后退到上一个时刻"),
    ("keys.reset", "回到开头"),
    ("keys.undo", "撤销上一个操作"),
    ("keys.crash", "让第 1 … 9 个节点宕机 / 重启"),
    ("keys.heal", "修复网络"),
    ("keys.tab", "在控件间移动；Enter 或空格按下按钮"),
    ("keys.help", "打开 / 关闭这个列表"),
    ("log.title", "事件记录"),
    ("log.line", "@{t} {what} {lane}"),
    ("st.title", "时空图（Lamport 图）"),
    ("st.open", "在完整版中打开时空图（同一次运行、同一时刻）"),
    ("st.mark.crash", "宕机"),
    ("st.mark.restart", "重启"),
    ("st.mark.cut", "网络分区"),
    ("st.mark.heal", "网络恢复"),
    ("st.mark.invoke", "客户端发起操作 #{op}"),
    ("st.mark.return", "客户端操作 #{op} 返回"),
    ("ctl.copied", "链接已复制，打开它即可重放这次运行。"),
    ("ctl.copy_manual", "无法自动复制：请选中下面的链接手动复制。"),
    ("ctl.lang", "语言"),
    ("ctl.lesson", "课程"),
    ("ctl.dismiss", "关闭"),
    ("nwr.title", "副本数 N / 写 W / 读 R"),
    ("nwr.apply", "应用"),
    ("nwr.write_back", "读后写回（ABD）"),
    ("nwr.overlap", "W + R > N：读写集合必有交集"),
    ("nwr.no_overlap", "W + R ≤ N：读可能错过最新的写"),
    ("nwr.not_number", "请输入整数。"),
    ("client.title", "客户端操作"),
    ("client.client", "客户端"),
    ("client.node", "发往节点"),
    ("client.value", "值"),
    ("client.write", "写入"),
    ("client.read", "读取"),
    ("hint.canvas", "点击节点：宕机/重启；在画布上拖一条线：网络分区；点击连线：单向切断→双向切断→恢复；点击飞行中的消息：丢弃它。"),
    ("status.tick", "时刻"),
    ("status.events", "事件"),
    ("status.in_flight", "飞行中的消息"),
    ("status.hash", "轨迹哈希"),
    ("legend.write", "W：最近一次写成功的副本"),
    ("legend.read", "R：最近一次读所用的副本"),
    ("legend.overlap", "交集"),
    ("legend.partition", "网络分区"),
    ("legend.down", "宕机"),
    ("history.title", "客户端历史"),
    ("history.empty", "还没有客户端操作。"),
    ("history.pending", "等待中"),
    ("history.ok", "成功"),
    ("history.fail", "失败（写可能已部分生效）"),
    ("history.refused", "被拒绝（服务繁忙，未执行）"),
    ("history.timeout", "超时（结果未知）"),
    ("check.title", "检查"),
    ("check.stale", "读到旧值（读开始前已完成的写被错过）：{n}"),
    ("check.inversion", "新旧倒置（后一次读比前一次读旧）：{n}"),
    ("check.ok", "没有发现问题"),
    ("narr.what", "发生了什么"),
    ("narr.observe", "请观察"),
    ("replay.progress", "正在重放链接中的运行…"),
    ("err.title", "出错了"),
    ("err.link", "无法打开这个链接：{detail}"),
    ("err.link_long", "链接过长（{len} 字节，最多 {max}）。"),
    ("err.link_version", "链接格式版本不受支持。"),
    ("err.link_corrupt", "链接数据已损坏。"),
    ("err.link_large", "链接数据解压后过大。"),
    ("err.link_option", "显示选项 {opt} 的值无效。"),
    ("err.loaded_default", "已载入默认课程。"),
    ("err.kept_run", "当前运行保持不变。"),
    ("err.zero_nodes", "集群至少需要 1 个节点。"),
    ("err.too_many_nodes", "节点太多：{n} 个，最多 {max} 个。"),
    ("err.w_zero", "W 至少为 1。"),
    ("err.r_zero", "R 至少为 1。"),
    ("err.w_too_large", "W = {w} 大于 N = {n}：写不可能成功。"),
    ("err.r_too_large", "R = {r} 大于 N = {n}：读不到这么多副本。"),
    ("err.clients", "客户端数量无效。"),
    ("err.network", "网络参数无效。"),
    ("err.tick", "时间超出上限。"),
    ("err.actions", "操作太多（最多 {max} 个）。"),
    ("err.ops", "预定的客户端操作太多。"),
    ("err.order", "操作时间线顺序错误。"),
    ("err.no_node", "节点 {node} 不存在。"),
    ("err.no_client", "客户端 {client} 不存在。"),
    ("err.engine", "该运行来自不兼容的引擎版本 {v}。"),
    ("err.panic", "程序内部错误，请刷新页面。详情："),
    ("lecture.01", "第 01 讲：CAP 与 BASE"),
    ("lecture.02", "第 02 讲：一致性模型"),
    ("lecture.03", "第 03 讲：Quorum 与 Paxos"),
    ("lecture.04", "第 04 讲：ZooKeeper 与 Zab"),
    ("lesson.cap-proof.title", "CAP 定理的证明：两台服务器与一次分区"),
    ("lesson.cap-sla.title", "可用性与 SLA：几个 9"),
    ("lesson.cap-registry.title", "CP 与 AP：ZooKeeper 对比 Eureka"),
    ("lesson.ec-weak.title", "弱一致性：没有任何时间承诺"),
    ("lesson.ec-window.title", "最终一致性：不一致窗口"),
    ("lesson.ec-causal.title", "因果一致性：评论与回复"),
    ("lesson.ec-session.title", "会话一致性：读己之写"),
    ("lesson.ec-strong.title", "强一致性：仅有 Quorum 还不够"),
    ("lesson.ec-base.title", "BASE 基本可用：秒杀时排队与限流"),
    ("lesson.ec-custom.title", "自由实验：最终一致的存储"),
    ("lesson.waro.title", "WARO：写全部，读一个"),
    ("lesson.waro.what", "N=3，W=3，R=1。写必须更新所有副本才算成功；读任意一个副本即可。节点 n2 在 300 时刻宕机，之后的写全部失败，读依然成功；n2 重启后写恢复。"),
    ("lesson.waro.observe", "n2 宕机后，写 2 在等待 n2 的确认时超时失败（写可能已部分生效，记为“结果未知”）；同时对 n1 的读立即成功。WARO 牺牲写的可用性，换取读的最大可用性。"),
    ("lesson.quorum-3-2-2.title", "Quorum N=3, W=2, R=2：交集与新旧倒置"),
    ("lesson.quorum-3-2-2.what", "W+R>N，读集合与写集合必有交集。但写入 1 时，协调者 n0 发出的两个存储消息丢失，只有 n0 自己存下了新值；随后 n0 宕机。"),
    ("lesson.quorum-3-2-2.observe", "客户端 1 从 n0 读到新值 1，之后客户端 2 从 n1 读到旧值：后一次读比前一次读旧。这就是课程所说“Quorum 机制无法保证强一致性”。打开“读后写回（ABD）”再看：读在返回前把新值写回 W 个副本，倒置消失。"),
    ("lesson.quorum-10-3-8.title", "课程示例：N=10，W=3 ⇒ 读 8 个副本"),
    ("lesson.quorum-10-3-8.what", "10 个副本，写只成功更新了 3 个（n0 发往 n3…n9 的链路被挂起）。读需要 N+1−W = 8 个副本。"),
    ("lesson.quorum-10-3-8.observe", "蓝色环是写集合 W，绿色环是读集合 R，金色标出它们的交集：任意 8 个副本中至少有一个持有新值，所以读一定能读到它（抽屉原理）。"),
    ("lesson.quorum-stale.title", "W+R≤N：读到旧值"),
    ("lesson.quorum-stale.what", "N=5，W=2，R=2，W+R≤N。网络分成 {n0,n1} 与 {n2,n3,n4}；写 2 在少数派一侧凭 2 个副本成功。"),
    ("lesson.quorum-stale.observe", "之后对 n3 的读只问到 {n2,n3,n4} 中的副本，与写集合没有交集，读到旧值 1。检查器把这次读标为“读到旧值”。"),
    ("lesson.quorum-custom.title", "自由实验：5 个副本"),
    ("lesson.quorum-custom.what", "N=5，W=3，R=3，客户端随机读写。调整 N/W/R，制造宕机、分区和丢包，看检查器说什么。"),
    ("lesson.quorum-custom.observe", "试试让 W+R≤N，或者切断少数派：哪些操作失败，哪些读到了旧值？"),
    ("check.invariants_ok", "所有不变式都成立（每一步之后检查）"),
    ("check.live", "后台检查了 {n} 个操作"),
    ("check.live_pending", "历史较长：暂停后在后台检查"),
    ("check.live_bad", "不可线性化"),
    ("check.live_unknown", "搜索预算用尽，结果未知"),
    ("check.linear_ok", "可线性化：存在一个合法的全局顺序"),
    ("import.title", "导入 Jepsen 历史"),
    ("check.linear_bad", "不可线性化：{op} 无法放进任何合法顺序"),
    ("check.session_ok", "会话保证：读己之所写、单调读、单调写、读后写都成立"),
    ("check.session_bad", "会话保证被破坏（{rule}）：客户端 c{c} 的操作 #{a} 之后的 #{b}"),
    ("session.ryw", "读己之所写"),
    ("session.mr", "单调读"),
    ("session.mw", "单调写"),
    ("session.wfr", "读后写"),
    ("err.proposers", "提案者数量应在 {min} 到 {max} 之间（现在是 {got}）。"),
    ("err.acceptors", "批准者数量应在 {min} 到 {max} 之间（现在是 {got}）。"),
    ("lesson.paxos-happy.title", "Paxos：一个提案者，三个批准者"),
    ("lesson.paxos-minority.title", "Paxos 常见问题 1：半数以内的批准者失效"),
    ("lesson.paxos-preempt.title", "Paxos 常见问题 2：更大的编号抢占"),
    ("lesson.paxos-duel.title", "Paxos：提案者互相抢占（活锁）"),
    ("lesson.paxos-numbers.title", "Paxos 常见问题 3：全局唯一的编号 P·i + j"),
    ("lesson.paxos-forget.title", "为什么要持久化 Max_N？（错误变体）"),
    ("lesson.paxos-custom.title", "自由实验：Paxos"),
    ("err.link_full", "这个链接需要包含全部协议的版本，但它没能加载。"),
    ("lesson.zab-broadcast.title", "Zab：消息广播"),
    ("lesson.zab-follower-recovers.title", "Zab：Follower 宕机后恢复"),
    ("lesson.zab-election.title", "Zab：讲义中的选举（Server3 当选）"),
    ("lesson.zab-epochs.title", "Zab：epoch 与 TRUNC"),
    ("lesson.zab-observers.title", "Zab：观察者"),
    ("lesson.zab-partition.title", "Zab：Leader 失去多数派（CP）"),
    ("lesson.zab-reads.title", "Zab：本地读与 sync"),
    ("lesson.zab-vs-paxos.title", "Zab 与 Paxos 的联系和区别"),
    ("lesson.zab-custom.title", "自由实验：Zab"),
];

pub const EN: &[(&str, &str)] = &[
    ("app.tagline", "See distributed systems happen: Quorum, Paxos, Zab, CAP and consistency models"),
    ("ctl.play", "Play"),
    ("ctl.pause", "Pause"),
    ("ctl.step", "Step"),
    ("ctl.back", "Step back"),
    ("ctl.reset", "Restart"),
    ("ctl.speed", "Speed"),
    ("ctl.time", "Time"),
    ("ctl.heal", "Heal network"),
    ("ctl.share", "Share"),
    ("ctl.export_edn", "Export history (EDN)"),
    ("ctl.export_svg", "Export frame (SVG)"),
    ("ctl.export_png", "Export frame (PNG)"),
    ("ctl.undo", "Undo"),
    ("ctl.embed", "Embed"),
    ("status.forgotten", "To bound memory, the trace before tick {t} was let go (the client history is kept whole)"),
    ("ctl.export_json", "Export trace (JSON)"),
    ("import.open", "Check a Jepsen history (full build)"),
    ("guide.step", "Step {k} of {n}"),
    ("guide.prev", "Previous step"),
    ("guide.next", "Next step"),
    ("guide.predict", "Predict mode: pause before key moments and guess what happens next"),
    ("guide.ask", "Predict:"),
    ("guide.right", "Right! The run agrees: {a}"),
    ("guide.wrong", "Not quite. The run says: {a}"),
    ("guide.undecided", "The run has not decided it yet."),
    ("lesson.waro.step.0", "W=N=3: client 0's write of 1 through n0 succeeds only once all three replicas have stored it."),
    ("lesson.waro.step.1", "R=1: client 1 reads through n1, and one replica is enough — every replica has the newest value."),
    ("lesson.waro.step.2", "n2 crashes."),
    ("lesson.waro.q.2", "Client 0 now writes 2 through n0. Will the write succeed?"),
    ("lesson.waro.q.2.0", "Yes"),
    ("lesson.waro.q.2.1", "No: it fails"),
    ("lesson.waro.step.3", "Reads still succeed with any one live replica — even returning 2, which the failed write left on n0 and n1."),
    ("lesson.waro.step.4", "n2 restarts, and writes succeed again."),
    ("lesson.quorum-10-3-8.step.0", "Client 0 writes 1 through n0; the links from n0 to n3…n9 are held, so only n0, n1 and n2 store it: W=3."),
    ("lesson.quorum-10-3-8.step.1", "Client 1 reads through n9, asking R = N+1−W = 8 replicas."),
    ("lesson.quorum-10-3-8.q.1", "Will the read see the new value?"),
    ("lesson.quorum-10-3-8.q.1.0", "Yes, 1"),
    ("lesson.quorum-10-3-8.q.1.1", "No, the old ∅"),
    ("lesson.quorum-10-3-8.q.1.2", "No answer (the read fails)"),
    ("lesson.quorum-10-3-8.step.2", "The held links heal and the write reaches every replica."),
    ("lesson.quorum-stale.step.0", "Client 0 writes 1 through n0: W=2 replicas store it."),
    ("lesson.quorum-stale.step.1", "The network splits into {n0, n1} and {n2, n3, n4}."),
    ("lesson.quorum-stale.step.2", "Client 0 writes 2 through n0: W=2 is met on the minority side alone."),
    ("lesson.quorum-stale.q.2", "Client 1 reads through n3, on the other side (R=2). What will it get?"),
    ("lesson.quorum-stale.q.2.0", "2, the latest write"),
    ("lesson.quorum-stale.q.2.1", "An older value"),
    ("lesson.quorum-stale.q.2.2", "No answer (the read fails)"),
    ("lesson.quorum-stale.step.3", "W+R≤N: the read quorum missed the write quorum. Raise R (or W) until W+R>N and ask again."),
    ("lesson.quorum-3-2-2.step.0", "Client 0 writes 1 through n0, the coordinator: n0 stores it and sends Store to n1 and n2."),
    ("lesson.quorum-3-2-2.step.1", "Both Store messages are lost: only n0 holds 1, W=2 is never reached, and the write never finishes."),
    ("lesson.quorum-3-2-2.step.2", "Client 1 reads through n0: among the R=2 replies is n0's 1, the newest stamp, so it reads 1."),
    ("lesson.quorum-3-2-2.step.3", "n0 crashes. n1 and n2 still hold the old value."),
    ("lesson.quorum-3-2-2.q.3", "Client 2 now reads through n1 (R=2). What will it get?"),
    ("lesson.quorum-3-2-2.q.3.0", "The new value 1"),
    ("lesson.quorum-3-2-2.q.3.1", "The old value ∅"),
    ("lesson.quorum-3-2-2.q.3.2", "No answer (the read fails)"),
    ("lesson.quorum-3-2-2.step.4", "Compare the two reads in the history below: is the later read older than the earlier one? With write-back off it is; turn on read write-back and ask again."),
    ("share.qr", "Scan with a phone to open the same run"),
    ("embed.title", "Embed in a course page"),
    ("embed.hint", "Paste it into a course page, which can drive it by postMessage (see the README)."),
    ("embed.autoplay", "Autoplay"),
    ("embed.controls", "Controls"),
    ("embed.controls.normal", "all shown"),
    ("embed.controls.locked", "play only (the run cannot be changed)"),
    ("embed.controls.hidden", "hidden"),
    ("embed.open", "Open in Quorumscope ↗"),
    ("err.no_lesson", "No such lesson:"),
    ("check.linear_bad_short", "Not linearizable"),
    ("keys.title", "Keyboard shortcuts"),
    ("keys.play", "Play / pause"),
    ("keys.step", "Step one event"),
    ("keys.back", "Back to the previous moment"),
    ("keys.reset", "Back to the start"),
    ("keys.undo", "Undo the last action"),
    ("keys.crash", "Crash or restart node 1 … 9"),
    ("keys.heal", "Heal the network"),
    ("keys.tab", "Move between controls; Enter or Space presses a button"),
    ("keys.help", "Open / close this list"),
    ("log.title", "Event log"),
    ("log.line", "@{t} {what} {lane}"),
    ("st.title", "Space-time diagram (Lamport diagram)"),
    ("st.open", "Open the space-time diagram (full build, same run, same moment)"),
    ("st.mark.crash", "Crash"),
    ("st.mark.restart", "Restart"),
    ("st.mark.cut", "Network partition"),
    ("st.mark.heal", "Network healed"),
    ("st.mark.invoke", "Client invokes operation #{op}"),
    ("st.mark.return", "Client operation #{op} returns"),
    ("ctl.copied", "Link copied: opening it replays this run."),
    ("ctl.copy_manual", "Could not copy automatically: select the link below and copy it."),
    ("ctl.lang", "Language"),
    ("ctl.lesson", "Lesson"),
    ("ctl.dismiss", "Dismiss"),
    ("nwr.title", "Replicas N / write W / read R"),
    ("nwr.apply", "Apply"),
    ("nwr.write_back", "Read write-back (ABD)"),
    ("nwr.overlap", "W + R > N: read and write sets always overlap"),
    ("nwr.no_overlap", "W + R ≤ N: a read may miss the latest write"),
    ("nwr.not_number", "Please enter whole numbers."),
    ("client.title", "Client operations"),
    ("client.client", "Client"),
    ("client.node", "to node"),
    ("client.value", "Value"),
    ("client.write", "Write"),
    ("client.read", "Read"),
    ("hint.canvas", "Click a node to crash or restart it; drag a line across the canvas to partition; click a link to cut it one way, then both ways, then heal; click a message in flight to drop it."),
    ("status.tick", "Tick"),
    ("status.events", "Events"),
    ("status.in_flight", "In flight"),
    ("status.hash", "Trace hash"),
    ("legend.write", "W: replicas that stored the last write"),
    ("legend.read", "R: replicas the last read used"),
    ("legend.overlap", "overlap"),
    ("legend.partition", "partition"),
    ("legend.down", "down"),
    ("history.title", "Client history"),
    ("history.empty", "No client operations yet."),
    ("history.pending", "pending"),
    ("history.ok", "ok"),
    ("history.fail", "failed (a write may still have partly happened)"),
    ("history.refused", "refused (busy; not done)"),
    ("history.timeout", "timed out (outcome unknown)"),
    ("check.title", "Checks"),
    ("check.stale", "Stale reads (missed a write completed before the read began): {n}"),
    ("check.inversion", "New/old inversions (a later read older than an earlier one): {n}"),
    ("check.ok", "No problem found"),
    ("narr.what", "What happens"),
    ("narr.observe", "What to observe"),
    ("replay.progress", "Replaying the run from the link…"),
    ("err.title", "Something went wrong"),
    ("err.link", "This link cannot be opened: {detail}"),
    ("err.link_long", "it is too long ({len} bytes, at most {max})."),
    ("err.link_version", "its format version is not supported."),
    ("err.link_corrupt", "its data is corrupted."),
    ("err.link_large", "its data expands too much."),
    ("err.link_option", "the view option {opt} has an invalid value."),
    ("err.loaded_default", "The default lesson was loaded."),
    ("err.kept_run", "The current run is unchanged."),
    ("err.zero_nodes", "A cluster needs at least 1 node."),
    ("err.too_many_nodes", "Too many nodes: {n}, at most {max}."),
    ("err.w_zero", "W must be at least 1."),
    ("err.r_zero", "R must be at least 1."),
    ("err.w_too_large", "W = {w} is larger than N = {n}: no write could ever succeed."),
    ("err.r_too_large", "R = {r} is larger than N = {n}: there are not that many replicas to read."),
    ("err.clients", "Invalid number of clients."),
    ("err.network", "Invalid network settings."),
    ("err.tick", "A time beyond the limit."),
    ("err.actions", "Too many actions (at most {max})."),
    ("err.ops", "Too many scheduled client operations."),
    ("err.order", "The action timeline is out of order."),
    ("err.no_node", "Node {node} does not exist."),
    ("err.no_client", "Client {client} does not exist."),
    ("err.engine", "This run comes from an incompatible engine version {v}."),
    ("err.panic", "Internal error, please reload the page. Details: "),
    ("lecture.01", "Lecture 01: CAP and BASE"),
    ("lecture.02", "Lecture 02: consistency models"),
    ("lecture.03", "Lecture 03: Quorum and Paxos"),
    ("lecture.04", "Lecture 04: ZooKeeper and Zab"),
    ("lesson.cap-proof.title", "CAP, the proof: two servers and a partition"),
    ("lesson.cap-sla.title", "Availability and SLAs: counting nines"),
    ("lesson.cap-registry.title", "CP and AP: ZooKeeper beside Eureka"),
    ("lesson.ec-weak.title", "Weak consistency: no promise of when"),
    ("lesson.ec-window.title", "Eventual consistency: the inconsistency window"),
    ("lesson.ec-causal.title", "Causal consistency: the comment and the reply"),
    ("lesson.ec-session.title", "Session consistency: read your writes"),
    ("lesson.ec-strong.title", "Strong consistency: Quorum alone is not enough"),
    ("lesson.ec-base.title", "BASE, basically available: queueing and rate limits in a flash sale"),
    ("lesson.ec-custom.title", "Experiment: an eventually consistent store"),
    ("lesson.waro.title", "WARO: write all, read one"),
    ("lesson.waro.what", "N=3, W=3, R=1. A write succeeds only once every replica has it; a read needs any one. Node n2 crashes at tick 300: every write after that fails while reads still succeed; writes work again after n2 restarts."),
    ("lesson.waro.observe", "With n2 down, write 2 times out waiting for n2's ack (it may have partly happened, so it is recorded as indeterminate), while the read at n1 succeeds at once. WARO gives up write availability for the most available reads."),
    ("lesson.quorum-3-2-2.title", "Quorum N=3, W=2, R=2: overlap, and a new/old inversion"),
    ("lesson.quorum-3-2-2.what", "W+R>N, so read and write sets always overlap. But while value 1 is written, both store messages from the coordinator n0 are lost: only n0 itself has the new value. Then n0 crashes."),
    ("lesson.quorum-3-2-2.observe", "Client 1 reads the new value 1 through n0; later client 2 reads the old value through n1 — a later read older than an earlier one. This is what the lecture means by \"Quorum alone cannot guarantee strong consistency\". Turn on read write-back (ABD): a read stores the value on W replicas before returning, and the inversion disappears."),
    ("lesson.quorum-10-3-8.title", "The lecture's example: N=10, W=3 ⇒ read 8"),
    ("lesson.quorum-10-3-8.what", "Ten replicas; the write updates only three (the links from n0 to n3…n9 are held). A read must ask N+1−W = 8 replicas."),
    ("lesson.quorum-10-3-8.observe", "The blue ring is the write set W, the green ring the read set R, and gold marks their overlap: any 8 replicas include one that holds the new value, so the read finds it (the pigeonhole principle)."),
    ("lesson.quorum-stale.title", "W+R≤N: a stale read"),
    ("lesson.quorum-stale.what", "N=5, W=2, R=2, so W+R≤N. The network splits into {n0,n1} and {n2,n3,n4}; write 2 succeeds on the minority side with 2 replicas."),
    ("lesson.quorum-stale.observe", "The read at n3 then asks only replicas in {n2,n3,n4}: no overlap with the write set, so it returns the old value 1. The checker flags it as a stale read."),
    ("lesson.quorum-custom.title", "Experiment: 5 replicas"),
    ("lesson.quorum-custom.what", "N=5, W=3, R=3 with clients reading and writing at random. Change N/W/R, crash nodes, partition, drop messages, and see what the checks say."),
    ("lesson.quorum-custom.observe", "Try W+R≤N, or cut off a minority: which operations fail, and which reads return old values?"),
    ("check.invariants_ok", "Every invariant holds (checked after every step)"),
    ("check.live", "checked in the background: {n} operations"),
    ("check.live_pending", "A long history: checked in the background once paused"),
    ("check.live_bad", "Not linearizable"),
    ("check.live_unknown", "Search budget ran out, verdict unknown"),
    ("check.linear_ok", "Linearizable: a legal total order exists"),
    ("import.title", "Import a Jepsen history"),
    ("check.linear_bad", "Not linearizable: {op} fits in no legal order"),
    ("check.session_ok", "Session guarantees hold: read-your-writes, monotonic reads and writes, writes-follow-reads"),
    ("check.session_bad", "Session guarantee broken ({rule}): client c{c}, operation #{b} after #{a}"),
    ("session.ryw", "read your writes"),
    ("session.mr", "monotonic reads"),
    ("session.mw", "monotonic writes"),
    ("session.wfr", "writes follow reads"),
    ("err.proposers", "Between {min} and {max} proposers, please (got {got})."),
    ("err.acceptors", "Between {min} and {max} acceptors, please (got {got})."),
    ("lesson.paxos-happy.title", "Paxos: one proposer, three acceptors"),
    ("lesson.paxos-minority.title", "Paxos FAQ 1: a minority of acceptors fails"),
    ("lesson.paxos-preempt.title", "Paxos FAQ 2: a higher number takes over"),
    ("lesson.paxos-duel.title", "Paxos: duelling proposers (livelock)"),
    ("lesson.paxos-numbers.title", "Paxos FAQ 3: unique numbers P·i + j"),
    ("lesson.paxos-forget.title", "Why persist Max_N? (broken variant)"),
    ("lesson.paxos-custom.title", "Experiment: Paxos"),
    ("err.link_full", "This link needs the build with every protocol, which did not load."),
    ("lesson.zab-broadcast.title", "Zab: message broadcast"),
    ("lesson.zab-follower-recovers.title", "Zab: a follower crashes and comes back"),
    ("lesson.zab-election.title", "Zab: the lecture's election (Server3 wins)"),
    ("lesson.zab-epochs.title", "Zab: epochs and TRUNC"),
    ("lesson.zab-observers.title", "Zab: observers"),
    ("lesson.zab-partition.title", "Zab: the leader loses its quorum (CP)"),
    ("lesson.zab-reads.title", "Zab: local reads and sync"),
    ("lesson.zab-vs-paxos.title", "Zab and Paxos compared"),
    ("lesson.zab-custom.title", "Experiment: Zab"),
];

/// Strings of lecture 04 (Zab), in the build that has it. The lesson titles
/// stay in the main catalogs: the default page lists every lesson.
#[cfg(feature = "zab")]
pub const ZH_04: &[(&str, &str)] = &[
    ("lesson.zab-election.step.0", "先搭舞台：Server4、Server5 宕机，Server3 领导 epoch 1。"),
    ("lesson.zab-election.step.1", "Server3 宕机，Server4、Server5 回来；Server2 当选，领导 epoch 2。"),
    ("lesson.zab-election.step.2", "Server3 重启，成为 Server2 的 Follower。"),
    ("lesson.zab-election.step.3", "客户端通过 Server2 写入：提案 2:1 到达所有人；2:2 只到达 Server1 和 Server3，加上 Server2 自己正好过半，于是提交。"),
    ("lesson.zab-election.step.4", "Leader Server2 宕机。所有人进入 LOOKING，先投自己，再比较选票 (epoch, zxid, myid)。"),
    ("lesson.zab-election.q.4", "谁会成为下一个 Leader？"),
    ("zab.title", "Zab（ZooKeeper）"),
    ("zab.header", "投票者 {v} · 观察者 {o} · 法定人数 {m}"),
    ("zab.sync", "读之前先 sync"),
    ("zab.sync_on", "读之前先 sync：读到的是最新值"),
    ("zab.sync_off", "本地读：落后的 Follower 可能返回旧值"),
    ("zab.variant.faithful", "按 ZooKeeper 实现"),
    ("zab.variant.commit", "错误变体：Leader 未等过半 ACK 就提交"),
    ("zab.variant.myid", "错误变体：选举不比较 zxid（只比 epoch 和 myid）"),
    ("zab.variant.ack", "错误变体：Follower 先 ACK，攒够四条再写磁盘"),
    ("zab.variant.epoch", "错误变体：acceptedEpoch 用过之后才写磁盘"),
    ("legend.newleader", "确认 NEWLEADER 的过半数"),
    ("legend.acks", "ACK 了提案的过半数"),
    ("legend.votes", "选票 (epoch, zxid, myid)"),
    ("err.voters", "投票服务器数量应在 {min} 到 {max} 之间（现在是 {got}）。"),
    ("err.observers", "观察者数量应在 {min} 到 {max} 之间（现在是 {got}）。"),
    ("rule.zab_two_leaders", "同一个 epoch {a} 出现了两个 Leader：{nodes}"),
    ("rule.zab_lost", "已提交的事务丢失了：{nodes} 的历史只到 {a}，而 {b} 已提交"),
    ("rule.zab_agreement", "两台服务器在同一个 zxid 上提交了不同的值：{a} 和 {b}（{nodes}）"),
    ("rule.zab_order", "全序被破坏：{nodes} 提交顺序与其他服务器不一致（{a} / {b}）"),
    ("rule.zab_integrity", "主进程完整性被破坏：旧 epoch 的事务 {a} 在新 Leader 开始提议后才提交"),
    ("rule.zab_primary_order", "主进程顺序被破坏：{nodes} 在 {a} 之后提议了 {b}"),
    ("rule.zab_elected_stale", "{nodes} 把票投给了历史比自己旧的服务器（zxid {a} < {b}）：选举必须比较 zxid"),
    ("rule.zab_epoch", "{nodes} 收回了已确认的 epoch：{a} → {b}"),
    ("lesson.zab-broadcast.what", "集群启动时先进入崩溃恢复：五台服务器都是 LOOKING，先投自己，再改投更好的选票；历史都为空时 myid 最大的 Server5 当选。同步完成后，客户端把写请求发给 Server2，Server2 转发给 Leader；Leader 分配 zxid 1:1，经每个 Follower 各自的 FIFO 队列发出 PROPOSAL，Follower 写盘后回 ACK，过半 ACK 后 Leader 提交并广播 COMMIT。"),
    ("lesson.zab-broadcast.observe", "两轮消息：蓝色的 PROPOSAL/ACK 和橙色的 COMMIT。蓝色环是 ACK 的过半数（含 Leader 自己）。讲义写“过半数 ≥ N/2+1，N 为 Follower 数”；严格说法是全部投票者（含 Leader）的过半，观察者不计入。"),
    ("lesson.zab-follower-recovers.what", "Server2 宕机，剩下四台仍是过半数，写入照常提交。Server2 重启后进入 LOOKING，从其他服务器的回复得知 Server5 是 Leader，重新连接并发送 FOLLOWERINFO，Leader 用 DIFF 把它缺的事务补给它。"),
    ("lesson.zab-follower-recovers.observe", "看 Server2 下面的 last / ✓：重启时只有磁盘上的日志，同步（DIFF +2）后追上 1:2，然后本地读到最新值。"),
    ("lesson.zab-election.what", "先搭好舞台：Server3 领导 epoch 1 后宕机，Server2 领导 epoch 2。然后是讲义的故事：Server2 的提案 2:2 只到达了 Server1 和 Server3，加上 Server2 自己正好过半，于是提交；随后 Server2 宕机。其余服务器变为 LOOKING，先投自己，再比较选票：先比 epoch，再比 zxid，最后比 myid。Server3 的 zxid 最大（与 Server1 相同，但 myid 更大），所有人改投 Server3。"),
    ("lesson.zab-election.observe", "紫色消息是选票 (epoch, zxid, myid)，节点下方显示各自当前的选票。Server3 当选后用 DIFF 把 2:2 同步给其他人：新 Leader 的历史就是权威历史，这正是选举必须比较 zxid 的原因。把实现换成“选举不比较 zxid”：大家改投 myid 最大、却没有已提交 2:2 的服务器，检查器对这样的选票报警；ZooKeeper 的 Leader 随后会发现 Follower 比自己新而拒绝领导。"),
    ("lesson.zab-epochs.what", "Server5 领导 epoch 1，随后被网络分区单独隔开。它收到的写入 1:2、1:3 得不到过半 ACK，无法提交。多数派选出 Server4，新 epoch 比过半数报告的 acceptedEpoch 大 1，即 2，事务编号从 2:1、2:2 开始。分区恢复后 Server5 重新加入，未提交的 1:2、1:3 被 TRUNC 截掉。"),
    ("lesson.zab-epochs.observe", "zxid = epoch<<32 | 计数器，显示为 epoch:计数器。看 Server5 的日志：TRUNC 1:1 之后补上 2:1、2:2。隔离期间发给 Server5 的写请求超时，结果不确定。"),
    ("lesson.zab-observers.what", "三个投票者加两个观察者（菱形）。观察者转发写请求、收到 INFORM 后提交，并在本地回答读请求，但不投票，也不计入过半数。两个投票者宕机后，尽管观察者都在，集群也没有法定人数，写入停止。"),
    ("lesson.zab-observers.observe", "ACK 的蓝色环里从来没有观察者。观察者让读能力扩展，却不让写入变慢。"),
    ("lesson.zab-partition.what", "分区把 Leader Server5 和 Server4 隔在少数派一侧。Leader 收不到过半的心跳回复，放弃领导并进入 LOOKING；少数派拒绝读写。多数派选出 Server3，继续服务。分区恢复后少数派重新同步。"),
    ("lesson.zab-partition.observe", "这就是 CAP 中的 CP：少数派一侧的客户端收到失败，而不是旧数据。"),
    ("lesson.zab-reads.what", "读请求由客户端连接的服务器在本地回答。Leader 到 Server1 的链路变慢，Server1 落后：值 2 已经提交，它仍回答 1。ZooKeeper 的写是线性一致的，读只是顺序一致的。"),
    ("lesson.zab-reads.observe", "打开“读之前先 sync”：Server1 先让 Leader 清空管道，读请求等到链路恢复后才返回，但返回的是 2。历史视图里的线性一致性检查会显示区别。"),
    ("lesson.zab-vs-paxos.what", "相同点：都有一个 Leader 协调多个 Follower；都用 Quorum，等过半数反馈后才提交；Zab 的 epoch 对应 Paxos 的提案编号（Ballot Number）。区别：Paxos 是理论，为单个值达成一致；Zab 是 ZooKeeper 的实践，是支持崩溃恢复的原子广播，按 zxid 顺序提交一连串事务。"),
    ("lesson.zab-vs-paxos.observe", "两个写几乎同时到达：Leader 依次分配 1:1、1:2，流水线式地发出，按 zxid 顺序提交；Paxos 的一个实例只能选定一个值。"),
    ("lesson.zab-custom.what", "五个投票者、一个观察者，客户端随机读写。"),
    ("lesson.zab-custom.observe", "让 Leader 宕机、切断网络、丢弃消息：已提交的事务永远不会丢失，所有服务器按同一顺序提交。"),
];

#[cfg(feature = "zab")]
pub const EN_04: &[(&str, &str)] = &[
    ("lesson.zab-election.step.0", "Setting the stage: Server4 and Server5 are down; Server3 leads epoch 1."),
    ("lesson.zab-election.step.1", "Server3 crashes, Server4 and Server5 come back; Server2 is elected and leads epoch 2."),
    ("lesson.zab-election.step.2", "Server3 restarts and follows Server2."),
    ("lesson.zab-election.step.3", "Clients write through Server2: proposal 2:1 reaches everyone; 2:2 reaches only Server1 and Server3 — with Server2 itself a majority, so it commits."),
    ("lesson.zab-election.step.4", "The leader, Server2, crashes. Everyone is LOOKING: each votes for itself, then compares votes (epoch, zxid, myid)."),
    ("lesson.zab-election.q.4", "Who will lead next?"),
    ("zab.title", "Zab (ZooKeeper)"),
    ("zab.header", "voters {v} · observers {o} · quorum {m}"),
    ("zab.sync", "sync before reads"),
    ("zab.sync_on", "sync before reads: reads are fresh"),
    ("zab.sync_off", "local reads: a lagging follower may answer an old value"),
    ("zab.variant.faithful", "as ZooKeeper does it"),
    ("zab.variant.commit", "BROKEN: leader commits before a quorum ACKs"),
    ("zab.variant.myid", "BROKEN: election skips zxid (epoch, then myid)"),
    ("zab.variant.ack", "BROKEN: follower ACKs at once, writes to disk in batches of four"),
    ("zab.variant.epoch", "BROKEN: acceptedEpoch written to disk after it is used"),
    ("legend.newleader", "quorum that ACKed NEWLEADER"),
    ("legend.acks", "quorum that ACKed the proposal"),
    ("legend.votes", "votes (epoch, zxid, myid)"),
    ("err.voters", "Between {min} and {max} voting servers, please (got {got})."),
    ("err.observers", "Between {min} and {max} observers, please (got {got})."),
    ("rule.zab_two_leaders", "Two leaders established in epoch {a}: {nodes}"),
    ("rule.zab_lost", "A committed transaction was lost: {nodes} has history up to {a}, but {b} was committed"),
    ("rule.zab_agreement", "Two servers committed different values under one zxid: {a} and {b} ({nodes})"),
    ("rule.zab_order", "Total order broken: {nodes} delivered out of the common order ({a} / {b})"),
    ("rule.zab_integrity", "Primary integrity broken: {a} of an older epoch committed after a newer leader began proposing"),
    ("rule.zab_primary_order", "Primary order broken: {nodes} proposed {b} after {a}"),
    ("rule.zab_elected_stale", "{nodes} voted for a server with an older history than its own (zxid {a} < {b}): the election must compare zxids"),
    ("rule.zab_epoch", "{nodes} took back an epoch it had acknowledged: {a} → {b}"),
    ("lesson.zab-broadcast.what", "The cluster starts in crash recovery: all five servers are LOOKING, vote for themselves, then switch to better votes; with empty histories the largest myid, Server5, wins. After the sync, a client sends a write to Server2, which forwards it to the leader. The leader gives it zxid 1:1 and sends a PROPOSAL down each follower's own FIFO queue; followers write it to disk and ACK; with a quorum of ACKs the leader commits and broadcasts COMMIT."),
    ("lesson.zab-broadcast.observe", "Two rounds: blue PROPOSAL/ACK, then orange COMMIT. The blue ring is the quorum of ACKs, the leader included. The lecture says \"a majority, ≥ N/2+1 of the N followers\"; precisely, it is a majority of all voters, the leader included, and observers never count."),
    ("lesson.zab-follower-recovers.what", "Server2 crashes; the remaining four are still a quorum, so writes commit. When Server2 restarts it is LOOKING; the others' answers tell it Server5 leads, so it reconnects, sends FOLLOWERINFO, and the leader sends a DIFF with the transactions it missed."),
    ("lesson.zab-follower-recovers.observe", "Watch last / ✓ under Server2: after the restart it has only its disk; after DIFF +2 it reaches 1:2 and reads locally the newest value."),
    ("lesson.zab-election.what", "First the stage: Server3 led epoch 1 and crashed, Server2 leads epoch 2. Then the lecture's story: Server2's proposal 2:2 reaches only Server1 and Server3 — with Server2 itself a quorum, so it commits — and Server2 crashes. The others go LOOKING, vote for themselves, and compare votes: epoch first, then zxid, then myid. Server3 has the largest zxid (tied with Server1, but a larger myid), and everyone switches to it."),
    ("lesson.zab-election.observe", "Violet messages are votes (epoch, zxid, myid); each server shows its current vote. Server3 wins and DIFFs 2:2 to the others: the new leader's history is authoritative, which is why the election must compare zxids. Switch to \"election skips zxid\": the servers vote for the largest myid, which lacks the committed 2:2, and the checker flags each such vote; ZooKeeper's leader would then find its followers ahead of it and refuse to lead."),
    ("lesson.zab-epochs.what", "Server5 leads epoch 1 and is cut off alone. The writes it takes, 1:2 and 1:3, get no quorum of ACKs and cannot commit. The majority elects Server4; the new epoch is one above the acceptedEpochs a quorum reports, 2, and transactions run 2:1, 2:2. When Server5 rejoins, its uncommitted 1:2 and 1:3 are truncated (TRUNC)."),
    ("lesson.zab-epochs.observe", "zxid = epoch<<32 | counter, shown epoch:counter. Watch Server5's log: TRUNC 1:1, then 2:1 and 2:2. The writes sent to Server5 while it was cut off time out: their outcome is unknown."),
    ("lesson.zab-observers.what", "Three voters and two observers (diamonds). Observers forward writes, commit on INFORM and answer reads locally, but they never vote and never count in a quorum. With two voters down there is no quorum, however many observers are up, and writes stop."),
    ("lesson.zab-observers.observe", "The blue ring of ACKs never contains an observer. Observers scale reads without slowing writes."),
    ("lesson.zab-partition.what", "A partition leaves the leader, Server5, with Server4 on the minority side. The leader no longer hears from a quorum, gives up and goes LOOKING; the minority refuses reads and writes. The majority elects Server3 and goes on. After the heal, the minority is synced."),
    ("lesson.zab-partition.observe", "This is CP in CAP: clients on the minority side get failures, not stale data."),
    ("lesson.zab-reads.what", "A read is answered locally by the server the client talks to. The link from the leader to Server1 slows down and Server1 lags: 2 is committed, yet it answers 1. ZooKeeper's writes are linearizable; its reads only sequentially consistent."),
    ("lesson.zab-reads.observe", "Turn on \"sync before reads\": Server1 first has the leader flush the pipeline; the read waits until the link recovers, and returns 2. The linearizability check in the history view shows the difference."),
    ("lesson.zab-vs-paxos.what", "Alike: a leader coordinates followers; both use quorums and commit after a majority answers; Zab's epoch plays the role of Paxos's proposal (ballot) number. Different: Paxos is theory, agreeing on one value; Zab is ZooKeeper's practice, an atomic broadcast with crash recovery that commits a sequence of transactions in zxid order."),
    ("lesson.zab-vs-paxos.observe", "Two writes arrive almost together: the leader numbers them 1:1 and 1:2, pipelines them, and commits them in zxid order. One Paxos instance chooses a single value."),
    ("lesson.zab-custom.what", "Five voters, one observer, and clients reading and writing at random."),
    ("lesson.zab-custom.observe", "Crash the leader, cut links, drop messages: committed transactions are never lost and every server commits in the same order."),
];

#[cfg(feature = "eventual")]
pub const ZH_FULL: &[(&str, &str)] = &[
    ("import.hint", "选择或拖入一个 Jepsen 历史文件（EDN 映射或 jepsen.util 日志），查看它是否可线性化。"),
    ("import.linear", "{file}：{n} 个操作，可线性化。"),
    ("import.not_linear", "{file}：{n} 个操作，不可线性化。最长可线性化的前缀有 {k} 个操作；第 {line} 行调用的操作无法放入任何合法顺序。"),
    ("import.unknown", "{file}：搜索预算用尽，结果未知。"),
    ("import.unreadable", "无法读取 {file}：{detail}"),
    ("import.bad_line", "第 {line} 行：{what}"),
    ("import.too_large", "文件太大。"),
    ("import.empty", "没有任何操作。"),
    ("keys.zoom", "时空图放大 / 缩小"),
    ("keys.pan", "时空图向前 / 向后平移"),
    ("keys.follow", "时空图跟随当前时刻"),
    ("keys.inspect", "在画布上只选中消息（不丢弃）"),
    ("st.mark", "{what}：{lane} @{t}，Lamport 时间 {l}"),
    ("lesson.paxos-preempt.step.0", "客户端请 P0 提议 5：P0 向各接受者发出 Prepare。"),
    ("lesson.paxos-preempt.step.1", "P0 的 Accept 只到达了 A0，随后 P0 宕机。"),
    ("lesson.paxos-preempt.step.2", "客户端请 P1 提议 9，P1 用更大的编号发 Prepare。"),
    ("lesson.paxos-preempt.q.2", "最终会选定哪个值？"),
    ("lesson.paxos-preempt.q.2.0", "5，P0 的值"),
    ("lesson.paxos-preempt.q.2.1", "9，P1 自己的值"),
    ("lesson.paxos-preempt.q.2.2", "什么都选不定"),
    ("lesson.paxos-duel.step.0", "客户端请 P0 提议 5：P0 发出 Prepare。"),
    ("lesson.paxos-duel.step.1", "100 个 tick 后，P1 用更大的编号开始提议 9。"),
    ("lesson.paxos-duel.q.1", "不打开随机退避，会有值被选定吗？"),
    ("lesson.paxos-duel.q.1.0", "会，很快"),
    ("lesson.paxos-duel.q.1.1", "不会：两个提议者不断互相抢占"),
    ("lesson.paxos-duel.step.2", "每个新的 Prepare 都落在对方的 Prepare 和 Accept 之间，承诺一再作废（活锁）。打开随机退避，再问一次。"),
    // Guided steps of lectures 01 and 02.
    ("lesson.cap-proof.step.0", "只有一台服务器：c0 在 Server1 写 X，c1 在同一台上读，总是新值。"),
    ("lesson.cap-proof.step.1", "两台服务器互相复制：c0 在 Server1 写 X=2，复制到达后 c1 在 Server2 也读到它。"),
    ("lesson.cap-proof.step.2", "网络分区：Server1 和 Server2 之间不再互通。"),
    ("lesson.cap-proof.step.3", "c0 在 Server1 写 X=3，Server2 无从得知。"),
    ("lesson.cap-proof.q.3", "c1 现在在 Server2 读 X。会发生什么？"),
    ("lesson.cap-proof.q.3.0", "读到新值 X=3"),
    ("lesson.cap-proof.q.3.1", "读到旧值 X=2"),
    ("lesson.cap-proof.q.3.2", "没有结果：读失败"),
    ("lesson.cap-proof.step.4", "分区恢复，两台服务器重新一致。切换 AP/CP 再问一次：证明说，任何系统都不能在分区时既给出回答又保证是新值。"),
    ("lesson.ec-causal.step.0", "你（c0）在 Server1 发了一张照片。"),
    ("lesson.ec-causal.step.1", "从这里起，Server2 到 Server3 的链路很慢（消息被挂起）。"),
    ("lesson.ec-causal.step.2", "朋友（c1，Server2）看到照片后评论；你读到评论后回复。评论卡在去 Server3 的路上。"),
    ("lesson.ec-causal.step.3", "Server3 上的读者（c2）读到了回复。"),
    ("lesson.ec-causal.q.3", "读者接着在 Server3 读评论。能看到吗？"),
    ("lesson.ec-causal.q.3.0", "能，看到评论"),
    ("lesson.ec-causal.q.3.1", "不能：看到了回复，却看不到它回复的评论"),
    ("lesson.ec-causal.step.4", "慢链路恢复，评论到达。若是因果一致的投递，Server3 会一直扣住回复，直到评论先到。"),
    // The space-time diagram (in the full build).
    ("st.thinned", "消息太多：每 {k} 条只画 1 条，放大可看全部"),
    ("st.hint", "每个节点和客户端一条横线，时间从左到右；箭头是消息（虚线：还在路上；点线：重复的副本；×：丢失）。数字是 Lamport 逻辑时钟。滚轮或双指缩放，拖动平移；点击箭头或标记，在画布上选中它。"),
    ("st.cut", "分区"),
    ("st.heal", "恢复"),
    ("st.detached", "未跟随当前时刻"),
    ("st.follow", "跟随当前"),
    ("st.zoom_in", "放大"),
    ("st.zoom_out", "缩小"),
    ("st.vectors", "显示向量时钟"),
    ("st.export_svg", "导出时空图（SVG）"),
    ("st.none", "点击时空图中的箭头或标记，查看这个事件。"),
    ("st.msg", "消息 #{id} {name}：{from} → {to}，发出 @{sent}，携带 Lamport 时间 {l}"),
    ("st.delivered", "，@{t} 送达（接收方 Lamport 时间 {l}）"),
    ("st.dropped", "，@{t} 丢失"),
    ("st.in_flight", "，仍在路上"),
    ("st.duplicate", "（网络复制出的副本）"),
    ("st.vector", "向量时钟 [{v}]（依次为各节点、各客户端）"),
    ("paxos.header", "提案者 {p} · 批准者 {a} · 多数派 {m}"),
    ("paxos.backoff_on", "重试前随机退避：开"),
    ("paxos.backoff_off", "重试前随机退避：关"),
    ("paxos.chosen", "已选定的值：{v}"),
    ("paxos.variant.faithful", "按规范实现"),
    ("paxos.variant.forget", "错误变体：批准者重启后忘记 Max_N"),
    ("paxos.variant.reuse", "错误变体：提案者重启后重用编号"),
    ("paxos.title", "提案者 P / 批准者 A"),
    ("paxos.backoff", "随机退避（结束活锁）"),
    ("paxos.variant", "实现"),
    ("legend.promises", "收到 Promise 的多数派"),
    ("legend.accepts", "批准（Accepted）的多数派"),
    ("legend.disk", "■ 已持久化"),
    ("rule.two_values", "选定了两个不同的值：{a} 和 {b}"),
    ("rule.learners", "学习者学到了不同的值：{a} 和 {b}"),
    ("rule.not_proposed", "选定的值 {b} 没有人提出过"),
    ("rule.max_n", "批准者 A{nodes} 的 Max_N 变小了：{a} → {b}"),
    ("rule.above_max_n", "批准者 A{nodes} 接受的编号 {a} 大于 Max_N {b}"),
    ("rule.reused", "提案者重复使用了编号 {a}"),
    ("lesson.paxos-custom.what", "2 个提案者、5 个批准者，客户端随机发起提案和读取。"),
    ("lesson.paxos-custom.observe", "让节点宕机、切断网络、丢弃消息：无论怎样，最多只有一个值被选定。"),
    ("lesson.paxos-happy.what", "客户端请 P0 提出值 5。P0 用编号 N=1 发 Prepare；批准者持久化 Max_N 后回 Promise；P0 收到多数派的 Promise 后发 Accept(1, 5)；多数派 Accepted 后值被选定，P0 广播给所有学习者。"),
    ("lesson.paxos-happy.observe", "每个批准者下面的 Max_N 和 acc（已接受的提案）带有磁盘标记：它们在回复前已持久化。绿色环是 Promise 多数派，蓝色环是 Accepted 多数派。"),
    ("lesson.paxos-minority.what", "5 个批准者。A4 一开始就宕机（值还没选定）：其余 4 个中的多数派照样选定 5。之后 A0、A1 宕机（值已选定），P1 提出 9。"),
    ("lesson.paxos-minority.observe", "P1 收到的 Promise 里带着已接受的 (2,5)，于是它必须提出 5 而不是自己的 9：值一旦选定就不会再改。"),
    ("lesson.paxos-preempt.what", "P0 的 Accept 只到达了 A0（发往 A1、A2 的丢失了），随后 P0 宕机。P1 用更大的编号 3 重新开始。"),
    ("lesson.paxos-preempt.observe", "P1 在 Promise 中发现 A0 接受过 (2,5)，按规则采用编号最大的已接受值 5：更大的编号让别的提案者接手，不会因为一个提案者宕机而卡住。"),
    ("lesson.paxos-duel.what", "两个提案者都“收集一段时间的回复后再统计”，P1 比 P0 晚 100 个时刻开始。每次一方的 Prepare 都恰好落在另一方的 Prepare 和 Accept 之间，互相抢占，永远选不出值。"),
    ("lesson.paxos-duel.observe", "编号不断增大，却没有值被选定。打开“随机退避”：被拒绝的提案者先随机等待一会儿再重试，对称被打破，很快就选定一个值。"),
    ("lesson.paxos-numbers.what", "3 个提案者，提案者 j 第 i 次提案的编号是 3·i + j（课程中 5 个提案者时是 5·i + j），i 从 1 开始。"),
    ("lesson.paxos-numbers.observe", "每条消息上的编号都写成 3·i+j 的形式：不同提案者的编号来自互不相交的集合，永远不会重复；i 持久化在磁盘上，重启也不会重用。"),
    ("lesson.paxos-forget.what", "这里故意使用错误的实现：批准者重启后忘记 Max_N。A1 向 P1 承诺了 N=3，之后 P1 用 {A1,A2} 选定了 9；A1 重启，忘记了承诺，接受了 P0 更早的 Accept(2,5)，于是 {A0,A1} 又选定了 5。"),
    ("lesson.paxos-forget.observe", "不变式检查器在画布上标红：先是 A1 的 Max_N 变小，然后是“选定了两个不同的值”。把实现切回“按规范实现”再看：A1 重启后仍记得 Max_N=3，拒绝了旧的 Accept。"),
    ("lesson.ec-strong.what", "N=3、W=2、R=2 的 Quorum 寄存器。写入 1 时协调者 n0 发出的存储消息丢失，只有 n0 存下新值，随后 n0 宕机。"),
    ("lesson.ec-strong.observe", "客户端 1 读到新值 1，之后客户端 2 读到旧值：线性一致性检查器标出这次读。强一致性要求每次读都看到最近完成的写，且后读不比先读旧。打开“读后写回（ABD）”：检查器在任意种子下都保持绿色。"),
    ("lesson.cap-proof.what", "按讲义的证明：先只用 Server1，客户端 A（c0）写 X，客户端 1（c1）读 X，总能读到新值。再让两台服务器互相复制：c1 从 Server2 也读到新值。然后网络分区把两台服务器隔开，c0 在 Server1 写 X=3，c1 在 Server2 读 X。"),
    ("lesson.cap-proof.observe", "AP（默认）：分区期间两个请求都立刻得到回答，但 c1 读到旧值 2——线性一致性检查器标出这次读。把“分区时”切到 CP：系统宁可让写和读失败，也不返回旧值，检查器保持绿色，可用性下降。分区愈合后，AP 的两台服务器靠反熵重新一致。这正是证明的结论：分区时 C 与 A 只能选一个。"),
    ("lesson.cap-sla.what", "两台服务器承受持续的随机读写，第 3000 到 6000 刻之间网络分区。检查面板统计得到回答的请求比例，换算成“几个 9”和每 30 天相当的停机时间。"),
    ("lesson.cap-sla.observe", "AP 模式下每个请求都被回答（100%）；切到 CP，分区期间的请求失败，可用性下降。计算器复现讲义的例子：月度可用性 99.95% ⇒ 30 天内最多停机 21.6 分钟。"),
    ("lesson.ec-weak.what", "三台服务器，关闭反熵。两次写推送到 Server3 的复制消息都丢了，之后没有任何机制修复。客户端 2 一直从 Server3 读 X。"),
    ("lesson.ec-weak.observe", "客户端 2 的每次读都返回旧值 ∅，不管过了多久：弱一致性不承诺何时能读到新值。Server3 上两次写的不一致窗口永远不关闭。打开“反熵”再看：丢失的写被 gossip 补上，这就成了最终一致性。"),
    ("lesson.ec-window.what", "异步复制加反熵：副本接受写后立即回答客户端，再推送给其他副本；副本每隔一段时间与随机一个同伴交换版本向量（推拉式 gossip），补齐缺失的写。冲突按 (Lamport 时钟, 节点号) 取最后写入者。每个副本应用一条收到的写要 60 刻，负载高时要排队。"),
    ("lesson.ec-window.observe", "检查面板给出不一致窗口：从写被接受，到所有存活副本都持有它（或覆盖它的更新的写）为止；以及一次写本身传遍所有副本的平均时间。讲义说窗口取决于网络延迟、系统负载和副本数：拖动滑块，或按“测量”画出窗口随每个因素的变化。"),
    ("lesson.ec-causal.what", "讲义的例子：你（c0，在 Server1）发了一张照片，朋友（c1，在 Server2）看到后评论，你看到评论后回复。评论从 Server2 到 Server3 的链路很慢（被挂起）。读者（c2，在 Server3）先读回复，再读评论。"),
    ("lesson.ec-causal.observe", "最终一致的投递下，Server3 先收到回复：读者看到了回复，却看不到它回答的评论——因果检查器标出这两个操作。把“投递”切到因果：每条写带着来源副本的版本向量，Server3 暂缓应用回复（节点上显示 held 1），直到评论到达，任何副本都不会只有回复没有评论。"),
    ("lesson.ec-session.what", "客户端 0 在 Server1 写 X=1，随后到 Server2 读 X；Server1 到 Server2 的复制消息被挂起。"),
    ("lesson.ec-session.observe", "没有会话保证时，客户端 0 读不到自己刚写的值，会话检查器报告“读己之写”被违反。选“粘性会话”：请求总由客户端的主副本处理；选“会话令牌”：请求带上客户端见过的最新版本，Server2 先向其他副本拉取，拿到后才回答。两种方式都保证读己之写。"),
    ("lesson.ec-custom.what", "四个副本，客户端随机读写 X，网络延迟 30–150 刻。"),
    ("lesson.ec-custom.observe", "切换投递方式和会话保证，切断链路、宕机副本，观察各检查器和不一致窗口。"),
    ("lesson.ec-base.what", "讲义的例子：双十一秒杀。一个服务每处理一个请求要 60 刻；平时请求很少，第 300 刻八个客户端各自一口气下十单，客户端等 400 刻没有回应就放弃（超时），接着下一单。"),
    ("lesson.ec-base.observe", "默认队列不设上限：客户端放弃了的请求仍在排队、仍要占用 60 刻，后来的请求全都等不到——系统虽然一直在忙，却几乎没有人得到服务（崩溃）。把队列换成“最多排 3 个，满了立即拒绝”：多出来的请求马上被礼貌地拒绝（提示限流），排上队的都在时限内得到服务，只是比平时慢——这就是基本可用：响应时间变长、部分功能降级，但核心服务不倒。"),
    ("lesson.cap-registry.what", "讲义的对比：同样五台服务器、同样的网络、同样的客户端注册服务实例（写）和查询（读），同一时刻发生同一次分区（Server4、Server5 与其余三台隔开）。上面是类似 ZooKeeper 的注册中心（Zab，CP），下面是类似 Eureka 的注册中心（节点平等，异步复制，AP）。"),
    ("lesson.cap-registry.observe", "分区期间，ZooKeeper 少数派一侧（含原 Leader）不再服务，多数派选出新 Leader 前也暂停写入：一部分请求失败，但没有读到过期的注册信息。Eureka 的每个节点都照常回答，可用性 100%，但分区另一侧查到的是旧信息——检查器说它不是线性一致的。准确地说：ZooKeeper 的写是线性一致的，它的本地读只保证顺序一致。"),
    ("compare.title", "ZooKeeper（CP）与 Eureka（AP）"),
    ("compare.main", "ZooKeeper 式注册中心：Zab，CP"),
    ("compare.twin", "Eureka 式注册中心：节点平等、异步复制，AP"),
    ("compare.available", "可用性（及时回答）"),
    ("compare.stale", "过期读"),
    ("compare.linear", "线性一致性"),
    ("compare.linear_yes", "是"),
    ("compare.linear_no", "否"),
    ("compare.linear_unknown", "未知（超出预算）"),
    ("compare.note", "ZooKeeper 的写是线性一致的，本地读只保证顺序一致（读可能落后，sync 后再读才是最新）；Eureka 只保证最终一致。"),
    ("base.title", "基本可用：秒杀"),
    ("base.queue", "服务的队列"),
    ("base.unbounded", "不设上限（全部排队）"),
    ("base.bounded", "最多排 3 个，满则拒绝（限流）"),
    ("base.counts", "已结束的请求：{ok} 个得到服务，{refused} 个被拒绝，{late} 个超时；得到服务的平均等待 {mean} 刻，最长 {max} 刻"),
    ("base.chart", "每个请求的等待（纵轴）对发出时刻（横轴）：蓝＝得到服务，灰＝被拒绝，红＝超时"),
    ("window.title", "不一致窗口的三个因素"),
    ("window.latency", "网络延迟（刻）"),
    ("window.load", "负载（持续写的客户端数）"),
    ("window.replicas", "副本数"),
    ("window.measure", "测量：每个因素取五个值各运行一次"),
    ("window.legend", "橙色实线：平均不一致窗口；蓝色虚线：一次写传遍所有副本的平均时间（刻）。"),
    ("ev.title", "最终一致的存储"),
    ("ev.header", "{n} 个副本，各自接受读写"),
    ("ev.delivery", "投递"),
    ("ev.delivery.eventual", "最终一致（到达即应用）"),
    ("ev.delivery.causal", "因果（等依赖到齐）"),
    ("ev.session", "会话"),
    ("ev.session.none", "无保证"),
    ("ev.session.sticky", "粘性会话"),
    ("ev.session.token", "会话令牌"),
    ("ev.replicate", "写入后立即推送给其他副本"),
    ("ev.gossip", "反熵（gossip 交换版本向量）"),
    ("ev.gossip_on", "反熵开"),
    ("ev.gossip_off", "反熵关"),
    ("cap.title", "CAP：CP 还是 AP"),
    ("cap.mode", "分区时"),
    ("cap.ap", "AP：继续回答（可能是旧值）"),
    ("cap.cp", "CP：拒绝，保持一致"),
    ("cap.ap_note", "每台服务器独立回答，异步复制；分区愈合后靠反熵重新一致。"),
    ("cap.cp_note", "读和写都要过半数服务器回答（第 03 讲的 Quorum，两台时 W=R=2，读后写回），因此线性一致，分区时只能失败。"),
    ("sla.input", "可用性（%）"),
    ("sla.result", "{n} 个 9：30 天内最多停机 {m} 分钟"),
    ("sla.bad", "请输入 0 到 100 之间、最多四位小数的百分比"),
    ("check.avail", "可用性：{all} 个请求中 {ok} 个得到回答（{p}%，{n} 个 9，相当于每 30 天停机 {m} 分钟）"),
    ("check.causal_ok", "因果一致：没有读漏掉它因果上之前的写"),
    ("check.causal_bad", "违反因果一致：{read} 漏掉了它因果上之前的 {missed}"),
    ("check.window", "不一致窗口：平均 {mean} 刻，最长 {max} 刻，{open} 个未关闭；一次写传遍所有副本平均 {spread} 刻"),
    ("legend.updates", "复制与反熵"),
    ("legend.gossip", "版本向量摘要"),
    ("rule.causal_gap", "{nodes} 在依赖到齐之前应用了写（缺 {b} 条）"),
];

#[cfg(feature = "eventual")]
pub const EN_FULL: &[(&str, &str)] = &[
    ("import.hint", "Choose or drop a Jepsen history file (EDN maps or jepsen.util log lines) to see whether it is linearizable."),
    ("import.linear", "{file}: {n} operations, linearizable."),
    ("import.not_linear", "{file}: {n} operations, not linearizable. The longest linearizable prefix has {k} operations; the operation invoked on line {line} fits in no legal order."),
    ("import.unknown", "{file}: the search budget ran out, verdict unknown."),
    ("import.unreadable", "Cannot read {file}: {detail}"),
    ("import.bad_line", "line {line}: {what}"),
    ("import.too_large", "the file is too large."),
    ("import.empty", "it has no operations."),
    ("keys.zoom", "Zoom the diagram in / out"),
    ("keys.pan", "Pan the diagram back / forward"),
    ("keys.follow", "Diagram follows the present"),
    ("keys.inspect", "Select a message on the canvas without dropping it"),
    ("st.mark", "{what}: {lane} @{t}, Lamport time {l}"),
    ("lesson.paxos-preempt.step.0", "A client asks P0 to propose 5: P0 sends Prepare to the acceptors."),
    ("lesson.paxos-preempt.step.1", "P0's Accept reaches only A0; then P0 crashes."),
    ("lesson.paxos-preempt.step.2", "A client asks P1 to propose 9, and P1 prepares with a higher number."),
    ("lesson.paxos-preempt.q.2", "Which value will be chosen?"),
    ("lesson.paxos-preempt.q.2.0", "5, P0's value"),
    ("lesson.paxos-preempt.q.2.1", "9, P1's own"),
    ("lesson.paxos-preempt.q.2.2", "None"),
    ("lesson.paxos-duel.step.0", "A client asks P0 to propose 5: P0 sends Prepare."),
    ("lesson.paxos-duel.step.1", "100 ticks later P1 starts proposing 9, with a higher number."),
    ("lesson.paxos-duel.q.1", "Without random back-off, will a value be chosen?"),
    ("lesson.paxos-duel.q.1.0", "Yes, soon"),
    ("lesson.paxos-duel.q.1.1", "No: the proposers keep preempting each other"),
    ("lesson.paxos-duel.step.2", "Each new Prepare lands between the other's Prepare and Accept, so promises are broken again and again (a livelock). Turn on randomized back-off and ask again."),
    // Guided steps of lectures 01 and 02.
    ("lesson.cap-proof.step.0", "One server: c0 writes X on Server1 and c1 reads it there — always the new value."),
    ("lesson.cap-proof.step.1", "Two servers replicating: c0 writes X=2 on Server1; once it has arrived, c1 reads it on Server2 too."),
    ("lesson.cap-proof.step.2", "The partition: Server1 and Server2 can no longer talk."),
    ("lesson.cap-proof.step.3", "c0 writes X=3 on Server1. Server2 cannot hear of it."),
    ("lesson.cap-proof.q.3", "c1 now reads X on Server2. What happens?"),
    ("lesson.cap-proof.q.3.0", "It reads the new X=3"),
    ("lesson.cap-proof.q.3.1", "It reads the old X=2"),
    ("lesson.cap-proof.q.3.2", "No answer: the read fails"),
    ("lesson.cap-proof.step.4", "The partition heals and the servers agree again. Switch between AP and CP and ask again: the proof says no system can answer during a partition and also be sure the answer is new."),
    ("lesson.ec-causal.step.0", "You (c0) post a photo on Server1."),
    ("lesson.ec-causal.step.1", "From here on, the link from Server2 to Server3 is slow (its messages are held)."),
    ("lesson.ec-causal.step.2", "Your friend (c1, on Server2) sees the photo and comments; you read the comment and reply. The comment is stuck on its way to Server3."),
    ("lesson.ec-causal.step.3", "The reader on Server3 (c2) reads the reply."),
    ("lesson.ec-causal.q.3", "Next the reader reads the comment on Server3. Will it see it?"),
    ("lesson.ec-causal.q.3.0", "Yes, the comment"),
    ("lesson.ec-causal.q.3.1", "No: a reply to a comment it cannot see"),
    ("lesson.ec-causal.step.4", "The slow link heals and the comment arrives. With causal delivery, Server3 would have held the reply back until the comment came first."),
    // The space-time diagram (in the full build).
    ("st.thinned", "1 in {k} messages drawn: zoom in to see them all"),
    ("st.hint", "One line per node and client, time running left to right; arrows are messages (dashed: still travelling; dotted: a duplicate copy; ×: lost). Numbers are Lamport logical clocks. Wheel or pinch to zoom, drag to pan; click an arrow or a mark to select it on the canvas too."),
    ("st.cut", "partition"),
    ("st.heal", "heal"),
    ("st.detached", "not following the present"),
    ("st.follow", "Follow"),
    ("st.zoom_in", "Zoom in"),
    ("st.zoom_out", "Zoom out"),
    ("st.vectors", "Show vector clocks"),
    ("st.export_svg", "Export diagram (SVG)"),
    ("st.none", "Click an arrow or a mark in the diagram to look at that event."),
    ("st.msg", "Message #{id} {name}: {from} → {to}, sent @{sent}, carrying Lamport time {l}"),
    ("st.delivered", ", delivered @{t} (receiver's Lamport time {l})"),
    ("st.dropped", ", lost @{t}"),
    ("st.in_flight", ", still travelling"),
    ("st.duplicate", " (a copy the network made)"),
    ("st.vector", "Vector clock [{v}] (nodes, then clients)"),
    ("paxos.header", "Proposers {p} · acceptors {a} · majority {m}"),
    ("paxos.backoff_on", "Random back-off before a retry: on"),
    ("paxos.backoff_off", "Random back-off before a retry: off"),
    ("paxos.chosen", "Chosen value: {v}"),
    ("paxos.variant.faithful", "As specified"),
    ("paxos.variant.forget", "BROKEN variant: acceptors forget Max_N on restart"),
    ("paxos.variant.reuse", "BROKEN variant: proposers reuse numbers after a restart"),
    ("paxos.title", "Proposers P / acceptors A"),
    ("paxos.backoff", "Randomized back-off (ends livelock)"),
    ("paxos.variant", "Implementation"),
    ("legend.promises", "majority that promised"),
    ("legend.accepts", "majority that accepted"),
    ("legend.disk", "■ persisted"),
    ("rule.two_values", "Two different values chosen: {a} and {b}"),
    ("rule.learners", "Learners learned different values: {a} and {b}"),
    ("rule.not_proposed", "Value {b} was chosen but nobody proposed it"),
    ("rule.max_n", "Acceptor A{nodes}'s Max_N went down: {a} → {b}"),
    ("rule.above_max_n", "Acceptor A{nodes} accepted number {a} above its Max_N {b}"),
    ("rule.reused", "A proposer used number {a} twice"),
    ("lesson.paxos-custom.what", "Two proposers, five acceptors, and clients proposing values and reading at random."),
    ("lesson.paxos-custom.observe", "Crash nodes, cut links, drop messages: whatever you do, at most one value is ever chosen."),
    ("lesson.paxos-happy.what", "A client asks P0 to propose 5. P0 sends Prepare with number N=1; each acceptor persists Max_N, then answers Promise; with a majority of promises P0 sends Accept(1, 5); once a majority answered Accepted, the value is chosen and P0 announces it to every learner."),
    ("lesson.paxos-happy.observe", "Under each acceptor, Max_N and acc (the accepted proposal) carry a disk mark: they are persisted before the reply leaves. The green ring is the majority that promised, the blue ring the majority that accepted."),
    ("lesson.paxos-minority.what", "Five acceptors. A4 is down from the start (nothing chosen yet): a majority of the other four still chooses 5. Later A0 and A1 crash (the value is chosen) and P1 proposes 9."),
    ("lesson.paxos-minority.observe", "P1's promises carry the accepted (2,5), so it must propose 5, not its own 9: once chosen, a value never changes."),
    ("lesson.paxos-preempt.what", "P0's Accept reaches only A0 (the ones to A1 and A2 are lost), then P0 crashes. P1 starts over with the higher number 3."),
    ("lesson.paxos-preempt.observe", "Among the promises P1 finds that A0 accepted (2,5), and by the rule it adopts the highest-numbered accepted value, 5. A higher number lets another proposer take over, so one crashed proposer cannot block everyone."),
    ("lesson.paxos-duel.what", "Both proposers collect replies for a while before counting them, and P1 starts 100 ticks after P0. Each Prepare lands between the other's Prepare and its Accept: they preempt each other forever and nothing is chosen."),
    ("lesson.paxos-duel.observe", "The numbers keep growing, yet no value is chosen. Turn on randomized back-off: a rejected proposer waits a random while before retrying, the symmetry breaks, and a value is chosen soon."),
    ("lesson.paxos-numbers.what", "Three proposers: proposer j's i-th number is 3·i + j (the lecture's 5·i + j for five proposers), with i starting at 1."),
    ("lesson.paxos-numbers.observe", "Every message shows its number as 3·i+j: proposers draw from disjoint sets, so numbers never collide, and i is persisted so a restart never reuses one."),
    ("lesson.paxos-forget.what", "This run uses a deliberately broken implementation: acceptors forget Max_N when they restart. A1 promised N=3 to P1, and P1 then chose 9 with {A1,A2}. A1 restarts, forgets its promise and accepts P0's older Accept(2,5), so {A0,A1} choose 5 as well."),
    ("lesson.paxos-forget.observe", "The invariant checker marks it on the canvas: first A1's Max_N goes down, then two different values are chosen. Switch the implementation back to \"As specified\": A1 still remembers Max_N=3 after its restart and rejects the old Accept."),
    ("lesson.ec-strong.what", "A Quorum register with N=3, W=2, R=2. While 1 is written, the store messages from the coordinator n0 are lost, so only n0 holds the new value; then n0 crashes."),
    ("lesson.ec-strong.observe", "Client 1 reads the new value 1; later client 2 reads the old one, and the linearizability checker flags that read. Strong consistency means every read sees the last completed write and a later read is never older than an earlier one. Turn on read write-back (ABD): the checker stays green on every seed."),
    ("lesson.cap-proof.what", "The lecture's proof: first only Server1 — Client A (c0) writes X, Client 1 (c1) reads X and always gets the new value. Then the two servers replicate to each other: c1 reads the new value from Server2 too. Then a partition separates them: c0 writes X=3 on Server1 and c1 reads X on Server2."),
    ("lesson.cap-proof.observe", "AP (the default): during the partition both requests are answered at once, but c1 reads the old value 2 — the linearizability checker flags that read. Switch \"under a partition\" to CP: the system lets the write and the read fail rather than return an old value; the checker stays green and availability drops. After the heal the AP servers agree again through anti-entropy. That is the proof's conclusion: under a partition, choose C or A."),
    ("lesson.cap-sla.what", "Two servers under a steady random workload, split from tick 3000 to 6000. The checks panel counts the share of requests answered and turns it into nines and the downtime it means per 30 days."),
    ("lesson.cap-sla.observe", "In AP mode every request is answered (100%); switch to CP and the requests during the partition fail, so availability drops. The calculator reproduces the lecture's example: 99.95% a month ⇒ at most 21.6 minutes of downtime in 30 days."),
    ("lesson.ec-weak.what", "Three servers, anti-entropy off. Both writes' replication messages to Server3 are lost, and nothing ever repairs them. Client 2 keeps reading X from Server3."),
    ("lesson.ec-weak.observe", "Every read by client 2 returns the old value ∅, however long after: weak consistency promises nothing about when a read sees a write. The windows of both writes on Server3 never close. Turn anti-entropy on: gossip repairs the lost writes, and it becomes eventual consistency."),
    ("lesson.ec-window.what", "Asynchronous replication plus anti-entropy: a replica answers the client as soon as it accepts a write, then pushes it to the others; every so often each replica swaps version vectors with a random peer (push-pull gossip) and fills in missing writes. Conflicts go to the last writer by (Lamport clock, node id). Applying a received write takes a replica 60 ticks, so under load they queue."),
    ("lesson.ec-window.observe", "The checks panel gives the inconsistency window — from a write being accepted until every live replica holds it (or a newer write that supersedes it) — and how long a write itself takes to reach every replica. The lecture says the window depends on network latency, load and the number of replicas: move the sliders, or press Measure to chart the window against each factor."),
    ("lesson.ec-causal.what", "The lecture's example: you (c0, on Server1) post a photo; a friend (c1, on Server2) sees it and comments; you see the comment and reply. The link carrying the comment from Server2 to Server3 is slow (held). A reader (c2, on Server3) reads the reply, then the comment."),
    ("lesson.ec-causal.observe", "With eventual delivery Server3 gets the reply first: the reader sees the reply but not the comment it answers — the causal checker flags the two operations. Switch delivery to causal: every write carries its origin's version vector, and Server3 holds the reply back (\"held 1\" on the node) until the comment arrives, so no replica ever shows the reply without the comment."),
    ("lesson.ec-session.what", "Client 0 writes X=1 on Server1, then reads X on Server2; the replication from Server1 to Server2 is held."),
    ("lesson.ec-session.observe", "Without a session guarantee client 0 does not see its own write, and the session checker reports read-your-writes broken. Choose sticky sessions: requests always go to the client's home replica. Choose a session token: requests carry the newest version the client has seen, and Server2 pulls from its peers and answers only once it has it. Either way the client reads its writes."),
    ("lesson.ec-custom.what", "Four replicas, clients reading and writing X at random, links of 30–150 ticks."),
    ("lesson.ec-custom.observe", "Switch delivery and sessions, cut links, crash replicas, and watch the checkers and the inconsistency window."),
    ("lesson.ec-base.what", "The lecture's example: a Double-Eleven flash sale. One service needs 60 ticks per request; it is quiet until tick 300, when eight clients each place ten orders at once. A client that hears nothing within 400 ticks gives up (times out) and places its next order."),
    ("lesson.ec-base.observe", "By default the queue has no limit: requests whose clients gave up still wait and still take 60 ticks each, so nobody after them is served in time — the service is busy all along, yet almost no one gets served (a collapse). Switch the queue to \"at most 3 waiting, refuse the rest at once\": the excess is politely refused straight away (rate limiting), and every request that queues is served in time, only slower than usual. That is basically available: longer responses and some requests turned away, but the core service stays up."),
    ("lesson.cap-registry.what", "The lecture's comparison: the same five servers, the same network, the same clients registering service instances (writes) and looking them up (reads), and the same partition at the same moment (Server4 and Server5 cut off from the other three). Above, a ZooKeeper-like registry (Zab, CP); below, a Eureka-like one (equal peers replicating asynchronously, AP)."),
    ("lesson.cap-registry.observe", "During the partition ZooKeeper's minority side (with the old leader) stops serving, and writes pause until the majority elects a new leader: some requests fail, but no lookup returns a stale registration. Every Eureka node keeps answering — 100% available — but the other side of the partition gets old entries, and the checker says it is not linearizable. Precisely: ZooKeeper's writes are linearizable, its local reads only sequentially consistent."),
    ("compare.title", "ZooKeeper (CP) and Eureka (AP)"),
    ("compare.main", "ZooKeeper-like registry: Zab, CP"),
    ("compare.twin", "Eureka-like registry: equal peers, asynchronous replication, AP"),
    ("compare.available", "Available (answered in time)"),
    ("compare.stale", "Stale reads"),
    ("compare.linear", "Linearizable"),
    ("compare.linear_yes", "yes"),
    ("compare.linear_no", "no"),
    ("compare.linear_unknown", "unknown (over budget)"),
    ("compare.note", "ZooKeeper's writes are linearizable; its local reads are only sequentially consistent (a read may lag; sync first to read the latest). Eureka promises only eventual consistency."),
    ("base.title", "Basically available: a flash sale"),
    ("base.queue", "The service's queue"),
    ("base.unbounded", "no limit: everyone waits"),
    ("base.bounded", "at most 3 waiting, then refuse"),
    ("base.counts", "Requests ended: {ok} served, {refused} refused, {late} timed out; served ones waited {mean} ticks on average, {max} at most"),
    ("base.chart", "Each request's wait (up) against when it was sent (across): blue served, grey refused, red timed out"),
    ("window.title", "The window's three factors"),
    ("window.latency", "Network latency (ticks)"),
    ("window.load", "Load (clients writing)"),
    ("window.replicas", "Replicas"),
    ("window.measure", "Measure: run five settings of each factor"),
    ("window.legend", "Orange, solid: the mean inconsistency window; blue, dashed: the mean time for a write to reach every replica (ticks)."),
    ("ev.title", "Eventually consistent store"),
    ("ev.header", "{n} replicas, each accepting reads and writes"),
    ("ev.delivery", "Delivery"),
    ("ev.delivery.eventual", "eventual (apply on arrival)"),
    ("ev.delivery.causal", "causal (wait for dependencies)"),
    ("ev.session", "Session"),
    ("ev.session.none", "no guarantee"),
    ("ev.session.sticky", "sticky sessions"),
    ("ev.session.token", "session token"),
    ("ev.replicate", "push each write to the other replicas"),
    ("ev.gossip", "anti-entropy (gossip version vectors)"),
    ("ev.gossip_on", "anti-entropy on"),
    ("ev.gossip_off", "anti-entropy off"),
    ("cap.title", "CAP: CP or AP"),
    ("cap.mode", "Under a partition"),
    ("cap.ap", "AP: keep answering (maybe stale)"),
    ("cap.cp", "CP: refuse, stay consistent"),
    ("cap.ap_note", "Each server answers on its own and replicates asynchronously; after the heal, anti-entropy brings them back together."),
    ("cap.cp_note", "Reads and writes need a majority of the servers (lecture 03's Quorum: with two servers W=R=2, reads write back), so it is linearizable — and under a partition it can only fail."),
    ("sla.input", "Availability (%)"),
    ("sla.result", "{n} nines: at most {m} minutes of downtime in 30 days"),
    ("sla.bad", "Enter a percentage between 0 and 100 with at most four decimals"),
    ("check.avail", "Availability: {ok} of {all} requests answered ({p}%, {n} nines, {m} minutes of downtime per 30 days)"),
    ("check.causal_ok", "Causal: no read missed a write in its causal past"),
    ("check.causal_bad", "Causal violation: {read} missed {missed}, which is in its causal past"),
    ("check.window", "Inconsistency window: mean {mean}, longest {max} ticks, {open} still open; a write reaches every replica in {spread} ticks on average"),
    ("legend.updates", "replication and anti-entropy"),
    ("legend.gossip", "version-vector digests"),
    ("rule.causal_gap", "{nodes} applied a write before its dependencies ({b} missing)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_key_and_no_empty_string() {
        fn keys(c: &'static [(&'static str, &'static str)]) -> Vec<&'static str> {
            let mut k: Vec<&str> = c.iter().map(|(k, _)| *k).collect();
            k.sort_unstable();
            k
        }
        assert_eq!(keys(ZH), keys(EN), "the catalogs differ in keys");
        #[cfg(feature = "zab")]
        assert_eq!(keys(ZH_04), keys(EN_04), "the lecture 04 catalogs differ in keys");
        #[cfg(feature = "eventual")]
        assert_eq!(keys(ZH_FULL), keys(EN_FULL), "the full build's catalogs differ in keys");
        let mut dedup = keys(EN);
        dedup.dedup();
        assert_eq!(dedup.len(), EN.len(), "a key is listed twice");
        for (k, v) in ZH.iter().chain(EN) {
            assert!(!v.is_empty(), "{k} is empty");
        }
    }

    #[test]
    fn every_lesson_has_narration_in_both_languages() {
        for id in qcore::lessons::LESSONS {
            let parts: &[&str] = if qcore::lessons::available(id) {
                &["title", "what", "observe"]
            } else {
                &["title"]
            };
            for part in parts {
                let key = format!("lesson.{id}.{part}");
                assert!(!Lang::Zh.t(&key).is_empty(), "missing {key} in zh");
                assert!(!Lang::En.t(&key).is_empty(), "missing {key} in en");
            }
        }
    }

    #[test]
    fn every_guided_step_and_question_is_written_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let has = |k: &str| {
                [lang.catalog(), lang.more(), lang.more_full()]
                    .iter()
                    .any(|c| c.iter().any(|(x, v)| *x == k && !v.is_empty()))
            };
            for id in qcore::lessons::LESSONS.iter().filter(|id| qcore::lessons::available(id)) {
                for (k, st) in qcore::lessons::guide::steps(id).iter().enumerate() {
                    let mut keys = vec![format!("lesson.{id}.step.{k}")];
                    if let Some(q) = st.question {
                        keys.push(format!("lesson.{id}.q.{k}"));
                        if !q.nodes {
                            keys.extend((0..q.choices).map(|c| format!("lesson.{id}.q.{k}.{c}")));
                        }
                    }
                    for key in keys {
                        assert!(has(&key), "missing {key} in {}", lang.code());
                    }
                }
            }
        }
    }
}
