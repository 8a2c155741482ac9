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
        if nav.unwrap_or_default().to_lowercase().starts_with("zh") {
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

    /// The string for `key`. A missing key yields `"⟦key⟧"`-free empty text
    /// and is remembered, so the browser tests can fail on it.
    #[must_use]
    pub fn t(self, key: &str) -> &'static str {
        match self.catalog().iter().find(|(k, _)| *k == key) {
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
        };
        self.fmt("err.link", &[("detail", detail)])
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
            for part in ["title", "what", "observe"] {
                let key = format!("lesson.{id}.{part}");
                assert!(!Lang::Zh.t(&key).is_empty(), "missing {key} in zh");
                assert!(!Lang::En.t(&key).is_empty(), "missing {key} in en");
            }
        }
    }
}
