//! Signal requests as clients send them, read into an SDP offer str0m accepts, and the signal
//! response the Web SDK reads.
//!
//! Two forms are accepted: the Web SDK's JSON (`{"type":"offer","sdp":"…",…}`) and a bare SDP
//! offer (`v=0…`). The Web SDK's SDP needs one repair before str0m parses it: the SDK appends
//! `b=TIAS:…` and `b=AS:…` after the `a=` lines of the video section, where RFC 8866 allows one
//! `b=` line per bandwidth type *before* them, and str0m reads at most one. [`normalize`] keeps
//! one `b=` line per section (`b=AS` if there is one), placed where the RFC puts it.

use std::fmt;

use serde::Deserialize;
use str0m::change::SdpOffer;

/// The largest SDP read (the Web SDK's offer is about 7 kB).
pub(crate) const MAX_SDP_BYTES: usize = 64 * 1024;

/// Why a signal request is not an offer the WebRTC layer can answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OfferError {
    /// Neither JSON nor SDP.
    Form(&'static str),
    /// JSON, but not an offer object.
    Json(String),
    /// Larger than [`MAX_SDP_BYTES`].
    TooLarge(usize),
    /// SDP that str0m refuses.
    Sdp(String),
    /// No `m=application` section: the client would have no data channels.
    NoDataChannels,
}

impl fmt::Display for OfferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Form(why) => write!(f, "the signal request is not a WebRTC offer: {why}"),
            Self::Json(why) => write!(f, "the signal request is not a Web SDK offer: {why}"),
            Self::TooLarge(n) => write!(
                f,
                "the offer's SDP is {n} bytes; the mock reads at most {MAX_SDP_BYTES}"
            ),
            Self::Sdp(why) => write!(f, "the offer's SDP cannot be parsed: {why}"),
            Self::NoDataChannels => write!(
                f,
                "the offer has no m=application section: a stream needs the client's data channels"
            ),
        }
    }
}

/// The Web SDK's signal request. Members other than these (`webSdkVersion`, `extras`) are
/// read past.
#[derive(Deserialize)]
struct JsonOffer {
    r#type: String,
    sdp: String,
}

/// Reads a signal request into an offer str0m accepts.
pub(crate) fn parse(signal_request: &str) -> Result<SdpOffer, OfferError> {
    let text = signal_request.trim_start();
    let sdp = if text.starts_with('{') {
        let offer: JsonOffer =
            serde_json::from_str(text).map_err(|e| OfferError::Json(e.to_string()))?;
        if offer.r#type != "offer" {
            return Err(OfferError::Json(format!(
                "its type is \"{}\", not \"offer\"",
                offer.r#type.chars().take(32).collect::<String>()
            )));
        }
        offer.sdp
    } else if text.starts_with("v=") {
        text.to_owned()
    } else {
        return Err(OfferError::Form(
            "expected the Web SDK's JSON ({\"type\":\"offer\",\"sdp\":…}) or an SDP starting v=0",
        ));
    };
    if sdp.len() > MAX_SDP_BYTES {
        return Err(OfferError::TooLarge(sdp.len()));
    }
    let sdp = normalize(&sdp);
    if !sdp.split("\r\n").any(|l| l.starts_with("m=application ")) {
        return Err(OfferError::NoDataChannels);
    }
    SdpOffer::from_sdp_string(&sdp).map_err(|e| OfferError::Sdp(e.to_string()))
}

/// The SDP with CRLF line ends and at most one `b=` line per section (`b=AS` preferred),
/// placed after the section's `c=` line, or after its `m=`/`i=` line when it has none (the
/// session section: before `t=`).
pub(crate) fn normalize(sdp: &str) -> String {
    let lines = sdp.split(['\r', '\n']).filter(|l| !l.is_empty());
    let mut sections: Vec<Vec<&str>> = vec![Vec::new()];
    for line in lines {
        if line.starts_with("m=") {
            sections.push(Vec::new());
        }
        // A section always exists: the vector starts with one.
        if let Some(section) = sections.last_mut() {
            section.push(line);
        }
    }
    let mut out = String::with_capacity(sdp.len() + 64);
    for (index, section) in sections.iter().enumerate() {
        let bandwidth = section
            .iter()
            .find(|l| l.starts_with("b=AS:"))
            .or_else(|| section.iter().find(|l| l.starts_with("b=")));
        let rest: Vec<&str> = section
            .iter()
            .copied()
            .filter(|l| !l.starts_with("b="))
            .collect();
        // Where b= goes: after c= if any; otherwise after the lines that must precede it.
        let at = match rest.iter().position(|l| l.starts_with("c=")) {
            Some(c) => c + 1,
            None if index == 0 => rest
                .iter()
                .position(|l| l.starts_with("t=") || l.starts_with("a="))
                .unwrap_or(rest.len()),
            None => rest
                .iter()
                .position(|l| !(l.starts_with("m=") || l.starts_with("i=")))
                .unwrap_or(rest.len()),
        };
        for (i, line) in rest.iter().enumerate() {
            if i == at {
                push_line(&mut out, bandwidth);
            }
            push_line(&mut out, Some(line));
        }
        if at >= rest.len() {
            push_line(&mut out, bandwidth);
        }
    }
    out
}

fn push_line(out: &mut String, line: Option<&&str>) {
    if let Some(line) = line {
        out.push_str(line);
        out.push_str("\r\n");
    }
}

/// The signal response the Web SDK reads: `{"type":"answer","sdp":…,"webSdkProtocolUrl":…}`.
pub(crate) fn signal_response(answer_sdp: &str, protocol_url: &str) -> String {
    serde_json::json!({
        "type": "answer",
        "sdp": answer_sdp,
        "webSdkProtocolUrl": protocol_url,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of the Web SDK's offer: LF line ends, two `b=` lines after the video
    /// section's `a=` lines, no candidates.
    pub(crate) const WEB_SDK_SDP: &str = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\n\
a=group:BUNDLE 0 1 2\na=msid-semantic: WMS\n\
m=audio 9 UDP/TLS/RTP/SAVPF 111\nc=IN IP4 0.0.0.0\na=rtcp:9 IN IP4 0.0.0.0\n\
a=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuvwx\na=ice-options:trickle\n\
a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00\n\
a=setup:actpass\na=mid:0\na=recvonly\na=rtcp-mux\na=rtpmap:111 opus/48000/2\na=fmtp:111 minptime=10;useinbandfec=1;stereo=1\n\
m=video 9 UDP/TLS/RTP/SAVPF 102\nc=IN IP4 0.0.0.0\na=rtcp:9 IN IP4 0.0.0.0\n\
a=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuvwx\na=ice-options:trickle\n\
a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00\n\
a=setup:actpass\na=mid:1\na=recvonly\na=rtcp-mux\na=rtcp-rsize\na=rtpmap:102 H264/90000\n\
a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f;x-google-max-bitrate=19000\n\
b=TIAS:19000000\nb=AS:19000\n\
m=application 9 UDP/DTLS/SCTP webrtc-datachannel\nc=IN IP4 0.0.0.0\n\
a=ice-ufrag:abcd\na=ice-pwd:abcdefghijklmnopqrstuvwx\na=ice-options:trickle\n\
a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00\n\
a=setup:actpass\na=mid:2\na=sctp-port:5000\na=max-message-size:262144\n";

    #[test]
    fn normalize_keeps_one_b_line_before_the_attributes() {
        let sdp = normalize(WEB_SDK_SDP);
        assert!(!sdp.contains("b=TIAS"), "{sdp}");
        assert!(
            sdp.contains(
                "m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\nb=AS:19000\r\na=rtcp:9"
            ),
            "{sdp}"
        );
        assert!(sdp.ends_with("a=max-message-size:262144\r\n"), "{sdp}");
        assert!(!sdp.contains("\n\n") && !sdp.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn normalize_places_b_after_m_when_there_is_no_c_line() {
        let sdp = normalize("v=0\r\nt=0 0\r\nm=video 9 X 1\r\na=mid:1\r\nb=AS:5\r\n");
        assert_eq!(
            sdp,
            "v=0\r\nt=0 0\r\nm=video 9 X 1\r\nb=AS:5\r\na=mid:1\r\n"
        );
        let sdp = normalize("v=0\r\ns=-\r\nt=0 0\r\nb=CT:9\r\n");
        assert_eq!(sdp, "v=0\r\ns=-\r\nb=CT:9\r\nt=0 0\r\n");
    }

    #[test]
    fn the_web_sdk_offer_parses_in_both_forms() {
        parse(WEB_SDK_SDP).expect("bare SDP");
        let json = serde_json::json!({
            "type": "offer", "sdp": WEB_SDK_SDP, "webSdkVersion": "1.2.0",
            "extras": {"features": [{"name": "WEBRTC_SPLIT_MEDIA_STREAMS", "value": "enabled"}]}
        })
        .to_string();
        parse(&json).expect("the Web SDK's JSON");
    }

    #[test]
    fn bad_offers_are_refused_by_name() {
        assert!(matches!(parse("hello"), Err(OfferError::Form(_))));
        assert!(matches!(
            parse("NO_CLIENT_CONNECTION"),
            Err(OfferError::Form(_))
        ));
        assert!(matches!(
            parse("{\"type\":\"offer\"}"),
            Err(OfferError::Json(_))
        ));
        assert!(matches!(
            parse("{\"type\":\"answer\",\"sdp\":\"v=0\"}"),
            Err(OfferError::Json(_))
        ));
        assert!(matches!(parse("{\"type\":"), Err(OfferError::Json(_))));
        assert!(matches!(
            parse("v=0 offer 1"),
            Err(OfferError::NoDataChannels)
        ));
        let huge = format!("v=0\r\n{}", "a=x\r\n".repeat(20_000));
        assert!(matches!(parse(&huge), Err(OfferError::TooLarge(_))));
        let no_data = WEB_SDK_SDP
            .split("m=application")
            .next()
            .unwrap_or_default();
        assert_eq!(parse(no_data).unwrap_err(), OfferError::NoDataChannels);
        let broken = WEB_SDK_SDP.replace("a=mid:2\n", "");
        assert!(
            matches!(parse(&broken), Err(OfferError::Sdp(_))),
            "{:?}",
            parse(&broken)
        );
        // The errors say what is wrong.
        assert!(
            OfferError::NoDataChannels
                .to_string()
                .contains("m=application")
        );
    }

    #[test]
    fn signal_response_is_the_json_the_web_sdk_reads() {
        let s = signal_response("v=0\r\n", "http://127.0.0.1:1/_mock/webrtc/input.js");
        let v: serde_json::Value = serde_json::from_str(&s).expect("JSON");
        assert_eq!(v["type"], "answer");
        assert_eq!(v["sdp"], "v=0\r\n");
        assert_eq!(
            v["webSdkProtocolUrl"],
            "http://127.0.0.1:1/_mock/webrtc/input.js"
        );
    }
}
