//! The model's string patterns, each as its verbatim text and a hand-written check exactly
//! equivalent to it (no regex engine).
//!
//! Every pattern is matched against the **whole** value. Where a pattern uses `.`, it matches
//! any character except the ECMAScript line terminators (`\n`, `\r`, U+2028, U+2029), as
//! Smithy patterns are ECMA-262 regular expressions; `\d` and `[0-9]` are ASCII digits only.

use crate::validate::{digit_prefix, is_alnum_dash};

/// The pattern of the model's `Identifier` shape: an ID or a GameLift Streams ARN.
pub const IDENTIFIER_PATTERN: &str =
    "(^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)$)";

/// The pattern of the model's `Arn` shape.
pub const ARN_PATTERN: &str = "arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)";

/// The pattern of the model's `Id` shape.
pub const ID_PATTERN: &str = "[a-zA-Z0-9-]+";

/// The pattern of the model's `LocationName` shape.
pub const LOCATION_NAME_PATTERN: &str = "[a-zA-Z0-9-]+";

/// The pattern of the model's `Description` shape.
pub const DESCRIPTION_PATTERN: &str = "[a-zA-Z0-9-_.!+@/][a-zA-Z0-9-_.!+@/ ]*";

/// The pattern of the model's `ClientToken` shape: printable ASCII, no space.
pub const CLIENT_TOKEN_PATTERN: &str = "[\\x21-\\x7E]+";

/// The pattern of the model's `UserId` shape.
pub const USER_ID_PATTERN: &str = "[-_a-zA-Z0-9/=+]*";

/// The pattern of the model's `EnvironmentVariablesKeyString` shape.
pub const ENVIRONMENT_VARIABLE_KEY_PATTERN: &str = "[_a-zA-Z][_a-zA-Z0-9]*";

/// The pattern of the model's `IamRoleArn` shape.
pub const IAM_ROLE_ARN_PATTERN: &str = "arn:aws[a-zA-Z-]*:iam::\\d{12}:role/.+";

/// The pattern of the model's `ApplicationLogOutputUri` shape: empty, or an S3 bucket URI with
/// an optional prefix.
pub const APPLICATION_LOG_OUTPUT_URI_PATTERN: &str =
    "$|^s3://([a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9])(/[a-zA-Z0-9._-]+)*/?";

/// The pattern of the model's `Ipv4CidrBlock` shape.
pub const IPV4_CIDR_BLOCK_PATTERN: &str = "(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])/([0-9]|[1-2][0-9]|3[0-2])";

/// The pattern of the model's `OutputUri` shape (`ExportFilesMetadata.OutputUri`).
pub const OUTPUT_URI_PATTERN: &str = "s3://.*(/|\\.zip|\\.ZIP)";

/// `.` of an ECMAScript pattern: any character but a line terminator.
fn is_dot(c: char) -> bool {
    !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// `[0-9]{n}` over the whole of `s`.
fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && digit_prefix(s.as_bytes()) == n
}

/// Whether `s` matches [`IDENTIFIER_PATTERN`]: an ID (`sg-1AB2C3De4`) or an ARN
/// (`arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4`).
pub fn is_identifier(s: &str) -> bool {
    is_alnum_dash(s) || is_arn(s)
}

/// Whether `s` matches [`ARN_PATTERN`]: `arn:aws:gameliftstreams:`, a region without `:` or
/// space, `:`, exactly 12 digits, `:`, a resource without `:` or space.
pub fn is_arn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(crate::arn::ARN_PREFIX) else {
        return false;
    };
    // `[^: ]` excludes `:`, so the three fields are exactly the `:`-separated parts.
    crate::arn::arn_colons(rest)
        .is_some_and(|(first, second)| is_digits(&rest[first + 1..second], 12))
}

/// Whether `s` matches [`ID_PATTERN`].
pub fn is_id(s: &str) -> bool {
    is_alnum_dash(s)
}

/// Whether `s` matches [`LOCATION_NAME_PATTERN`].
pub fn is_location_name(s: &str) -> bool {
    is_alnum_dash(s)
}

/// A character of `[a-zA-Z0-9-_.!+@/]` (the `-` after the range `0-9` is a literal).
fn is_description_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '!' | '+' | '@' | '/')
}

/// Whether `s` matches [`DESCRIPTION_PATTERN`]: letters, digits, `-_.!+@/` and spaces, not
/// starting with a space.
pub fn is_description(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_description_char)
        && chars.all(|c| c == ' ' || is_description_char(c))
}

/// Whether `s` matches [`CLIENT_TOKEN_PATTERN`]: one or more characters `!` (0x21) to `~` (0x7E).
pub fn is_client_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| (0x21..=0x7E).contains(&b))
}

/// Whether `s` matches [`USER_ID_PATTERN`] (the empty string does).
pub fn is_user_id(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'=' | b'+'))
}

/// Whether `s` matches [`ENVIRONMENT_VARIABLE_KEY_PATTERN`].
pub fn is_environment_variable_key(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// Whether `s` matches [`IAM_ROLE_ARN_PATTERN`]: `arn:aws`, a partition suffix of letters and
/// `-`, `:iam::`, exactly 12 digits, `:role/`, then at least one character that is not a line
/// terminator.
pub fn is_iam_role_arn(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("arn:aws") else {
        return false;
    };
    // `[a-zA-Z-]*` cannot contain `:`, so it ends at the first `:`.
    let Some(colon) = rest.find(':') else {
        return false;
    };
    let (partition, rest) = rest.split_at(colon);
    if !partition
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b'-')
    {
        return false;
    }
    let Some(rest) = rest.strip_prefix(":iam::") else {
        return false;
    };
    let Some((account, rest)) = rest.split_at_checked(12) else {
        return false;
    };
    let Some(name) = rest.strip_prefix(":role/") else {
        return false;
    };
    is_digits(account, 12) && !name.is_empty() && name.chars().all(is_dot)
}

/// Whether `s` matches [`APPLICATION_LOG_OUTPUT_URI_PATTERN`]: the empty string, or `s3://`, a
/// bucket name of 3–63 characters (`[a-zA-Z0-9._-]`, first and last alphanumeric), then
/// `/`-separated non-empty segments of `[a-zA-Z0-9._-]`, with an optional trailing `/`.
pub fn is_application_log_output_uri(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let Some(rest) = s.strip_prefix("s3://") else {
        return false;
    };
    // The bucket cannot contain `/`, and what follows it starts with `/` or is empty.
    let (bucket, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let inner = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    let bucket = bucket.as_bytes();
    let bucket_ok = match bucket {
        [first, middle @ .., last] => {
            (1..=61).contains(&middle.len())
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && middle.iter().all(|&b| inner(b))
        }
        _ => false,
    };
    if !bucket_ok {
        return false;
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    // `(/[a-zA-Z0-9._-]+)*`: empty, or `/seg/seg…` with non-empty segments.
    let mut segments = path.split('/');
    segments.next().is_some_and(str::is_empty)
        && segments.all(|seg| !seg.is_empty() && seg.bytes().all(inner))
}

/// `([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])`: 0–255 without leading zeros.
fn is_octet(s: &str) -> bool {
    is_decimal_at_most(s, 3, 255)
}

/// 1 to `max_digits` ASCII digits, no leading zero unless it is the only digit, value ≤ `max`.
fn is_decimal_at_most(s: &str, max_digits: usize, max: u32) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= max_digits
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b[0] != b'0')
        && b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) <= max
}

/// Whether `s` matches [`IPV4_CIDR_BLOCK_PATTERN`]: four octets 0–255 without leading zeros,
/// `/`, a prefix length 0–32 without leading zeros (`10.0.0.0/16`).
pub fn is_ipv4_cidr_block(s: &str) -> bool {
    let Some((address, prefix)) = s.split_once('/') else {
        return false;
    };
    let mut octets = address.split('.');
    let four = (0..4).all(|_| octets.next().is_some_and(is_octet));
    four && octets.next().is_none() && is_decimal_at_most(prefix, 2, 32)
}

/// Whether `s` matches [`OUTPUT_URI_PATTERN`]: `s3://`, then any characters but line
/// terminators, ending in `/`, `.zip` or `.ZIP`.
pub fn is_output_uri(s: &str) -> bool {
    s.strip_prefix("s3://").is_some_and(|rest| {
        (rest.ends_with('/') || rest.ends_with(".zip") || rest.ends_with(".ZIP"))
            && rest.chars().all(is_dot)
    })
}
