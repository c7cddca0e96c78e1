//! Signal responses: the WebRTC answer the service returns for a signal request (offer).
//!
//! The engine asks a pluggable [`SignalResponder`]; the default, [`DefaultResponder`], returns a
//! deterministic answer-shaped JSON string derived from the session and the offer.

use std::fmt;

use crate::engine::config::SignalPolicy;
use crate::fnv::fnv1a;

/// What a responder is told about the offer it answers.
#[derive(Clone, Copy, Debug)]
pub struct SignalContext<'a> {
    /// The stream session's ARN.
    pub session_arn: &'a str,
    /// The location the session runs in.
    pub location: &'a str,
    /// 0 for the offer of `StartStreamSession`, then 1, 2, … for each
    /// `CreateStreamSessionConnection`.
    pub connection: u32,
    /// The offer. Sensitive: never log it.
    pub signal_request: &'a str,
}

/// Produces signal responses. Implementations must be deterministic for the engine to be.
pub trait SignalResponder: fmt::Debug + Send + Sync {
    /// The answer to `context.signal_request`.
    fn respond(&self, context: &SignalContext<'_>) -> String;

    /// The same answer, given also `digest`, the 64-bit FNV-1a digest of
    /// `context.signal_request` that the engine keeps anyway: a responder that only needs a
    /// digest of the offer can avoid rereading an offer of kilobytes on every
    /// `GetStreamSession`. Must equal [`respond`](Self::respond); the default calls it.
    fn respond_with_digest(&self, context: &SignalContext<'_>, digest: u64) -> String {
        let _ = digest;
        self.respond(context)
    }

    /// Whether `signal_request` is acceptable under [`SignalPolicy::Strict`]. The default accepts
    /// `NO_CLIENT_CONNECTION` and JSON objects whose `"type"` is `"offer"`.
    fn accepts(&self, signal_request: &str) -> bool {
        signal_request == NO_CLIENT_CONNECTION || is_json_offer(signal_request)
    }
}

/// The signal request that starts a session with no client: it waits for a
/// `CreateStreamSessionConnection` from a browser.
pub const NO_CLIENT_CONNECTION: &str = "NO_CLIENT_CONNECTION";

/// The default responder: `{"type":"answer","sdp":"…"}` with an SDP that names the session and
/// a digest of the offer, so that equal inputs give equal answers and different offers differ.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultResponder;

impl SignalResponder for DefaultResponder {
    fn respond(&self, c: &SignalContext<'_>) -> String {
        self.respond_with_digest(c, fnv1a(c.signal_request.as_bytes()))
    }

    fn respond_with_digest(&self, c: &SignalContext<'_>, digest: u64) -> String {
        // Built piece by piece rather than with `format!`: this runs for every report of an
        // answer (GetStreamSession included), since answers are derived, not stored.
        let mut s = String::with_capacity(200 + c.location.len() + c.session_arn.len());
        s.push_str(r#"{"type":"answer","sdp":"v=0\r\no=- "#);
        push_u64(&mut s, digest);
        s.push(' ');
        push_u64(&mut s, u64::from(c.connection) + 1);
        s.push_str(r#" IN IP4 127.0.0.1\r\ns=gameliftstreams-mock\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\na=x-location:"#);
        s.push_str(c.location);
        s.push_str(r#"\r\na=x-session:"#);
        s.push_str(c.session_arn);
        s.push_str(r#"\r\n"}"#);
        s
    }
}

fn push_u64(s: &mut String, mut n: u64) {
    // Two digits a division: this runs for every answer reported, digest included.
    const PAIRS: [u8; 200] = {
        let mut pairs = [0u8; 200];
        let mut i = 0;
        while i < 100 {
            pairs[2 * i] = b'0' + (i / 10) as u8;
            pairs[2 * i + 1] = b'0' + (i % 10) as u8;
            i += 1;
        }
        pairs
    };
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        digits[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        i -= 2;
        digits[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        i -= 1;
        digits[i] = b'0' + n as u8;
    }
    // ASCII digits, so this cannot fail.
    s.push_str(std::str::from_utf8(&digits[i..]).unwrap_or("0"));
}

/// Whether the signal policy accepts `signal_request`.
pub(crate) fn acceptable(
    policy: SignalPolicy,
    responder: &dyn SignalResponder,
    signal_request: &str,
) -> bool {
    match policy {
        SignalPolicy::Lenient => true,
        SignalPolicy::Strict => responder.accepts(signal_request),
    }
}

/// Whether `s` is a JSON object with a top-level `"type": "offer"` member. A small strict JSON
/// reader (nesting limited to 64 levels), so the core needs no JSON dependency.
pub fn is_json_offer(s: &str) -> bool {
    let mut r = Reader {
        b: s.as_bytes(),
        i: 0,
    };
    r.ws();
    let Some(type_value) = r.top_level_object_type() else {
        return false;
    };
    r.ws();
    r.i == r.b.len() && type_value == "offer"
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Reads an object and returns its `"type"` member's string value ("" if absent or not a
    /// string), or `None` if it is not valid JSON.
    fn top_level_object_type(&mut self) -> Option<String> {
        if !self.eat(b'{') {
            return None;
        }
        let mut found = String::new();
        self.ws();
        if self.eat(b'}') {
            return Some(found);
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            if !self.eat(b':') {
                return None;
            }
            self.ws();
            if key == "type" && self.peek() == Some(b'"') {
                found = self.string()?;
            } else {
                self.value(1)?;
            }
            self.ws();
            if self.eat(b',') {
                continue;
            }
            return self.eat(b'}').then_some(found);
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > 64 {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => {
                self.i += 1;
                self.ws();
                if self.eat(b'}') {
                    return Some(());
                }
                loop {
                    self.ws();
                    self.string()?;
                    self.ws();
                    if !self.eat(b':') {
                        return None;
                    }
                    self.ws();
                    self.value(depth + 1)?;
                    self.ws();
                    if self.eat(b',') {
                        continue;
                    }
                    return self.eat(b'}').then_some(());
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.eat(b']') {
                    return Some(());
                }
                loop {
                    self.ws();
                    self.value(depth + 1)?;
                    self.ws();
                    if self.eat(b',') {
                        continue;
                    }
                    return self.eat(b']').then_some(());
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    fn number(&mut self) -> Option<()> {
        let start = self.i;
        self.eat(b'-');
        let digits = |r: &mut Self| {
            let s = r.i;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.i += 1;
            }
            r.i > s
        };
        if !digits(self) {
            return None;
        }
        if self.eat(b'.') && !digits(self) {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if !digits(self) {
                return None;
            }
        }
        (self.i > start).then_some(())
    }

    fn string(&mut self) -> Option<String> {
        if !self.eat(b'"') {
            return None;
        }
        let mut out = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' | b'f' | b'n' | b'r' | b't' => out.push(b' '),
                        b'u' => {
                            let hex = self.b.get(self.i..self.i + 4)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 4;
                            out.push(b'?');
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut cases = vec![
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            101,
            999,
            1000,
            u64::MAX,
            u64::MAX - 1,
        ];
        cases.extend((0..20).map(|k| 10u64.pow(k)));
        cases.extend((1..20).map(|k| 10u64.pow(k) - 1));
        for n in cases {
            let mut s = String::from("x");
            push_u64(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn json_offers() {
        for ok in [
            r#"{"type":"offer","sdp":"v=0\r\n"}"#,
            r#" { "sdp" : [1, 2.5e3, -0.1, true, null, {"a": {}}], "type": "offer" } "#,
        ] {
            assert!(is_json_offer(ok), "{ok}");
        }
        for bad in [
            "",
            "v=0",
            r#"{"type":"answer"}"#,
            r#"{"type":"offer""#,
            r#"{"type":"offer"} x"#,
            r#"{"type": offer}"#,
            r#"["type","offer"]"#,
            r#"{"type":"offer","n":01x}"#,
            r#"{"type":"offer","n":1.}"#,
            r#"{"type":"of\u00zz"}"#,
        ] {
            assert!(!is_json_offer(bad), "{bad}");
        }
        let deep = format!(
            "{{\"type\":\"offer\",\"x\":{}{}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(!is_json_offer(&deep), "nesting is limited");
    }

    #[test]
    fn default_answers_are_deterministic_json_answers() {
        let c = SignalContext {
            session_arn: "arn:aws:gameliftstreams:us-east-1:123456789012:streamsession/sg-1/S",
            location: "us-east-1",
            connection: 0,
            signal_request: "offer",
        };
        let a = DefaultResponder.respond(&c);
        assert_eq!(a, DefaultResponder.respond(&c));
        assert!(a.starts_with(r#"{"type":"answer","sdp":"v=0"#), "{a}");
        let other = DefaultResponder.respond(&SignalContext {
            signal_request: "offer2",
            ..c
        });
        assert_ne!(a, other);
        // The digest the engine passes is the one `respond` computes.
        assert_eq!(DefaultResponder.respond_with_digest(&c, fnv1a(b"offer")), a);
    }
}
