//! Stream session IDs that encode the session's creation sequence number: a keyed bijection of
//! the number, so that looking a session up by ID needs no index (a hash map of a million IDs
//! costs about 50 bytes a session), and no two sessions can ever draw the same ID.
//!
//! An ID is 13 characters of `[0-9A-Za-z]`, as the service's are: two check characters, then the
//! 64-bit image of the sequence number in eleven base-62 digits, least significant first. The
//! key comes from the engine's seed, so IDs look random and differ between seeds, but stay
//! deterministic. A string decodes only if it is exactly the ID of some number (the digits fix the
//! image, the image fixes the check), so a lookup still confirms the number names a live session
//! of the caller's group; the check characters just turn away 3,843 in 3,844 strangers early.

use serde::{Deserialize, Serialize};

use crate::arn::{ALPHANUMERIC, ResourceId, mix64};

/// The codec of one engine's stream session IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionIds {
    key: u64,
    check_key: u64,
}

/// Two base-62 check characters.
const CHECKS: u64 = 62 * 62;

impl SessionIds {
    /// The codec of the engine seeded with `seed`.
    pub(crate) fn new(seed: u64) -> SessionIds {
        SessionIds {
            key: mix64(seed ^ 0x5e55_1015_1d5e_ed01),
            check_key: mix64(seed ^ 0xc4ec_4d16_1750_a11d),
        }
    }

    /// The length of an ID.
    pub(crate) const LEN: usize = 13;

    /// The characters of the ID of the session with sequence number `seq`.
    fn chars(&self, seq: u64) -> [u8; Self::LEN] {
        let image = mix64(seq ^ self.key);
        let check = mix64(image ^ self.check_key) % CHECKS;
        let mut bytes = [0u8; Self::LEN];
        bytes[0] = ALPHANUMERIC[(check % 62) as usize];
        bytes[1] = ALPHANUMERIC[(check / 62) as usize];
        // Two digits a division (the least significant first): the last of the eleven alone.
        let mut rest = image;
        for pair in bytes[2..12].chunks_exact_mut(2) {
            let two = (rest % CHECKS) as usize;
            rest /= CHECKS;
            pair[0] = ALPHANUMERIC[two % 62];
            pair[1] = ALPHANUMERIC[two / 62];
        }
        bytes[12] = ALPHANUMERIC[rest as usize];
        bytes
    }

    /// Appends the ID of the session with sequence number `seq` to `out` (the hot path: every
    /// session ARN is built so).
    pub(crate) fn push_id(&self, seq: u64, out: &mut String) {
        // The alphabet is ASCII, so the check cannot fail.
        out.push_str(std::str::from_utf8(&self.chars(seq)).unwrap_or_default());
    }

    /// The ID of the session with sequence number `seq`.
    pub(crate) fn id(&self, seq: u64) -> ResourceId {
        let bytes = self.chars(seq);
        // Thirteen characters of the alphabet: a valid ResourceId.
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(ResourceId::new)
            .expect("13 alphanumerics are a ResourceId")
    }

    /// The sequence number `id` encodes, if it is an ID this codec made.
    pub(crate) fn seq(&self, id: &str) -> Option<u64> {
        let bytes: &[u8; 13] = id.as_bytes().try_into().ok()?;
        let mut image: u128 = 0;
        for &b in bytes[2..].iter().rev() {
            image = image * 62 + u128::from(digit(b)?);
        }
        let image = u64::try_from(image).ok()?;
        let check = mix64(image ^ self.check_key) % CHECKS;
        let expected = u64::from(digit(bytes[0])?) + 62 * u64::from(digit(bytes[1])?);
        (check == expected).then(|| unmix64(image) ^ self.key)
    }
}

/// The value of a base-62 digit.
fn digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'Z' => Some(b - b'A' + 10),
        b'a'..=b'z' => Some(b - b'a' + 36),
        _ => None,
    }
}

/// The multiplicative inverse of an odd `a` modulo 2^64 (Newton's iteration: each step doubles
/// the number of correct low bits, and `a` itself is right in three).
const fn inverse(a: u64) -> u64 {
    let mut x = a;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(a.wrapping_mul(x)));
        i += 1;
    }
    x
}

/// The inverse of [`mix64`].
fn unmix64(mut z: u64) -> u64 {
    const M1: u64 = inverse(0xbf58_476d_1ce4_e5b9);
    const M2: u64 = inverse(0x94d0_49bb_1331_11eb);
    z ^= (z >> 31) ^ (z >> 62);
    z = z.wrapping_mul(M2);
    z ^= (z >> 27) ^ (z >> 54);
    z = z.wrapping_mul(M1);
    z ^ (z >> 30) ^ (z >> 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmix_inverts_mix() {
        for z in [
            0,
            1,
            2,
            u64::MAX,
            0x8000_0000_0000_0000,
            0x1234_5678_9abc_def0,
        ] {
            assert_eq!(unmix64(mix64(z)), z);
            assert_eq!(mix64(unmix64(z)), z);
        }
        let mut z = 7u64;
        for _ in 0..10_000 {
            z = z.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            assert_eq!(unmix64(mix64(z)), z);
        }
    }

    #[test]
    fn ids_round_trip_and_look_like_the_services() {
        for seed in [0, 1, 42, u64::MAX] {
            let ids = SessionIds::new(seed);
            for seq in (0..5_000).chain([u64::MAX, u64::MAX - 1, 1 << 40]) {
                let id = ids.id(seq);
                let mut pushed = String::from("x/");
                ids.push_id(seq, &mut pushed);
                assert_eq!(pushed, format!("x/{id}"));
                assert_eq!(id.as_str().len(), 13);
                assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
                assert_eq!(ids.seq(id.as_str()), Some(seq), "{id}");
            }
        }
        assert_ne!(SessionIds::new(1).id(0), SessionIds::new(2).id(0));
    }

    #[test]
    fn other_strings_decode_to_nothing_or_rarely() {
        let ids = SessionIds::new(3);
        for s in [
            "",
            "ABC",
            "0123456789ABCD",
            "012345678901-",
            "zzzzzzzzzzzzz",
            "é23456789012",
        ] {
            assert_eq!(ids.seq(s), None, "{s:?}");
        }
        // One changed character is caught by the check characters about 3,843 times in 3,844.
        let id = ids.id(12_345).as_str().to_owned();
        let mut accepted = 0;
        for i in 0..13 {
            for &c in ALPHANUMERIC {
                let mut b = id.clone().into_bytes();
                if b[i] == c {
                    continue;
                }
                b[i] = c;
                let s = String::from_utf8(b).unwrap();
                accepted += usize::from(ids.seq(&s).is_some());
            }
        }
        assert!(
            accepted <= 2,
            "{accepted} of 793 one-character changes decode"
        );
    }
}
