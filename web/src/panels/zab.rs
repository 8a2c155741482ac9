//! Lecture 04's Zab: voters and observers, `sync` before reads, and the
//! deliberately broken variants.

use qcore::zab::Variant;
use qcore::{ProtocolConfig, Scenario};
use yew::prelude::*;

use super::{rendered, select_value, use_app};

#[derive(Properties, PartialEq)]
pub struct ZabProps {
    pub lesson: AttrValue,
    pub voters: u32,
    pub observers: u32,
    pub sync_reads: bool,
    pub variant: Variant,
}

#[function_component(ZabPanel)]
pub fn zab_panel(p: &ZabProps) -> Html {
    rendered("zab");
    let app = use_app();
    let t = |k: &str| app.t(k);
    let on_sync_reads = app.switch(&p.lesson, |s, on| {
        if let ProtocolConfig::Zab(z) = &mut s.protocol {
            z.sync_reads = on;
        }
    });
    let on_variant = {
        let rescript = app.rescript(&p.lesson);
        Callback::from(move |e: Event| {
            let v = match select_value(&e).as_str() {
                "commit" => Variant::CommitBeforeQuorum,
                "myid" => Variant::ElectionIgnoresZxid,
                "ack" => Variant::AckBeforePersist,
                "epoch" => Variant::EpochPersistLate,
                _ => Variant::Faithful,
            };
            rescript(&move |s: &mut Scenario| {
                if let ProtocolConfig::Zab(z) = &mut s.protocol {
                    z.variant = v;
                }
            });
        })
    };
    let opt = |value: &'static str, v: Variant| {
        html! { <option value={value} selected={p.variant == v}>{ t(crate::i18n::zab_variant_key(v)) }</option> }
    };
    let header = [
        ("v", p.voters.to_string()),
        ("o", p.observers.to_string()),
        ("m", (p.voters / 2 + 1).to_string()),
    ];
    html! {
        <div class="panel zab">
            <h2>{ t("zab.title") }</h2>
            <p class="muted">{ app.lang.fmt("zab.header", &header) }</p>
            <label class="check">
                <input id="sync-reads" type="checkbox" checked={p.sync_reads} onchange={on_sync_reads} />
                { t("zab.sync") }
            </label>
            <label class="variant">{ t("paxos.variant") }
                <select id="zab-variant" onchange={on_variant}
                    class={classes!((p.variant != Variant::Faithful).then_some("broken"))}>
                    { opt("faithful", Variant::Faithful) }
                    { opt("commit", Variant::CommitBeforeQuorum) }
                    { opt("myid", Variant::ElectionIgnoresZxid) }
                    { opt("ack", Variant::AckBeforePersist) }
                    { opt("epoch", Variant::EpochPersistLate) }
                </select>
            </label>
        </div>
    }
}
