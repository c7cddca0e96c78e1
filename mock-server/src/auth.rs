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
    /// With `--credentials`: signatures are verified, and only these keys are let in.
    credentials: Option<Credentials>,
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
    /// Verifies every request's SigV4 signature with `credentials` from now on (their accounts
    /// take the place of the access-key rules).
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Whether signatures are verified.
    pub fn verifies_signatures(&self) -> bool {
        self.credentials.is_some()
    }

    /// The account of an API request: by its verified signature with `--credentials`, else by
    /// its access key ID.
    pub(crate) fn caller_of(
        &self,
        method: &str,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<AccountId, AwsError> {
        match &self.credentials {
            Some(credentials) => credentials.verify(method, uri, headers, body),
            None => self.caller(headers),
        }
    }

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
    parse_authorization(value).map(|parts| parts.key)
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

/// The credentials of `--credentials`: access key ID → secret key and account. With them,
/// every API request must carry a valid SigV4 signature by one of them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    keys: BTreeMap<String, (String, AccountId)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The secrets are never printed.
        f.debug_struct("Credentials")
            .field("access_key_ids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One entry of a `--credentials` file.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct CredentialEntry {
    access_key_id: String,
    secret_access_key: String,
    account_id: String,
}

impl Credentials {
    /// Reads a `--credentials` file: a JSON array of
    /// `{"AccessKeyId": …, "SecretAccessKey": …, "AccountId": …}`.
    pub fn from_json(bytes: &[u8]) -> Result<Credentials, String> {
        let entries: Vec<CredentialEntry> =
            serde_json::from_slice(bytes).map_err(|e| format!("not a credentials file: {e}"))?;
        let mut keys = BTreeMap::new();
        for e in entries {
            if e.access_key_id.is_empty() || e.secret_access_key.is_empty() {
                return Err("an entry has an empty AccessKeyId or SecretAccessKey".into());
            }
            let account = e
                .account_id
                .parse()
                .map_err(|err| format!("AccountId of {}: {err}", e.access_key_id))?;
            if keys
                .insert(e.access_key_id.clone(), (e.secret_access_key, account))
                .is_some()
            {
                return Err(format!("access key ID {} appears twice", e.access_key_id));
            }
        }
        if keys.is_empty() {
            return Err("the credentials file has no entry".into());
        }
        Ok(Credentials { keys })
    }

    /// Adds one access key.
    pub fn insert(&mut self, access_key_id: &str, secret_access_key: &str, account: AccountId) {
        self.keys.insert(
            access_key_id.to_owned(),
            (secret_access_key.to_owned(), account),
        );
    }

    /// The account of a request whose SigV4 signature is valid for one of the keys: the
    /// signature is computed again over the request as received (with aws-sigv4, the SDKs' own
    /// signer) and compared in constant time. An unknown key is `UnrecognizedClientException`,
    /// a wrong signature `InvalidSignatureException`, both 403 as the service answers them.
    pub(crate) fn verify(
        &self,
        method: &str,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<AccountId, AwsError> {
        let value = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                AwsError::access_denied(
                    "Missing Authentication Token: the request has no SigV4 Authorization header",
                )
            })?;
        let parts = parse_authorization(value).map_err(|why| {
            AwsError::access_denied(format!(
                "The Authorization header is not a SigV4 header ({why})"
            ))
        })?;
        let Some((secret, account)) = self.keys.get(parts.key) else {
            return Err(AwsError::with_code(
                axum::http::StatusCode::FORBIDDEN,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ));
        };
        let bad = |why: &str| {
            AwsError::with_code(
                axum::http::StatusCode::FORBIDDEN,
                "InvalidSignatureException",
                format!(
                    "The request signature we calculated does not match the signature you \
                     provided ({why}). Check your AWS Secret Access Key and signing method."
                ),
            )
        };
        let date = headers
            .get("x-amz-date")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| bad("no X-Amz-Date header"))?;
        let time = chrono::NaiveDateTime::parse_from_str(date, "%Y%m%dT%H%M%SZ")
            .map_err(|_| bad("X-Amz-Date is not YYYYMMDDTHHMMSSZ"))?
            .and_utc();
        if time.format("%Y%m%d").to_string() != parts.date {
            return Err(bad("the credential scope's date is not X-Amz-Date's"));
        }
        let token = headers
            .get("x-amz-security-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let identity: aws_smithy_runtime_api::client::identity::Identity =
            aws_credential_types::Credentials::new(parts.key, secret, token, None, "mock").into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(parts.region)
            .name(parts.service)
            .time(std::time::SystemTime::from(time))
            .settings(aws_sigv4::http_request::SigningSettings::default())
            .build()
            .map_err(|_| bad("unusable signing parameters"))?
            .into();
        // The headers the client signed, as received; the date and token are the signer's own.
        let mut signed = Vec::new();
        for name in parts.signed_headers.split(';') {
            if matches!(name, "x-amz-date" | "x-amz-security-token") {
                continue;
            }
            let values: Vec<&str> = headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            if values.is_empty() {
                return Err(bad(&format!("the signed header {name} is missing")));
            }
            for v in values {
                signed.push((name, v));
            }
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let request = aws_sigv4::http_request::SignableRequest::new(
            method,
            format!("http://{host}{path}"),
            signed.into_iter(),
            aws_sigv4::http_request::SignableBody::Bytes(body),
        )
        .map_err(|_| bad("the request cannot be signed"))?;
        let expected = aws_sigv4::http_request::sign(request, &params)
            .map_err(|_| bad("the request cannot be signed"))?;
        if !constant_time_eq(expected.signature().as_bytes(), parts.signature.as_bytes()) {
            return Err(bad("signature mismatch"));
        }
        Ok(*account)
    }
}

/// Whether `a == b`, in time that depends on the lengths only: for secrets (signatures, the
/// control token).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The parts of a SigV4 `Authorization` header.
struct AuthorizationParts<'a> {
    key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<AuthorizationParts<'_>, &'static str> {
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
    let signed_headers = signed_headers.ok_or("it has no SignedHeaders")?;
    let signature = signature.ok_or("it has no Signature")?;
    let scope: Vec<&str> = credential.split('/').collect();
    match scope[..] {
        [key, date, region, service, "aws4_request"]
            if [key, date, region, service].iter().all(|s| !s.is_empty()) =>
        {
            Ok(AuthorizationParts {
                key,
                date,
                region,
                service,
                signed_headers,
                signature,
            })
        }
        _ => Err("its Credential is not KEY/DATE/REGION/SERVICE/aws4_request"),
    }
}
