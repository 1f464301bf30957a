//! Proof of work: a small hashcash-style stamp over a submission's id, so that flooding the endpoint with
//! made-up submissions costs the sender work for each one, without tracking anybody.
//!
//! A stamp is a number, the `nonce`, for which the SHA-256 of [`stamp_input`] (the submission's id and the
//! nonce) begins with at least the endpoint's number of zero bits. Finding one takes about `2^bits` hashes;
//! checking it takes one. The app finds it after the answers are saved on the device (never before, and never
//! holding up the confirmation) with the browser's own Web Crypto, and sends it in the payload's `stamp`
//! ([`with_stamp`]); the collector checks it before storing (its `--stamp-bits`, 0 for none). The submission
//! id's uniqueness stops a stamp being used twice.
//!
//! When the endpoint asks for more bits than the stamp has, it answers 428 with `{"stamp_bits": N}` and the
//! outbox makes a new stamp of `N` bits ([`crate::outbox::Outcome::NeedsStamp`]), up to [`MAX_STAMP_BITS`].
//!
//! ```
//! use feedback_model::stamp::{leading_zero_bits, stamp_input, with_stamp};
//! assert_eq!(stamp_input("0f8fad5b-d9cb-469f-a165-70867728950e", 7), "feedback-stamp:0f8fad5b-d9cb-469f-a165-70867728950e:7");
//! assert_eq!(leading_zero_bits(&[0, 0, 0b0001_0000, 0xff]), 19);
//! assert_eq!(with_stamp(r#"{"schema_version":1}"#, 42), r#"{"schema_version":1,"stamp":42}"#);
//! ```

/// The bits a stamp has unless the endpoint asks for more: about 4,000 hashes, a tenth of a second or so on a
/// cheap phone (measured with `scripts/bench.sh`), and the collector's default.
pub const DEFAULT_STAMP_BITS: u8 = 12;

/// The most bits the app will work for (about a million hashes), and the most the collector may ask.
pub const MAX_STAMP_BITS: u8 = 20;

/// The largest stamp: JavaScript's largest exact integer, so any JSON reader reads it back exactly.
pub const MAX_STAMP: u64 = (1 << 53) - 1;

/// The text whose SHA-256 a stamp is for: a fixed prefix (so that no other hash of the id counts), the
/// submission's id, and the nonce in decimal.
pub fn stamp_input(id: &str, nonce: u64) -> String {
    let mut s = String::with_capacity(16 + id.len() + 20);
    s.push_str("feedback-stamp:");
    s.push_str(id);
    s.push(':');
    s.push_str(&nonce.to_string());
    s
}

/// How many zero bits a hash begins with.
pub fn leading_zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for &b in digest {
        if b != 0 {
            return bits + b.leading_zeros();
        }
        bits += 8;
    }
    bits
}

/// The payload `body` (a JSON object, as the app writes it) with `"stamp": nonce` added as its last member.
/// A body that is not an object's text is given back as it was (the endpoint then asks for a stamp, and the
/// outbox keeps trying, so nothing is lost).
pub fn with_stamp(body: &str, nonce: u64) -> String {
    let trimmed = body.trim_end();
    let Some(inside) = trimmed.strip_prefix('{').and_then(|b| b.strip_suffix('}')) else {
        return body.to_owned();
    };
    let comma = if inside.trim().is_empty() { "" } else { "," };
    let mut s = String::with_capacity(trimmed.len() + 30);
    s.push_str(&trimmed[..trimmed.len() - 1]);
    s.push_str(comma);
    s.push_str("\"stamp\":");
    s.push_str(&nonce.to_string());
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_zero_bits_across_bytes() {
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        assert_eq!(leading_zero_bits(&[0x01]), 7);
        assert_eq!(leading_zero_bits(&[0, 0x80]), 8);
        assert_eq!(leading_zero_bits(&[0, 0, 0]), 24);
        assert_eq!(leading_zero_bits(&[]), 0);
    }

    #[test]
    fn a_stamp_goes_in_as_the_last_member_or_not_at_all() {
        assert_eq!(with_stamp("{}", 0), r#"{"stamp":0}"#);
        assert_eq!(with_stamp("{ }\n", 3), r#"{ "stamp":3}"#);
        assert_eq!(with_stamp("{\"a\":{}}\n", 9), r#"{"a":{},"stamp":9}"#);
        assert_eq!(with_stamp("[1]", 9), "[1]");
        assert_eq!(with_stamp("", 9), "");
        assert_eq!(with_stamp("}", 9), "}");
    }

    proptest! {
        /// Whatever submission the app writes, its stamped body is still JSON, reads back as the same
        /// submission with the stamp, and is the same text with `,"stamp":N` before its last brace.
        #[test]
        fn a_stamped_payload_reads_back_as_itself_with_its_stamp(
            s in crate::payload::tests::any_submission(), nonce in 0..=MAX_STAMP
        ) {
            let s = crate::Submission { stamp: None, ..s };
            let body = serde_json::to_string(&s).unwrap();
            let stamped = with_stamp(&body, nonce);
            prop_assert_eq!(&stamped[..body.len() - 1], &body[..body.len() - 1]);
            let back: crate::Submission = serde_json::from_str(&stamped).unwrap();
            prop_assert_eq!(back, crate::Submission { stamp: Some(nonce), ..s });
        }
    }
}
