//! The colours every picture of a scene uses (the canvas and SVG export),
//! chosen to stay apart for colour-blind viewers and readable on the light
//! background.

use crate::MessageKind;

pub const BG: &str = "#fbfaf7";
pub const INK: &str = "#1f2933";
pub const MUTED: &str = "#8a94a6";
pub const LINK: &str = "#d5dae1";
pub const CUT: &str = "#d64545";
pub const CUT_FAINT: &str = "#efc2c2";
pub const HELD: &str = "#8e6bbf";
pub const WRITE: &str = "#2f6fde";
pub const READ: &str = "#1f9d55";
pub const OVERLAP: &str = "#e0a100";
pub const DOWN: &str = "#b8bec8";

/// A message's colour, by kind.
#[must_use]
pub fn message_colour(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Request => "#6b7280",
        MessageKind::Reply => "#374151",
        MessageKind::Query => "#1f9d55",
        MessageKind::Store => "#2f6fde",
        MessageKind::Ack => "#0e7490",
        MessageKind::Reject => "#d64545",
        MessageKind::Announce => "#b7791f",
        MessageKind::Vote => "#7c3aed",
        MessageKind::Heartbeat => "#c0c6cf",
    }
}
