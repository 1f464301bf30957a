//! Proof of work: a small hashcash-style stamp over a submission's id, so that flooding the endpoint with
//! made-up submissions costs the sender work for each one, without tracking anybody.
//!
//! A stamp is a number, the `nonce`, for which the SHA-256 of [`stamp_input`] (the submission's id and the
//! nonce) begins with at least the endpoint's number of zero bits. Finding one takes about `2^bits` hashes;
//! checking it takes one. The app finds it after the answers are saved on the device (never before, and never
//! holding up the confirmation) with the browser's own Web Crypto (`public/stamp.js`), and sends it as the
//! payload's last member, `"stamp": N`; the collector checks it before storing (its `--stamp-bits`, 0 for
//! none). The submission id's uniqueness stops a stamp being used twice.
//!
//! The stamp is not kept: it is found again for each attempt to send (the search counts from 0, so it is the
//! same one, and a retry is rare beside the tenth of a second it takes). When the endpoint wants more bits
//! than the stamp has, it answers 428 with `{"stamp_bits": N}`, and the same attempt makes one of `N` bits
//! (at most [`MAX_STAMP_BITS`]) and sends again; a 428 after that waits like any trouble worth retrying
//! ([`crate::outbox::is_refusal`]).
//!
//! ```
//! use feedback_model::stamp::{leading_zero_bits, stamp_input};
//! assert_eq!(stamp_input("0f8fad5b-d9cb-469f-a165-70867728950e", 7), "feedback-stamp:0f8fad5b-d9cb-469f-a165-70867728950e:7");
//! assert_eq!(leading_zero_bits(&[0, 0, 0b0001_0000, 0xff]), 19);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_zero_bits_across_bytes() {
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        assert_eq!(leading_zero_bits(&[0x01]), 7);
        assert_eq!(leading_zero_bits(&[0, 0x80]), 8);
        assert_eq!(leading_zero_bits(&[0, 0, 0]), 24);
        assert_eq!(leading_zero_bits(&[]), 0);
    }
}
