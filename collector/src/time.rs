//! The time a submission arrived, as RFC 3339 UTC.

use jiff::Timestamp;

/// Now, like `2026-11-23T10:00:00.123Z` (the shape JavaScript's `toISOString` writes).
pub fn now_rfc3339() -> String {
    format_utc(Timestamp::now())
}

/// RFC 3339 in UTC with exactly three digits of milliseconds (finer digits are cut, not rounded).
fn format_utc(at: Timestamp) -> String {
    // `Timestamp`'s `Display` writes UTC with a `Z`; the precision fixes the fraction at 3 digits.
    format!("{at:.3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64, millis: i32) -> Timestamp {
        Timestamp::new(secs, millis * 1_000_000).unwrap()
    }

    #[test]
    fn known_dates() {
        assert_eq!(format_utc(at(0, 0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(at(951_782_400, 5)), "2000-02-29T00:00:00.005Z"); // leap day
        assert_eq!(format_utc(at(1_795_428_000, 123)), "2026-11-23T10:00:00.123Z");
        assert_eq!(format_utc(at(4_102_444_799, 999)), "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn leap_days_and_the_turn_of_a_year() {
        // 2028 is a leap year: 28 February, 29 February, then 1 March.
        assert_eq!(format_utc(at(1_835_395_199, 999)), "2028-02-28T23:59:59.999Z");
        assert_eq!(format_utc(at(1_835_395_200, 0)), "2028-02-29T00:00:00.000Z");
        assert_eq!(format_utc(at(1_835_481_600, 0)), "2028-03-01T00:00:00.000Z");
        // 2100 is not (a century not divisible by 400): 28 February is followed by 1 March.
        assert_eq!(format_utc(at(4_107_542_399, 0)), "2100-02-28T23:59:59.000Z");
        assert_eq!(format_utc(at(4_107_542_400, 0)), "2100-03-01T00:00:00.000Z");
        // New Year: the last millisecond of 2026, then the first of 2027.
        assert_eq!(format_utc(at(1_798_761_599, 999)), "2026-12-31T23:59:59.999Z");
        assert_eq!(format_utc(at(1_798_761_600, 0)), "2027-01-01T00:00:00.000Z");
    }

    #[test]
    fn finer_digits_are_cut_like_to_iso_string() {
        assert_eq!(format_utc(Timestamp::new(0, 999_999_999).unwrap()), "1970-01-01T00:00:00.999Z");
    }

    #[test]
    fn now_has_the_right_shape() {
        let n = now_rfc3339();
        assert_eq!(n.len(), 24, "{n}");
        assert!(n.starts_with("20") && n.ends_with('Z'), "{n}");
    }
}
