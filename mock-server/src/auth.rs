//! Callers: every API request carries a SigV4 `Authorization` header, and its access key ID
//! picks the account. Signatures are not verified: the mock trusts loopback callers, but a
//! request without a well-formed header is refused as the service would refuse it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use gameliftstreams_lifecycle::AccountId;

use crate::error::AwsError;

/// The only algorithm the service accepts.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Which account each access key ID acts for.
///
/// An access key ID of exactly 12 digits is that account; any other key is looked up in the
/// map; a key in neither acts for [`AccountId::DEFAULT`] (`123456789012`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountMap {
    keys: BTreeMap<String, AccountId>,
}

impl AccountMap {
    /// An empty map: 12-digit keys are their own account, every other key the default one.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `access_key_id` to `account`.
    pub fn insert(&mut self, access_key_id: impl Into<String>, account: AccountId) {
        self.keys.insert(access_key_id.into(), account);
    }

    /// The account `access_key_id` acts for.
    pub fn account(&self, access_key_id: &str) -> AccountId {
        if access_key_id.len() == 12 && access_key_id.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(account) = access_key_id.parse() {
                return account;
            }
        }
        self.keys
            .get(access_key_id)
            .copied()
            .unwrap_or(AccountId::DEFAULT)
    }

    /// The account of a request, from its `Authorization` header; `AccessDeniedException`
    /// when the header is missing or is not a SigV4 header.
    pub(crate) fn caller(&self, headers: &HeaderMap) -> Result<AccountId, AwsError> {
        let value = headers.get(AUTHORIZATION).ok_or_else(|| {
            AwsError::access_denied(
                "Missing Authentication Token: the request has no SigV4 Authorization header",
            )
        })?;
        let value = value.to_str().map_err(|_| {
            AwsError::access_denied("The Authorization header is not valid ASCII text")
        })?;
        let key = access_key_id(value).map_err(|why| {
            AwsError::access_denied(format!(
                "The Authorization header is not a SigV4 header ({why}); expected \
                 '{ALGORITHM} Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=…, Signature=…'"
            ))
        })?;
        Ok(self.account(key))
    }
}

/// One `KEY=ACCOUNT` entry of an [`AccountMap`], as the `--account-map` option spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountMapping {
    /// The access key ID.
    pub access_key_id: String,
    /// The account it acts for.
    pub account: AccountId,
}

impl FromStr for AccountMapping {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (key, account) = s
            .split_once('=')
            .ok_or_else(|| format!("'{s}' is not KEY=ACCOUNT"))?;
        if key.is_empty() {
            return Err(format!("'{s}' has an empty access key ID"));
        }
        let account = account
            .parse()
            .map_err(|e| format!("'{account}' is not an account ID: {e}"))?;
        Ok(Self {
            access_key_id: key.to_owned(),
            account,
        })
    }
}

impl fmt::Display for AccountMapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.access_key_id, self.account)
    }
}

impl FromIterator<AccountMapping> for AccountMap {
    fn from_iter<I: IntoIterator<Item = AccountMapping>>(iter: I) -> Self {
        let mut map = AccountMap::new();
        for m in iter {
            map.insert(m.access_key_id, m.account);
        }
        map
    }
}

/// The access key ID of a SigV4 `Authorization` header value:
/// `AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=…,
/// Signature=…`. The scope's region and service are not checked against the server's.
fn access_key_id(value: &str) -> Result<&str, &'static str> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .ok_or("it does not start with the AWS4-HMAC-SHA256 algorithm")?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (name, value) = part
            .trim()
            .split_once('=')
            .ok_or("a component is not NAME=VALUE")?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if value.is_empty() {
            return Err("a component is empty");
        }
        *slot = Some(value);
    }
    let credential = credential.ok_or("it has no Credential")?;
    signed_headers.ok_or("it has no SignedHeaders")?;
    signature.ok_or("it has no Signature")?;
    let scope: Vec<&str> = credential.split('/').collect();
    match scope[..] {
        [key, date, region, service, "aws4_request"]
            if [key, date, region, service].iter().all(|s| !s.is_empty()) =>
        {
            Ok(key)
        }
        _ => Err("its Credential is not KEY/DATE/REGION/SERVICE/aws4_request"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/gameliftstreams/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123";

    #[test]
    fn parses_the_access_key_id() {
        assert_eq!(access_key_id(GOOD), Ok("AKIDEXAMPLE"));
    }

    #[test]
    fn refuses_what_is_not_sigv4() {
        for bad in [
            "",
            "Bearer token",
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256Credential=A/B/C/D/aws4_request, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=A/B/C/D/aws4_request, SignedHeaders=host",
            "AWS4-HMAC-SHA256 Credential=A/B/C/D/aws4_request, Signature=x",
            "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=A/B/C/aws4_request, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=/B/C/D/aws4_request, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=A/B/C/D/E, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=x",
            "AWS4-HMAC-SHA256 garbage",
        ] {
            assert!(access_key_id(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn picks_the_account() {
        let mut map = AccountMap::new();
        map.insert("AKIDMAPPED", "111111111111".parse().unwrap());
        assert_eq!(map.account("222222222222").to_string(), "222222222222");
        assert_eq!(map.account("AKIDMAPPED").to_string(), "111111111111");
        assert_eq!(map.account("AKIDOTHER"), AccountId::DEFAULT);
        assert_eq!(map.account("12345678901"), AccountId::DEFAULT);
    }

    #[test]
    fn parses_account_mappings() {
        let m: AccountMapping = "AKID=111111111111".parse().unwrap();
        assert_eq!(m.to_string(), "AKID=111111111111");
        assert!("AKID".parse::<AccountMapping>().is_err());
        assert!("=111111111111".parse::<AccountMapping>().is_err());
        assert!("AKID=12".parse::<AccountMapping>().is_err());
    }
}
