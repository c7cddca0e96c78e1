//! `--credentials` (issue 13, item 10): with credentials, every API request must carry a valid
//! SigV4 signature, verified by computing it again with aws-sigv4 (what the SDKs sign with);
//! an unknown key and a wrong signature are refused as the service refuses them.

use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::config::retry::RetryConfig;
use aws_sdk_gameliftstreams::config::{BehaviorVersion, Credentials as SdkCredentials, Region};
use aws_sdk_gameliftstreams::error::ProvideErrorMetadata;
use gameliftstreams_mock::{AccountMap, Credentials, ServerConfig};

use crate::common::*;

const KEY: &str = "AKIAMOCKTESTKEY00001";
const SECRET: &str = "mock/secret+access/key0123456789abcdefgh";
const OTHER_KEY: &str = "AKIAMOCKTESTKEY00002";

fn signed_config() -> ServerConfig {
    let mut credentials = Credentials::default();
    credentials.insert(KEY, SECRET, "111122223333".parse().unwrap());
    credentials.insert(OTHER_KEY, "another secret", "444455556666".parse().unwrap());
    ServerConfig {
        accounts: AccountMap::new().with_credentials(credentials),
        ..test_config()
    }
}

fn client(mock: &TestServer, key: &str, secret: &str) -> Client {
    let config = aws_sdk_gameliftstreams::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(SdkCredentials::new(key, secret, None, None, "tests"))
        .endpoint_url(mock.url())
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn signed_requests_act_for_their_key_s_account() {
    let mock = TestServer::start_with(signed_config()).await;
    let me = client(&mock, KEY, SECRET);
    // Bodies, path labels (an ARN, percent-encoded) and query strings are all signed.
    let (app, group) = app_and_group(&me).await;
    assert!(app.contains(":111122223333:"), "{app}");
    me.tag_resource()
        .resource_arn(&group)
        .tags("team", "a b/c")
        .send()
        .await
        .expect("a signed POST with an ARN label");
    me.untag_resource()
        .resource_arn(&group)
        .tag_keys("team")
        .tag_keys("x y")
        .send()
        .await
        .expect("a signed DELETE with a query list");
    let listed = me
        .list_stream_sessions()
        .identifier(&group)
        .max_results(5)
        .send()
        .await
        .expect("a signed GET with a query");
    assert!(listed.items().is_empty());
    // The other key acts for its own account.
    let other = client(&mock, OTHER_KEY, "another secret");
    let theirs = other.list_applications().send().await.unwrap();
    assert!(theirs.items().is_empty());
}

#[tokio::test]
async fn a_wrong_secret_or_an_unknown_key_is_refused() {
    let mock = TestServer::start_with(signed_config()).await;
    let wrong = client(&mock, KEY, "not the secret");
    let err = wrong.list_applications().send().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(403));
    let unknown = client(&mock, "AKIAUNKNOWN000000000", SECRET);
    let err = unknown.list_applications().send().await.unwrap_err();
    assert_eq!(err.code(), Some("UnrecognizedClientException"), "{err:?}");
    // A header that parses but signs nothing, as the mock accepted without --credentials.
    let r = mock
        .raw(
            "GET",
            "/applications",
            &[
                ("Authorization", &AUTHORIZATION.replace("AKIDEXAMPLE", KEY)),
                ("X-Amz-Date", "20260101T000000Z"),
            ],
            b"",
        )
        .await;
    r.assert_error(403, "InvalidSignatureException");
    let r = mock.raw("GET", "/applications", &[], b"").await;
    r.assert_error(403, "AccessDeniedException");
}

#[tokio::test]
async fn a_tampered_request_fails_its_signature() {
    let mock = TestServer::start_with(signed_config()).await;
    // Sign a request with the SDK's signer, then change its body.
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let identity = aws_credential_types::Credentials::new(KEY, SECRET, None, None, "t").into();
    let now = std::time::SystemTime::now();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-west-2")
        .name("gameliftstreams")
        .time(now)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let address = mock.url().trim_start_matches("http://").to_owned();
    let body = br#"{"Description":"signed"}"#;
    let headers = [
        ("host", address.as_str()),
        ("content-type", "application/json"),
    ];
    let request = SignableRequest::new(
        "POST",
        format!("{}/applications", mock.url()),
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let mut signed: Vec<(String, String)> = instructions
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    signed.push(("content-type".into(), "application/json".into()));
    let signed: Vec<(&str, &str)> = signed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // As signed: it reaches the operation (which refuses the incomplete input).
    let r = mock.raw("POST", "/applications", &signed, body).await;
    r.assert_error(400, "ValidationException");
    // One byte changed: the signature no longer matches.
    let r = mock
        .raw(
            "POST",
            "/applications",
            &signed,
            br#"{"Description":"signeD"}"#,
        )
        .await;
    r.assert_error(403, "InvalidSignatureException");
}

/// `--control-token`: every request under `/_mock/` needs it (header or query parameter), but
/// the input module the Web SDK loads from another origin; the API itself does not.
#[tokio::test]
async fn the_control_api_needs_the_control_token_when_one_is_set() {
    let mock = TestServer::start_with(ServerConfig {
        control_token: Some("s3cret-token".into()),
        ..test_config()
    })
    .await;
    for path in ["/_mock/health", "/_mock/snapshot", "/_mock/play"] {
        let r = mock.raw("GET", path, &[], b"").await;
        r.assert_error(403, "AccessDeniedException");
        let r = mock
            .raw(
                "GET",
                path,
                &[("x-mock-control-token", "s3cret-tokeN")],
                b"",
            )
            .await;
        r.assert_error(403, "AccessDeniedException");
        let r = mock
            .raw(
                "GET",
                path,
                &[("x-mock-control-token", "s3cret-token")],
                b"",
            )
            .await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        let r = mock
            .raw(
                "GET",
                &format!("{path}?control-token=s3cret-token"),
                &[],
                b"",
            )
            .await;
        assert_eq!(r.status, 200, "{path} by query: {}", r.text());
    }
    let r = mock.raw("POST", "/_mock/reset", &[], b"").await;
    r.assert_error(403, "AccessDeniedException");
    let r = mock.raw("GET", "/_mock/webrtc/input.js", &[], b"").await;
    assert_eq!(r.status, 200, "the input module needs no token");
    // The API is the signatures' business, not the control token's.
    let apps = mock.client().list_applications().send().await.unwrap();
    assert!(apps.items().is_empty());
}
