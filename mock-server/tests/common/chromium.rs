//! Headless Chromium for the browser tests: Debian's `/usr/bin/chromium` over the DevTools
//! protocol (chromiumoxide), with a fresh profile per launch. Required under CI (`CI` set);
//! elsewhere a missing Chromium skips the test that asked, with a message.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chromiumoxide::{Browser, BrowserConfig};
use futures_util::StreamExt;
use tokio::task::JoinHandle;

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// How long Chromium may take to close.
const WAIT: Duration = Duration::from_secs(20);

/// A headless Chromium with a fresh profile, and the task that drives its CDP connection.
pub struct Chromium {
    pub browser: Browser,
    handler: JoinHandle<()>,
    profile: Profile,
}

impl Chromium {
    /// The browser; `None` (after saying why) where Chromium is not installed, outside CI.
    pub async fn launch() -> Option<Chromium> {
        if !Path::new(CHROMIUM).exists() {
            if std::env::var_os("CI").is_some() {
                panic!("{CHROMIUM} is missing: CI must install it (apt-get install -y chromium)");
            }
            eprintln!(
                "skipped: {CHROMIUM} is missing; `apt-get install -y chromium` enables the browser tests"
            );
            return None;
        }
        let profile = Profile::new();
        let config = BrowserConfig::builder()
            .chrome_executable(CHROMIUM)
            .new_headless_mode()
            .no_sandbox()
            .user_data_dir(&profile.0)
            .args([
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
                "allow-loopback-in-peer-connection",
            ])
            // Merged with chromiumoxide's own `--disable-features` list. Without it, Chromium
            // hides its host candidates behind mDNS names and never checks the loopback peer.
            .arg(("disable-features", "WebRtcHideLocalIpsWithMdns"))
            .build()
            .expect("a browser config");
        let (browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
        let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Some(Chromium {
            browser,
            handler,
            profile,
        })
    }

    pub async fn close(mut self) {
        let closed = tokio::time::timeout(WAIT, async {
            self.browser.close().await.expect("Chromium closes");
            self.browser.wait().await.expect("Chromium exits");
        })
        .await;
        if closed.is_err() {
            // Killed by the drop below.
            eprintln!("Chromium did not exit within {WAIT:?}: killing it");
        }
        self.handler.abort();
        drop(self.browser);
        drop(self.profile);
    }
}

/// A fresh user-data-dir, removed when dropped.
struct Profile(PathBuf);

impl Profile {
    fn new() -> Profile {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gameliftstreams-mock-chromium-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary profile directory");
        Profile(dir)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        // Best effort: a browser killed just now may still hold files.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The value of the JavaScript `expression` in `page`, through JSON (`null` for `undefined`).
pub async fn eval_json(page: &chromiumoxide::Page, expression: &str) -> serde_json::Value {
    let json: String = page
        .evaluate(format!("JSON.stringify(({expression}) ?? null)"))
        .await
        .unwrap_or_else(|e| panic!("evaluating {expression}: {e}"))
        .into_value()
        .expect("a JSON string");
    serde_json::from_str(&json).expect("JSON")
}
