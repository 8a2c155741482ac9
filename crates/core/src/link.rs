//! Share links, format v2 (v1 still read).
//!
//! A run is shared as a URL fragment: `#s=v2.<payload>` where the payload is
//! the scenario (including every user action) encoded with postcard,
//! compressed with raw DEFLATE and written in unpadded base64url. View
//! options that do not change the run travel as separate parameters:
//! `lang=zh|en`, `embed=1`, `autoplay=1`, `t=<tick>`, `step=<k>` (a guided lesson's step),
//! `controls=hidden|locked`,
//! and `lesson=<id>` to open a built-in lesson instead of a scenario.
//!
//! Caps, checked before the work they protect: fragment ≤ 16 KiB (before
//! decoding), inflated payload ≤ 64 KiB (the inflater stops there), then the
//! scenario's own limits (≤ 2 000 actions, ≤ 15 nodes, ticks ≤ 10⁷) through
//! [`Scenario::validate`]. Every failure is a typed [`LinkError`]; nothing
//! here panics on any input.
//!
//! Compatibility: a version that changes [`Scenario`]'s layout gets a new
//! prefix, and old payloads are brought up to the new layout before they
//! are decoded ([`upgrade_v1`]: v1 was before Paxos had learner nodes).
//! `tests/golden/links-v1.txt` and `links-v2.txt` hold links made by each,
//! replayed by every later version.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use thiserror::Error;

use crate::scenario::{ConfigError, Scenario};
use crate::types::Tick;

pub const MAX_FRAGMENT_BYTES: usize = 16 * 1024;
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;
const PREFIX: &str = "v2.";

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LinkError {
    #[error("the link is {len} bytes long, at most {max} are accepted")]
    TooLong { len: usize, max: usize },
    #[error("the link carries no format version")]
    NoVersion,
    #[error("link format {0:?} is not supported (this version reads v1 and v2)")]
    UnsupportedVersion(String),
    #[error("the link is not valid base64url")]
    Base64,
    #[error("the link's data is corrupted (cannot be decompressed)")]
    Inflate,
    #[error("the link's data expands beyond {max} bytes")]
    TooLarge { max: usize },
    #[error("the link's data is corrupted (cannot be decoded)")]
    Payload,
    #[error("the scenario in the link is invalid: {0}")]
    Invalid(#[from] ConfigError),
    #[error("the view option {0:?} has an invalid value")]
    BadOption(String),
}

/// Encode a scenario as `v2.<payload>`.
#[must_use]
pub fn encode(s: &Scenario) -> String {
    let bytes = postcard::to_allocvec(s).expect("a scenario always serializes");
    let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Decode and validate `v2.<payload>` (or an older `v1.<payload>`).
///
/// # Errors
/// A [`LinkError`] naming the first problem.
pub fn decode(text: &str) -> Result<Scenario, LinkError> {
    if text.len() > MAX_FRAGMENT_BYTES {
        return Err(LinkError::TooLong { len: text.len(), max: MAX_FRAGMENT_BYTES });
    }
    let Some((version, body)) = text.split_once('.') else {
        return Err(LinkError::NoVersion);
    };
    if version != "v1" && version != "v2" {
        let shown: String = version.chars().take(16).collect();
        return Err(LinkError::UnsupportedVersion(shown));
    }
    let packed = URL_SAFE_NO_PAD.decode(body).map_err(|_| LinkError::Base64)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_PAYLOAD_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                LinkError::TooLarge { max: MAX_PAYLOAD_BYTES }
            }
            _ => LinkError::Inflate,
        })?;
    let mut bytes = bytes;
    if version == "v1" {
        upgrade_v1(&mut bytes)?;
    }
    let scenario = take_all::<Scenario>(&bytes)?;
    scenario.validate()?;
    Ok(scenario)
}

/// Bring a v1 payload to the v2 layout. The two differ in one place: a
/// Paxos config had no `learners` field (the last one). Postcard writes
/// fields in order, unsigned integers and enum tags as LEB128 varints and a
/// bool as one byte, so the upgrade skips the scenario's `engine`, the
/// protocol's tag and, for Paxos (tag 1), the config's six fields, then
/// inserts `learners = 0` (one zero byte). Other protocols are unchanged.
fn upgrade_v1(bytes: &mut Vec<u8>) -> Result<(), LinkError> {
    let mut at = 0;
    let varint = |at: &mut usize| -> Result<u64, LinkError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *bytes.get(*at).ok_or(LinkError::Payload)?;
            *at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(LinkError::Payload)
    };
    varint(&mut at)?; // engine
    if varint(&mut at)? != 1 {
        return Ok(());
    }
    varint(&mut at)?; // proposers
    varint(&mut at)?; // acceptors
    at += 1; // backoff
    varint(&mut at)?; // retry_ticks
    varint(&mut at)?; // collect_ticks
    varint(&mut at)?; // variant
    if at > bytes.len() {
        return Err(LinkError::Payload);
    }
    bytes.insert(at, 0);
    Ok(())
}

/// Decode exactly the whole payload.
fn take_all<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, LinkError> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        _ => Err(LinkError::Payload),
    }
}

/// Links made while the app came in two builds carry `engine=full`; the one
/// app ignores it (as every unknown parameter), so those links still open.
pub const OLD_BUILD_PARAM: &str = "engine=full";

/// How the viewer is shown; none of it changes the run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewOptions {
    pub lang: Option<String>,
    pub embed: bool,
    pub autoplay: bool,
    pub start_tick: Option<Tick>,
    /// `hidden` or `locked`.
    pub controls: Option<String>,
    /// Start at this step of a guided lesson (0-based).
    pub step: Option<u32>,
}

/// What a fragment asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    pub scenario: Option<Scenario>,
    pub lesson: Option<String>,
    pub view: ViewOptions,
}

/// Parse a location fragment (with or without the leading `#`).
///
/// # Errors
/// The first problem found; the caller keeps whatever it was showing.
pub fn parse_fragment(fragment: &str) -> Result<Fragment, LinkError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if f.len() > MAX_FRAGMENT_BYTES + 256 {
        return Err(LinkError::TooLong { len: f.len(), max: MAX_FRAGMENT_BYTES });
    }
    let mut out = Fragment::default();
    for part in f.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k {
            "s" => out.scenario = Some(decode(v)?),
            "lesson" => out.lesson = Some(short(v)),
            "lang" => match v {
                "zh" | "en" => out.view.lang = Some(v.to_string()),
                _ => return Err(LinkError::BadOption("lang".into())),
            },
            "embed" => out.view.embed = v == "1",
            "autoplay" => out.view.autoplay = v == "1",
            "t" => {
                let t: Tick = v.parse().map_err(|_| LinkError::BadOption("t".into()))?;
                if t > crate::scenario::MAX_TICK {
                    return Err(LinkError::BadOption("t".into()));
                }
                out.view.start_tick = Some(t);
            }
            "step" => {
                let k: u32 = v.parse().map_err(|_| LinkError::BadOption("step".into()))?;
                out.view.step = Some(k);
            }
            "controls" => match v {
                "hidden" | "locked" => out.view.controls = Some(v.to_string()),
                _ => return Err(LinkError::BadOption("controls".into())),
            },
            _ => {} // unknown parameters are ignored, for forward compatibility
        }
    }
    Ok(out)
}

fn short(v: &str) -> String {
    v.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect()
}

/// Build a fragment (without `#`) for a scenario and view options.
#[must_use]
pub fn fragment(s: &Scenario, view: &ViewOptions) -> String {
    let mut f = format!("s={}", encode(s));
    if let Some(l) = &view.lang {
        f.push_str("&lang=");
        f.push_str(l);
    }
    if view.embed {
        f.push_str("&embed=1");
    }
    if view.autoplay {
        f.push_str("&autoplay=1");
    }
    if let Some(t) = view.start_tick {
        f.push_str(&format!("&t={t}"));
    }
    if let Some(k) = view.step {
        f.push_str(&format!("&step={k}"));
    }
    if let Some(c) = &view.controls {
        f.push_str("&controls=");
        f.push_str(c);
    }
    f
}
