//! The word-at-a-time identifier checks and ARN parsing and formatting against plain,
//! byte-by-byte reference implementations (the straightforward versions they replaced), over
//! generated strings that aim at their edges: colons, spaces and multi-byte characters
//! anywhere, account fields of 0–16 digits, and lengths around the 8-byte words.

use gameliftstreams_lifecycle::api::patterns::{is_arn, is_id, is_identifier};
use gameliftstreams_lifecycle::{
    AccountId, ArnError, ArnResource, Identifier, ResourceArn, ResourceId, application_arn,
    stream_group_arn, stream_session_arn,
};
use proptest::prelude::*;

mod reference {
    use super::*;

    pub const PREFIX: &str = "arn:aws:gameliftstreams:";

    pub fn is_alnum_dash(s: &str) -> bool {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }

    pub fn is_digits(s: &str, n: usize) -> bool {
        s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
    }

    pub fn arn_colons(rest: &str) -> Option<(usize, usize)> {
        let mut colons = Vec::new();
        for (i, b) in rest.bytes().enumerate() {
            match b {
                b' ' => return None,
                b':' => colons.push(i),
                _ => {}
            }
        }
        (colons.len() == 2).then(|| (colons[0], colons[1]))
    }

    pub fn is_arn(s: &str) -> bool {
        let Some(rest) = s.strip_prefix(PREFIX) else {
            return false;
        };
        arn_colons(rest).is_some_and(|(a, b)| is_digits(&rest[a + 1..b], 12))
    }

    pub fn is_identifier(s: &str) -> bool {
        is_alnum_dash(s) || is_arn(s)
    }

    pub fn account(s: &str) -> Option<u64> {
        is_digits(s, 12).then(|| s.parse().unwrap())
    }

    pub fn parse_arn(s: &str) -> Result<ResourceArn, ArnError> {
        let malformed = || ArnError::Malformed(s.into());
        let rest = s.strip_prefix(PREFIX).ok_or_else(malformed)?;
        let (a, b) = arn_colons(rest).ok_or_else(malformed)?;
        let (region, account, resource) = (&rest[..a], &rest[a + 1..b], &rest[b + 1..]);
        let account = self::account(account).ok_or_else(malformed)?;
        let account = AccountId::from_number(account).unwrap();
        let unknown = || ArnError::UnknownResource(s.into());
        let (kind, path) = resource.split_once('/').ok_or_else(unknown)?;
        let resource = match kind {
            "application" if is_alnum_dash(path) => ArnResource::Application(path.into()),
            "streamgroup" if is_alnum_dash(path) => ArnResource::StreamGroup(path.into()),
            "streamsession" => match path.split_once('/') {
                Some((g, sess)) if is_alnum_dash(g) && is_alnum_dash(sess) => {
                    ArnResource::StreamSession {
                        group: g.into(),
                        session: sess.into(),
                    }
                }
                _ => return Err(unknown()),
            },
            _ => return Err(unknown()),
        };
        Ok(ResourceArn {
            region: region.into(),
            account,
            resource,
        })
    }

    pub fn parse_identifier(s: &str) -> Result<Identifier, ArnError> {
        if s.starts_with("arn:") {
            parse_arn(s).map(Identifier::Arn)
        } else if is_alnum_dash(s) {
            Ok(Identifier::Id(s.into()))
        } else {
            Err(ArnError::Malformed(s.into()))
        }
    }

    pub fn arn(region: &str, account: u64, rest: &str) -> String {
        format!("{PREFIX}{region}:{account:012}:{rest}")
    }
}

/// Pieces that meet the fast paths at their edges.
const PIECES: &[&str] = &[
    "arn:aws:gameliftstreams:",
    "arn:",
    "arn:aws:",
    ":",
    "::",
    " ",
    "/",
    "-",
    "a",
    "Z",
    "0",
    "9",
    "sg-1AB2C3De4",
    "ABCDEFGHIJKLM",
    "us-west-2",
    "111122223333",
    "1234567",
    "12345678",
    "123456789",
    "application/",
    "streamgroup/",
    "streamsession/",
    "streamsession",
    "é",
    "€",
    "😀",
    "\u{80}",
    "\0",
    "\n",
    "@",
    "[",
    "`",
    "{",
    "/",
    ".",
    "\u{7f}",
    "\u{ff}",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|p| p.concat())
}

/// A run of digits, sometimes with one byte swapped for something else.
fn digits() -> impl Strategy<Value = String> {
    (
        "[0-9]{0,16}",
        prop::option::of((any::<prop::sample::Index>(), "[^0-9]")),
    )
        .prop_map(|(mut d, swap)| {
            if let (Some((at, c)), false) = (swap, d.is_empty()) {
                let at = at.index(d.len());
                d.replace_range(at..at + 1, &c);
            }
            d
        })
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9-]{0,17}",
        "[a-zA-Z0-9-]{0,9}[^a-zA-Z0-9-][a-zA-Z0-9-]{0,9}",
        "[a-zA-Z0-9/:-]{0,17}",
    ]
}

/// Strings shaped like ARNs, most nearly valid.
fn arn_like() -> impl Strategy<Value = String> {
    let prefix = prop_oneof![
        8 => Just("arn:aws:gameliftstreams:".to_string()),
        1 => Just("arn:aws:gameliftstream:".to_string()),
        1 => Just("arn:".to_string()),
        1 => Just(String::new()),
    ];
    let region = prop_oneof![
        Just("us-west-2".to_string()),
        "[a-z0-9 :é-]{0,12}",
        pieces(),
    ];
    let kind = prop_oneof![
        Just("application/"),
        Just("streamgroup/"),
        Just("streamsession/"),
        Just("streamsession"),
        Just("application"),
        Just("stream/"),
        Just(""),
    ];
    (
        prefix,
        region,
        digits(),
        kind,
        id(),
        prop::option::of(id()),
        pieces(),
    )
        .prop_map(|(prefix, region, digits, kind, first, second, tail)| {
            let mut s = format!("{prefix}{region}:{digits}:{kind}{first}");
            if let Some(second) = second {
                s.push('/');
                s.push_str(&second);
            }
            if tail.len() % 3 == 0 {
                s.push_str(&tail);
            }
            s
        })
}

fn any_identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => arn_like(),
        2 => pieces(),
        2 => id(),
        1 => any::<String>(),
        1 => "[ -~]{0,40}",
    ]
}

fn check_all(s: &str) {
    assert_eq!(is_identifier(s), reference::is_identifier(s), "{s:?}");
    assert_eq!(is_arn(s), reference::is_arn(s), "{s:?}");
    assert_eq!(is_id(s), reference::is_alnum_dash(s), "{s:?}");
    assert_eq!(s.parse::<ResourceArn>(), reference::parse_arn(s), "{s:?}");
    assert_eq!(
        Identifier::parse(s),
        reference::parse_identifier(s),
        "{s:?}"
    );
    assert_eq!(
        s.parse::<AccountId>().ok().map(AccountId::number),
        reference::account(s),
        "{s:?}"
    );
    let id = ResourceId::new(s);
    let valid = reference::is_alnum_dash(s) && s.len() <= ResourceId::CAPACITY;
    assert_eq!(
        id.map(|id| id.as_str().to_string()),
        valid.then(|| s.to_string()),
        "{s:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn identifiers_match_the_reference(s in any_identifier()) {
        check_all(&s);
    }

    #[test]
    fn every_part_of_an_arn_matches_the_reference(s in arn_like()) {
        check_all(&s);
        // Every prefix and suffix too, so each length meets every word boundary.
        for (i, _) in s.char_indices() {
            check_all(&s[..i]);
            check_all(&s[i..]);
        }
    }

    #[test]
    fn arns_format_as_the_reference(
        region in "[a-z0-9-]{0,20}",
        account in prop_oneof![0..1_000_000_000_000u64, Just(0), Just(999_999_999_999)],
        group in "[a-zA-Z0-9-]{1,15}",
        session in "[a-zA-Z0-9-]{1,15}",
    ) {
        let a = AccountId::from_number(account).unwrap();
        prop_assert_eq!(
            application_arn(&region, a, &group),
            reference::arn(&region, account, &format!("application/{group}"))
        );
        prop_assert_eq!(
            stream_group_arn(&region, a, &group),
            reference::arn(&region, account, &format!("streamgroup/{group}"))
        );
        let arn = stream_session_arn(&region, a, &group, &session);
        prop_assert_eq!(
            &arn,
            &reference::arn(&region, account, &format!("streamsession/{group}/{session}"))
        );
        prop_assert_eq!(a.to_string(), format!("{account:012}"));
        // And back.
        prop_assert_eq!(arn.parse::<ResourceArn>(), reference::parse_arn(&arn));
    }

    #[test]
    fn accounts_read_as_the_reference(digits in digits()) {
        prop_assert_eq!(
            digits.parse::<AccountId>().ok().map(AccountId::number),
            reference::account(&digits)
        );
    }
}

#[test]
fn accounts_at_the_edges_of_each_digit_group() {
    // Each power of ten, one below it, and every digit in every place.
    let mut numbers = vec![0u64, 999_999_999_999];
    let mut p = 1u64;
    while p < 1_000_000_000_000 {
        numbers.extend([p, p - 1, p + 1]);
        for d in 1..10 {
            numbers.push(d * p);
            numbers.push((d * p).wrapping_sub(1));
        }
        p *= 10;
    }
    for n in numbers.into_iter().filter(|&n| n < 1_000_000_000_000) {
        let a = AccountId::from_number(n).unwrap();
        let text = format!("{n:012}");
        let arn = application_arn("r", a, "a-1");
        assert_eq!(
            arn,
            format!("arn:aws:gameliftstreams:r:{text}:application/a-1")
        );
        assert_eq!(text.parse::<AccountId>().unwrap(), a);
    }
}

#[test]
fn every_single_byte_in_every_place() {
    // Each ASCII byte (and a 2-byte character) at each position of IDs of 1–17 bytes, in the
    // account field and in the session ID of an ARN.
    let mut odd: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
    odd.push("é".into());
    for len in 1..=17 {
        for at in 0..len {
            for c in &odd {
                let id: String = "A".repeat(at) + c + &"9".repeat(len - at - 1);
                check_all(&id);
            }
        }
    }
    for at in 0..12 {
        for c in &odd {
            let account = "1".repeat(at) + c + &"2".repeat(11 - at);
            check_all(&format!(
                "arn:aws:gameliftstreams:us-west-2:{account}:streamsession/sg-1/ABCDEFGHIJKLM"
            ));
            let session = "B".repeat(at) + c + &"C".repeat(11 - at);
            check_all(&format!(
                "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1/{session}"
            ));
        }
    }
}
