//! Accounts, resource IDs and ARNs: parsing, formatting, and deterministic ID generation.
//!
//! ARNs follow the documented formats: `arn:aws:gameliftstreams:REGION:ACCOUNT:application/ID`,
//! `…:streamgroup/ID` and `…:streamsession/GROUP_ID/SESSION_ID`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validate::{
    HIGH, ONES, alnum_dash_prefix, bytes_equal, digit_bytes, has_byte, has_either, is_alnum_dash,
    word_at,
};

/// A 12-digit AWS account ID.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(u64);

impl AccountId {
    /// The account used when a caller names none: `123456789012`.
    pub const DEFAULT: AccountId = AccountId(123_456_789_012);

    /// The account with this number, if it has at most 12 digits.
    pub const fn from_number(n: u64) -> Option<AccountId> {
        if n < 1_000_000_000_000 {
            Some(AccountId(n))
        } else {
            None
        }
    }

    /// The account number.
    pub const fn number(self) -> u64 {
        self.0
    }

    /// Exactly twelve ASCII digits, without allocating on failure.
    fn parse_digits(s: &str) -> Option<AccountId> {
        let b = s.as_bytes();
        if b.len() != 12 {
            return None;
        }
        // Two overlapping words, bytes 0–7 and 4–11: checked and read eight digits at a time.
        let (first, last) = (word_at(b, 0), word_at(b, 4));
        if digit_bytes(first) & digit_bytes(last) != HIGH {
            return None;
        }
        let n = eight_digits(first) / 10_000 * 100_000_000 + eight_digits(last);
        Some(AccountId(n))
    }

    /// Appends the twelve digits to `out`.
    fn push_to(self, out: &mut String) {
        // The number is below 10^12: four digits (the last four of eight), then eight.
        let (high, low) = (self.0 / 100_000_000, self.0 % 100_000_000);
        let mut digits = [0; 16];
        digits[..8].copy_from_slice(&ascii_digits(high).to_le_bytes());
        digits[8..].copy_from_slice(&ascii_digits(low).to_le_bytes());
        // ASCII digits, so this cannot fail; one copy rather than a `push` per digit.
        out.push_str(std::str::from_utf8(&digits[4..]).unwrap_or_default());
    }
}

/// The value of eight ASCII digits, the first in the lowest byte of `w`: pairs of digits, then
/// pairs of pairs, then the two halves, each step in parallel over the lanes of the word.
fn eight_digits(w: u64) -> u64 {
    let d = w - ONES * u64::from(b'0');
    let d = (d * 10 + (d >> 8)) & 0x00ff_00ff_00ff_00ff;
    let d = (d * 100 + (d >> 16)) & 0x0000_ffff_0000_ffff;
    (d * 10_000 + (d >> 32)) & 0xffff_ffff
}

/// The eight decimal digits of `n` (below 10^8) in ASCII, the first in the lowest byte: the
/// inverse of [`eight_digits`], dividing lanes of four digits by 100, then lanes of two by 10,
/// with multiply-and-shift quotients exact in these ranges.
fn ascii_digits(n: u64) -> u64 {
    let x = (n / 10_000) | ((n % 10_000) << 32);
    let q = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let x = q | ((x - q * 100) << 16);
    let q = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    let x = q | ((x - q * 10) << 8);
    x + ONES * u64::from(b'0')
}

/// A string that is not a 12-digit account ID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an AWS account ID: it must be exactly 12 digits")]
pub struct InvalidAccountId(pub String);

impl FromStr for AccountId {
    type Err = InvalidAccountId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountId::parse_digits(s).ok_or_else(|| InvalidAccountId(s.into()))
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012}", self.0)
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({self})")
    }
}

impl Serialize for AccountId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The kinds of resource this crate models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ResourceType {
    /// `application/ID`
    Application,
    /// `streamgroup/ID`
    StreamGroup,
    /// `streamsession/GROUP_ID/SESSION_ID`
    StreamSession,
    /// `streamurl/GROUP_ID/URL_ID`
    StreamUrl,
}

impl ResourceType {
    /// The resource-type segment of the ARN (`"streamgroup"`).
    pub const fn arn_segment(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::StreamGroup => "streamgroup",
            Self::StreamSession => "streamsession",
            Self::StreamUrl => "streamurl",
        }
    }

    /// The name with its article (`"an application"`, `"a stream group"`).
    pub const fn with_article(self) -> &'static str {
        match self {
            Self::Application => "an application",
            Self::StreamGroup => "a stream group",
            Self::StreamSession => "a stream session",
            Self::StreamUrl => "a stream URL",
        }
    }

    /// The name used in messages (`"stream group"`).
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::StreamGroup => "stream group",
            Self::StreamSession => "stream session",
            Self::StreamUrl => "stream URL",
        }
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// A resource ID: 1–15 ASCII characters of `[a-zA-Z0-9-]`, stored inline (no allocation).
///
/// Every ID the engine generates fits (`sg-` + 9, `a-` + 9, sessions 13). A longer identifier
/// given by a caller can never name a resource, so it does not need to be representable.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId {
    len: u8,
    bytes: [u8; ResourceId::CAPACITY],
}

impl ResourceId {
    /// The longest ID that fits.
    pub const CAPACITY: usize = 15;

    /// The ID `s`, if it is 1–15 characters of `[a-zA-Z0-9-]`.
    pub fn new(s: &str) -> Option<ResourceId> {
        let b = s.as_bytes();
        if b.is_empty() || b.len() > Self::CAPACITY || alnum_dash_prefix(b) != b.len() {
            return None;
        }
        // At most two words, zero-padded past the end: fixed-size copies instead of a `memcpy`.
        let high = if b.len() > 8 { word_at(b, 8) } else { 0 };
        let padded = ((u128::from(high) << 64) | u128::from(word_at(b, 0))).to_le_bytes();
        let mut bytes = [0; Self::CAPACITY];
        bytes.copy_from_slice(&padded[..Self::CAPACITY]);
        Some(ResourceId {
            len: b.len() as u8,
            bytes,
        })
    }

    /// The ID as a string.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (checked in `new`), so this cannot fail.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for ResourceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResourceId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ResourceId::new(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("'{s}' is not a resource ID (1-15 of [a-zA-Z0-9-])"))
        })
    }
}

/// The resource part of an ARN.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ArnResource {
    /// `application/ID`
    Application(String),
    /// `streamgroup/ID`
    StreamGroup(String),
    /// `streamsession/GROUP_ID/SESSION_ID`
    StreamSession {
        /// The stream group's ID.
        group: String,
        /// The stream session's ID.
        session: String,
    },
    /// `streamurl/GROUP_ID/URL_ID`
    StreamUrl {
        /// The stream group's ID.
        group: String,
        /// The stream URL's ID.
        url: String,
    },
}

impl ArnResource {
    /// The resource type this part names.
    pub fn resource_type(&self) -> ResourceType {
        match self {
            Self::Application(_) => ResourceType::Application,
            Self::StreamGroup(_) => ResourceType::StreamGroup,
            Self::StreamSession { .. } => ResourceType::StreamSession,
            Self::StreamUrl { .. } => ResourceType::StreamUrl,
        }
    }
}

/// A GameLift Streams ARN.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceArn {
    /// The region (`us-west-2`).
    pub region: String,
    /// The owning account.
    pub account: AccountId,
    /// The resource it names.
    pub resource: ArnResource,
}

/// Why a string is not a GameLift Streams ARN of a known resource type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    /// Not of the form `arn:aws:gameliftstreams:REGION:ACCOUNT:RESOURCE`.
    #[error(
        "'{0}' is not a GameLift Streams ARN (arn:aws:gameliftstreams:REGION:ACCOUNT:RESOURCE)"
    )]
    Malformed(String),
    /// The resource part is not `application/ID`, `streamgroup/ID`,
    /// `streamsession/GROUP_ID/SESSION_ID` or `streamurl/GROUP_ID/URL_ID`.
    #[error("'{0}' does not name an application, stream group, stream session or stream URL")]
    UnknownResource(String),
}

/// An identifier read in place: the resource's ID, and the parts of the ARN when it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IdentifierRef<'a> {
    /// The resource's own ID (for a session ARN, the session's).
    pub(crate) id: &'a str,
    /// The ARN's parts, when the identifier is an ARN.
    pub(crate) arn: Option<ArnRef<'a>>,
}

/// The parts of an ARN, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ArnRef<'a> {
    pub(crate) region: &'a str,
    pub(crate) account: AccountId,
    pub(crate) resource: ResourceType,
    /// For a stream session ARN, its group's ID.
    pub(crate) group: Option<&'a str>,
}

pub(crate) const ARN_PREFIX: &str = "arn:aws:gameliftstreams:";

impl<'a> IdentifierRef<'a> {
    /// Reads `s` as an ID or an ARN without allocating.
    pub(crate) fn parse(s: &'a str) -> Result<IdentifierRef<'a>, ArnError> {
        if s.starts_with("arn:") {
            let (id, arn) = parse_arn(s)?;
            Ok(IdentifierRef { id, arn: Some(arn) })
        } else if is_alnum_dash(s) {
            Ok(IdentifierRef { id: s, arn: None })
        } else {
            Err(ArnError::Malformed(s.into()))
        }
    }
}

/// The positions of the two `:` after the ARN prefix, if there are exactly two and no space.
pub(crate) fn arn_colons(rest: &str) -> Option<(usize, usize)> {
    let b = rest.as_bytes();
    let mut colons = [0usize; 2];
    let mut found = 0;
    // Eight bytes at a time, most words with neither byte, which one test shows.
    let mut step = |w: u64, at: usize| {
        if !has_either(w, b' ', b':') {
            return true;
        }
        if has_byte(w, b' ') {
            return false;
        }
        let mut c = bytes_equal(w, b':');
        while c != 0 {
            if found == 2 {
                return false;
            }
            colons[found] = at + (c.trailing_zeros() / 8) as usize;
            found += 1;
            c &= c - 1;
        }
        true
    };
    let words = b.chunks_exact(8);
    let tail = b.len() - words.remainder().len();
    for (i, word) in words.enumerate() {
        if !step(
            u64::from_le_bytes(word.try_into().unwrap_or_default()),
            8 * i,
        ) {
            return None;
        }
    }
    // The zero bytes padding the last word are neither `:` nor space.
    if tail < b.len() && !step(word_at(b, tail), tail) {
        return None;
    }
    (found == 2).then_some((colons[0], colons[1]))
}

/// Reads a GameLift Streams ARN in place: the resource's ID and the ARN's parts.
fn parse_arn(s: &str) -> Result<(&str, ArnRef<'_>), ArnError> {
    let malformed = || ArnError::Malformed(s.into());
    let rest = s.strip_prefix(ARN_PREFIX).ok_or_else(malformed)?;
    let arn = |region, account, (id, resource, group)| {
        (
            id,
            ArnRef {
                region,
                account,
                resource,
                group,
            },
        )
    };
    // The common case first, read once: a region up to the first `:` (no space before it), the
    // twelve digits and their `:`, and a resource this crate knows. A known resource is only
    // `[a-zA-Z0-9-/]`, so it has no `:` or space, and the model's pattern holds.
    if let Some(first) = rest.bytes().position(|b| b == b':' || b == b' ') {
        let account = rest.get(first + 1..first + 13);
        if rest.as_bytes()[first] == b':' && rest.as_bytes().get(first + 13) == Some(&b':') {
            let account = account.and_then(AccountId::parse_digits);
            let resource = parse_resource(&rest[first + 14..]);
            if let (Some(account), Some(resource)) = (account, resource) {
                return Ok(arn(&rest[..first], account, resource));
            }
        }
    }
    // Otherwise the full pattern, to say what is wrong: ([^: ]*):([0-9]{12}):([^: ]*). One pass
    // over the bytes (a `:` or a space is never part of a longer UTF-8 sequence, so the byte
    // positions are char bounds).
    let (first, second) = arn_colons(rest).ok_or_else(malformed)?;
    let (region, account, resource) = (
        &rest[..first],
        &rest[first + 1..second],
        &rest[second + 1..],
    );
    let account = AccountId::parse_digits(account).ok_or_else(malformed)?;
    let resource = parse_resource(resource).ok_or_else(|| ArnError::UnknownResource(s.into()))?;
    Ok(arn(region, account, resource))
}

/// The resource part of an ARN, if it is one this crate knows: the resource's ID, its type, and
/// for a stream session its group's ID.
fn parse_resource(resource: &str) -> Option<(&str, ResourceType, Option<&str>)> {
    // The type is what comes before the first `/`; none of the four contains one.
    let grouped = if let Some(path) = resource.strip_prefix("streamsession/") {
        Some((ResourceType::StreamSession, path))
    } else {
        resource
            .strip_prefix("streamurl/")
            .map(|path| (ResourceType::StreamUrl, path))
    };
    if let Some((kind, path)) = grouped {
        // `GROUP/ID`: the group runs up to the first byte outside `[a-zA-Z0-9-]`, which must be
        // that `/`.
        let group = alnum_dash_prefix(path.as_bytes());
        if group > 0 && path.as_bytes().get(group) == Some(&b'/') {
            let id = &path[group + 1..];
            if is_alnum_dash(id) {
                return Some((id, kind, Some(&path[..group])));
            }
        }
        return None;
    }
    let (kind, path) = if let Some(path) = resource.strip_prefix("streamgroup/") {
        (ResourceType::StreamGroup, path)
    } else if let Some(path) = resource.strip_prefix("application/") {
        (ResourceType::Application, path)
    } else {
        return None;
    };
    is_alnum_dash(path).then_some((path, kind, None))
}

impl FromStr for ResourceArn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (id, arn) = parse_arn(s)?;
        Ok(ResourceArn::from_parts(id, arn))
    }
}

impl ResourceArn {
    /// The owned ARN of what [`parse_arn`] read.
    fn from_parts(id: &str, arn: ArnRef<'_>) -> ResourceArn {
        let resource = match (arn.resource, arn.group) {
            (ResourceType::Application, _) => ArnResource::Application(id.into()),
            (ResourceType::StreamGroup, _) => ArnResource::StreamGroup(id.into()),
            (ResourceType::StreamSession, group) => ArnResource::StreamSession {
                group: group.unwrap_or_default().into(),
                session: id.into(),
            },
            (ResourceType::StreamUrl, group) => ArnResource::StreamUrl {
                group: group.unwrap_or_default().into(),
                url: id.into(),
            },
        };
        ResourceArn {
            region: arn.region.into(),
            account: arn.account,
            resource,
        }
    }
}

impl fmt::Display for ResourceArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:aws:gameliftstreams:{}:{}:",
            self.region, self.account
        )?;
        match &self.resource {
            ArnResource::Application(id) => write!(f, "application/{id}"),
            ArnResource::StreamGroup(id) => write!(f, "streamgroup/{id}"),
            ArnResource::StreamSession { group, session } => {
                write!(f, "streamsession/{group}/{session}")
            }
            ArnResource::StreamUrl { group, url } => write!(f, "streamurl/{group}/{url}"),
        }
    }
}

/// `arn:aws:gameliftstreams:REGION:ACCOUNT:` followed by `parts`, in one allocation.
///
/// Inlined, so that the literal parts are copied as constants rather than by `memcpy`.
#[inline(always)]
fn arn_of(region: &str, account: AccountId, parts: &[&str]) -> String {
    let mut s = arn_head(region, account, parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `arn:aws:gameliftstreams:REGION:ACCOUNT:`, with room for `more` bytes after it.
fn arn_head(region: &str, account: AccountId, more: usize) -> String {
    let mut s = String::with_capacity(ARN_PREFIX.len() + region.len() + 14 + more);
    s.push_str(ARN_PREFIX);
    s.push_str(region);
    s.push(':');
    account.push_to(&mut s);
    s.push(':');
    s
}

/// The ARN of an application.
pub fn application_arn(region: &str, account: AccountId, id: &str) -> String {
    arn_of(region, account, &["application/", id])
}

/// The ARN of a stream group.
pub fn stream_group_arn(region: &str, account: AccountId, id: &str) -> String {
    arn_of(region, account, &["streamgroup/", id])
}

/// The ARN of a stream session.
pub fn stream_session_arn(region: &str, account: AccountId, group: &str, session: &str) -> String {
    arn_of(region, account, &["streamsession/", group, "/", session])
}

/// The ARN of a stream URL.
pub fn stream_url_arn(region: &str, account: AccountId, group: &str, url: &str) -> String {
    arn_of(region, account, &["streamurl/", group, "/", url])
}

/// The value of an `Identifier` member: an ID, or an ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identifier {
    /// A bare ID (`sg-1AB2C3De4`).
    Id(String),
    /// An ARN, parsed.
    Arn(ResourceArn),
}

impl Identifier {
    /// Parses an identifier that already passed the model's `Identifier` pattern check. An ARN
    /// whose resource part is not one this crate knows is an error.
    pub fn parse(s: &str) -> Result<Identifier, ArnError> {
        let parsed = IdentifierRef::parse(s)?;
        Ok(match parsed.arn {
            None => Identifier::Id(s.into()),
            Some(arn) => Identifier::Arn(ResourceArn::from_parts(parsed.id, arn)),
        })
    }
}

/// Deterministic IDs: the same seed and the same sequence of requests give the same IDs.
///
/// A SplitMix64 stream over the seed. IDs use the documented shapes: `sg-` and 9
/// alphanumerics for stream groups, `a-` and 9 for applications, 13 for stream sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdGenerator {
    seed: u64,
    drawn: u64,
}

/// SplitMix64's finalizer: a bijection of `u64` whose every output bit depends on every input
/// bit. Stable, so that seeded choices are the same on every platform and release.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub(crate) const ALPHANUMERIC: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl IdGenerator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed, drawn: 0 }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.drawn = self.drawn.wrapping_add(1);
        mix64(
            self.seed
                .wrapping_add(self.drawn.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        )
    }

    fn id(&mut self, prefix: &str, n: usize) -> ResourceId {
        let mut s = String::with_capacity(prefix.len() + n);
        s.push_str(prefix);
        let mut bits = self.next_u64();
        for i in 0..n {
            // Nine base-62 digits use 54 bits; draw afresh for longer IDs.
            if i > 0 && i % 9 == 0 {
                bits = self.next_u64();
            }
            s.push(char::from(ALPHANUMERIC[(bits % 62) as usize]));
            bits /= 62;
        }
        // Prefix and alphabet are [a-zA-Z0-9-] and at most 15 long, so this cannot fail.
        ResourceId::new(&s).expect("generated IDs are valid ResourceIds")
    }

    /// A new stream group ID, `sg-` + 9 alphanumerics.
    pub fn stream_group_id(&mut self) -> ResourceId {
        self.id("sg-", 9)
    }

    /// A new application ID, `a-` + 9 alphanumerics.
    pub fn application_id(&mut self) -> ResourceId {
        self.id("a-", 9)
    }

    /// A new stream URL ID, `su-` + 9 alphanumerics.
    pub fn stream_url_id(&mut self) -> ResourceId {
        self.id("su-", 9)
    }

    /// `n` random alphanumerics (a stream URL's token, an admin shell's credentials).
    pub fn alphanumerics(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        let mut bits = self.next_u64();
        for i in 0..n {
            if i > 0 && i % 9 == 0 {
                bits = self.next_u64();
            }
            s.push(char::from(ALPHANUMERIC[(bits % 62) as usize]));
            bits /= 62;
        }
        s
    }

    /// A new stream session ID, 13 alphanumerics. (The engine does not draw its sessions' IDs
    /// here: its IDs encode each session's creation number, so that no index is needed to find
    /// one. This serves embedders that want IDs of the same shape.)
    pub fn stream_session_id(&mut self) -> ResourceId {
        self.id("", 13)
    }
}
