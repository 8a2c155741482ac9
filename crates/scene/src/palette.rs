//! The colours every picture of a scene uses (the canvas and SVG export),
//! chosen to stay apart for colour-blind viewers (blue, green, amber, red
//! and purple differ in lightness as well as hue, and every state also has
//! a shape or a dash) and readable on the light background: text colours
//! reach WCAG AA's 4.5:1 against it, marks 3:1 (tested below).

use crate::MessageKind;

pub const BG: &str = "#fbfaf7";
pub const INK: &str = "#1f2933";
pub const MUTED: &str = "#5f6b7a";
pub const LINK: &str = "#d5dae1";
pub const CUT: &str = "#b83a30";
pub const CUT_FAINT: &str = "#efc2c2";
pub const HELD: &str = "#8e6bbf";
pub const WRITE: &str = "#2b64cf";
pub const READ: &str = "#15803d";
pub const OVERLAP: &str = "#a87700";
pub const DOWN: &str = "#b8bec8";

/// A message's colour, by kind.
#[must_use]
pub fn message_colour(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Request => "#6b7280",
        MessageKind::Reply => "#374151",
        MessageKind::Query => "#15803d",
        MessageKind::Store => "#2b64cf",
        MessageKind::Ack => "#0e7490",
        MessageKind::Reject => "#b83a30",
        MessageKind::Announce => "#8f5f10",
        MessageKind::Vote => "#7c3aed",
        MessageKind::Heartbeat => "#c0c6cf",
    }
}

/// A message label's colour: its kind's, except for heartbeats, whose faint
/// lines would make unreadable text.
#[must_use]
pub fn label_colour(k: MessageKind) -> &'static str {
    if k == MessageKind::Heartbeat {
        MUTED
    } else {
        message_colour(k)
    }
}

/// WCAG's contrast ratio of two `#rrggbb` colours (1 to 21).
#[must_use]
pub fn contrast(a: &str, b: &str) -> f64 {
    fn luminance(c: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&c[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [MessageKind; 9] = [
        MessageKind::Request,
        MessageKind::Reply,
        MessageKind::Query,
        MessageKind::Store,
        MessageKind::Ack,
        MessageKind::Reject,
        MessageKind::Announce,
        MessageKind::Vote,
        MessageKind::Heartbeat,
    ];

    #[test]
    fn text_is_readable_on_the_canvas() {
        for (name, c) in
            [("INK", INK), ("MUTED", MUTED), ("CUT", CUT), ("WRITE", WRITE), ("READ", READ)]
        {
            assert!(contrast(c, BG) >= 4.5, "{name} {c}: {:.2}", contrast(c, BG));
        }
        for k in KINDS {
            let c = label_colour(k);
            assert!(contrast(c, BG) >= 4.5, "label of {k:?} {c}: {:.2}", contrast(c, BG));
        }
        // The banner of a broken rule.
        assert!(contrast(CUT, "#fdecea") >= 4.5);
    }

    #[test]
    fn marks_stand_out_from_the_background() {
        for (name, c) in [("OVERLAP", OVERLAP), ("HELD", HELD), ("DOWN ring", MUTED)] {
            assert!(contrast(c, BG) >= 3.0, "{name} {c}: {:.2}", contrast(c, BG));
        }
    }

    #[test]
    fn the_contrast_formula_matches_wcag() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    }
}
