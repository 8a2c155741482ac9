//! A share link as a QR code, for phones in front of a projector: the
//! module grid (the `qrcode` crate encodes it), and a text form of it small
//! enough to cross the Web Worker boundary.

/// A QR code: `width` × `width` modules, dark ones `true`, row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Qr {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Qr {
    /// Whether the module at column `x`, row `y` is dark.
    #[must_use]
    pub fn at(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// `width|0101…` (the inverse of [`Qr::from_text`]).
    #[must_use]
    pub fn to_text(&self) -> String {
        let bits: String = self.dark.iter().map(|&d| if d { '1' } else { '0' }).collect();
        format!("{}|{bits}", self.width)
    }

    /// Read [`Qr::to_text`]'s form back; `None` if it is not one.
    #[must_use]
    pub fn from_text(s: &str) -> Option<Qr> {
        let (w, bits) = s.split_once('|')?;
        let width: usize = w.parse().ok()?;
        if width == 0 || width > 177 || bits.len() != width * width {
            return None;
        }
        let dark = bits
            .bytes()
            .map(|b| match b {
                b'1' => Some(true),
                b'0' => Some(false),
                _ => None,
            })
            .collect::<Option<Vec<bool>>>()?;
        Some(Qr { width, dark })
    }
}

/// Encode `text` (a link) with medium error correction, so a code shown on
/// a projector still scans when part of it is washed out. `None` when the
/// text is too long for any QR code.
#[must_use]
pub fn encode(text: &str) -> Option<Qr> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some(Qr { width, dark })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decode a code the way a phone would: render it to pixels (with the
    /// quiet zone) and run a QR reader over them.
    fn scan(qr: &Qr) -> String {
        let (scale, quiet) = (4, 4);
        let side = (qr.width + 2 * quiet) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let dark = mx >= quiet && my >= quiet && qr.at(mx - quiet, my - quiet);
            if dark {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("decodes").1
    }

    #[test]
    fn a_share_link_scans_back_to_itself() {
        let s = qcore::lessons::lesson("quorum-3-2-2").expect("lesson");
        let link = format!(
            "https://example.edu/quorumscope/#{}",
            qcore::link::fragment(&s, &qcore::link::ViewOptions::default())
        );
        let qr = encode(&link).expect("fits");
        assert_eq!(scan(&qr), link);
        assert_eq!(Qr::from_text(&qr.to_text()), Some(qr));
    }

    #[test]
    fn the_longest_links_still_fit_and_bad_text_is_refused() {
        // A run with many user actions: a long link, still one code.
        let mut s = qcore::lessons::lesson("quorum-custom").expect("lesson");
        for i in 0..40 {
            s.actions.push(qcore::Action {
                after_event: i * 10,
                tick: i * 100,
                kind: qcore::ActionKind::Crash((i % 3) as u32),
            });
        }
        let link = format!(
            "http://192.168.1.20:8080/#{}",
            qcore::link::fragment(&s, &qcore::link::ViewOptions::default())
        );
        let qr = encode(&link).expect("fits");
        assert_eq!(scan(&qr), link);
        assert!(encode(&"x".repeat(5_000)).is_none(), "too long for any code");
        assert_eq!(Qr::from_text("3|10101"), None);
        assert_eq!(Qr::from_text("1|2"), None);
        assert_eq!(Qr::from_text("0|"), None);
    }
}
