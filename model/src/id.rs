/// Formats 16 random bytes as a UUID version 4 (setting the version and variant bits).
///
/// The browser edge supplies the bytes from `crypto.getRandomValues`, which works
/// on plain-HTTP pages too, where `crypto.randomUUID` does not.
///
/// ```
/// let id = feedback_model::uuid_v4_from_bytes([0xff; 16]);
/// assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
/// assert!(feedback_model::is_uuid_v4(&id));
/// ```
pub fn uuid_v4_from_bytes(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Whether `s` is a lower-case UUID version 4 with the RFC 4122 variant.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            14 => *c == b'4',
            19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_variant_bits_are_set() {
        let id = uuid_v4_from_bytes([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
        assert!(is_uuid_v4(&id));
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in [
            "",
            "0f8fad5b-d9cb-169f-a165-70867728950e", // version 1
            "0f8fad5b-d9cb-469f-c165-70867728950e", // wrong variant
            "0F8FAD5B-D9CB-469F-A165-70867728950E", // upper case
            "0f8fad5bd9cb469fa16570867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950e ",
        ] {
            assert!(!is_uuid_v4(bad), "{bad}");
        }
    }
}
