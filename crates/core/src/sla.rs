//! Availability as an SLA states it (lecture 01, 可用性): a percentage of
//! time, counted in "nines", and the downtime it allows. The lecture's
//! example: 99.95% a month allows 21.6 minutes of downtime in 30 days.
//! Integer arithmetic in parts per million, so the figures are exact.

/// Seconds in the lecture's 30-day month.
pub const MONTH_SECONDS: u64 = 30 * 24 * 60 * 60;

/// Downtime a month allows at `ppm` availability, in tenths of a minute.
#[must_use]
pub fn downtime_tenths_of_minute(ppm: u32) -> u64 {
    let down = 1_000_000 - u64::from(ppm.min(1_000_000));
    // seconds = down × MONTH / 1e6; tenths of a minute = seconds / 6.
    (down * MONTH_SECONDS + 3_000_000) / 6_000_000
}

/// Downtime as `21.6`.
#[must_use]
pub fn downtime_text(ppm: u32) -> String {
    let t = downtime_tenths_of_minute(ppm);
    format!("{}.{}", t / 10, t % 10)
}

/// How many nines: 99.9% is three, 99.95% is three (and a half, which SLAs
/// round down).
#[must_use]
pub fn nines(ppm: u32) -> u32 {
    let down = 1_000_000 - u64::from(ppm.min(1_000_000));
    if down == 0 {
        return 6;
    }
    let mut k = 0;
    let mut limit = 100_000;
    while down <= limit && k < 6 {
        k += 1;
        limit /= 10;
    }
    k
}

/// Parse a percentage like `99.95` or `99.95%` into parts per million.
#[must_use]
pub fn parse_percent(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches('%').trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.len() > 4 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let mut f = 0u32;
    for (i, b) in frac.bytes().enumerate() {
        f += u32::from(b - b'0') * 10u32.pow(3 - u32::try_from(i).ok()?);
    }
    let ppm = whole.checked_mul(10_000)?.checked_add(f)?;
    (ppm <= 1_000_000).then_some(ppm)
}

/// A percentage with up to four decimals, as `99.95`.
#[must_use]
pub fn percent_text(ppm: u32) -> String {
    let (w, f) = (ppm / 10_000, ppm % 10_000);
    if f == 0 {
        return w.to_string();
    }
    let f = format!("{f:04}");
    format!("{w}.{}", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lectures_example_99_95_percent_is_21_6_minutes_a_month() {
        let ppm = parse_percent("99.95%").unwrap();
        assert_eq!(ppm, 999_500);
        assert_eq!(downtime_text(ppm), "21.6");
        assert_eq!(nines(ppm), 3);
    }

    #[test]
    fn nines_count() {
        assert_eq!(nines(990_000), 2);
        assert_eq!(nines(999_000), 3);
        assert_eq!(nines(999_990), 5);
        assert_eq!(nines(1_000_000), 6);
        assert_eq!(nines(500_000), 0);
        assert_eq!(downtime_text(999_900), "4.3");
    }

    #[test]
    fn bad_percentages_are_refused() {
        for bad in ["", "abc", "101", "99.99999", "-1", "9.9.9"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
        assert_eq!(percent_text(999_500), "99.95");
        assert_eq!(percent_text(1_000_000), "100");
    }
}
