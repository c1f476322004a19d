//! Drives a real headless Chromium (via chromedriver) through the whole flow:
//! sign-up → interview → answer (Ctrl+Enter) → feedback → "I covered this" and undo →
//! next question → history → the account page (change password, log out everywhere),
//! by keyboard on a phone-sized screen; and study groups (create, join, share progress,
//! leave) by keyboard on a phone.
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::spawn_app;

/// chromedriver as a child process, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// chromedriver and a session; `None` (with a note) when chromedriver is not installed,
/// unless `REHEARSE_REQUIRE_BROWSER` is set (as `.ci/run` does), when that fails.
async fn start_browser() -> Option<(Driver, Client)> {
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child =
        match Command::new(&binary).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
            Ok(child) => child,
            Err(e) if std::env::var_os("REHEARSE_REQUIRE_BROWSER").is_none() => {
                // Written to the stderr handle itself, which the test harness does not
                // capture, so the skip shows in a passing run.
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped: cannot start {binary} ({e}); install chromium and chromium-driver to run browser tests"
                );
                return None;
            }
            Err(e) => panic!("cannot start {binary} ({e}); install chromium and chromium-driver (see README)"),
        };
    let driver = Driver(child);
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-quic", "--window-size=1200,900"]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::native().capabilities(caps.clone()).connect(&url).await {
            return Some((driver, client));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver at {url} did not accept a session");
}

async fn text_of(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.expect("text")
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

/// Waits (up to 10 s) until nothing matches `css`; false if something still does.
async fn wait_gone(client: &Client, css: &str) -> bool {
    for _ in 0..100 {
        if client.find(Locator::Css(css)).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn screenshot(client: &Client, name: &str) {
    if let Ok(png) = client.screenshot().await {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots");
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(format!("{dir}/{name}.png"), png);
    }
}

#[tokio::test]
async fn a_user_signs_up_answers_in_the_chat_and_finds_it_in_history() {
    let app = spawn_app().await;
    let Some((_driver, client)) = start_browser().await else { return };
    let result = walk_through(&client, &app.address).await;
    client.close().await.ok();
    result
}

async fn walk_through(client: &Client, base: &str) {
    // Sign up.
    client.goto(&format!("{base}/signup")).await.expect("open sign-up");
    client.find(Locator::Id("username")).await.expect("username field").send_keys("browser_user").await.expect("type");
    client
        .find(Locator::Id("password"))
        .await
        .expect("password field")
        .send_keys("correct horse battery")
        .await
        .expect("type");
    client.find(Locator::Id("submit")).await.expect("submit").click().await.expect("click");

    // Choose a topic and a length, start.
    wait_for(client, "#start").await;
    assert!(client.current_url().await.expect("url").path().ends_with("/practice"));
    client.find(Locator::Css("input[value=kubernetes]")).await.expect("topic box").click().await.expect("tick");
    client.find(Locator::Css("#count option[value='3']")).await.expect("length").click().await.expect("pick");
    client.find(Locator::Id("start")).await.expect("start").click().await.expect("click");

    // The interviewer asks; answer with Ctrl+Enter.
    let question = wait_for(client, "#current .bubble.interviewer").await.text().await.expect("text");
    assert!(question.contains("Interviewer · Kubernetes"), "{question}");
    assert!(text_of(client, ".progress").await.contains("Question 1 of 3"));
    let answer_box = client.find(Locator::Id("answer")).await.expect("answer box");
    answer_box
        .send_keys("Kubernetes restarts failed pods and keeps the desired number of replicas running across nodes.")
        .await
        .expect("type");
    answer_box.send_keys("\u{E009}\u{E007}\u{E000}").await.expect("ctrl+enter");

    // Feedback appears with a score, concepts and a hidden model answer.
    let feedback = wait_for(client, ".bubble.feedback[data-number='1']").await;
    let feedback_text = feedback.text().await.expect("text");
    assert!(feedback_text.contains("/100"), "{feedback_text}");
    assert!(feedback_text.contains("Missed") || feedback_text.contains("Covered"), "{feedback_text}");
    let model =
        client.find(Locator::Css(".bubble.feedback[data-number='1'] details.model p")).await.expect("model answer");
    assert!(!model.is_displayed().await.expect("visibility"), "model answer starts hidden");
    client
        .find(Locator::Css(".bubble.feedback[data-number='1'] details.model summary"))
        .await
        .expect("toggle")
        .click()
        .await
        .expect("click");
    assert!(model.is_displayed().await.expect("visibility"), "model answer shown on request");
    screenshot(client, "feedback").await;

    // Disagree with the grader on a missed concept: the page updates in place (the next
    // question stays hidden), the claim is marked as self-assessed, the keyboard lands on
    // its "undo", and Enter there takes it back.
    let claim = ".bubble.feedback[data-number='1'] button.claim[aria-label^='I covered this']";
    client.find(Locator::Css(claim)).await.expect("an 'I covered this' button").click().await.expect("click");
    let mark = wait_for(client, ".bubble.feedback[data-number='1'] .self-assessed").await;
    assert_eq!(mark.text().await.expect("text"), "self-assessed: covered");
    assert!(text_of(client, ".bubble.feedback[data-number='1'] .score").await.contains("self-assessed:"));
    let focused: serde_json::Value =
        client.execute("return document.activeElement.className", vec![]).await.expect("script");
    assert!(focused.as_str().is_some_and(|c| c.contains("claim-undo")), "focus on undo: {focused}");
    assert!(text_of(client, "#claim-status").await.starts_with("Noted"), "announced to screen readers");
    assert!(client.find(Locator::Id("next-question")).await.is_ok(), "no reload: still waiting for 'Next question'");
    screenshot(client, "claimed").await;
    let attempts_page = client
        .find(Locator::Css(".bubble.feedback[data-number='1'] a[href^='/questions/']"))
        .await
        .expect("link to the attempts page")
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    client.active_element().await.expect("focused").send_keys("\u{E007}").await.expect("enter");
    // Other missed concepts still show their own button: wait for the mark to go.
    assert!(wait_gone(client, ".bubble.feedback[data-number='1'] .self-assessed").await, "undone");
    wait_for(client, claim).await;

    // The next question waits behind "Next question".
    let next_prompt = client.find(Locator::Css("#current")).await.expect("next section");
    assert!(!next_prompt.is_displayed().await.expect("visibility"), "next question hidden until asked for");
    client.find(Locator::Id("next-question")).await.expect("next button").click().await.expect("click");
    assert!(next_prompt.is_displayed().await.expect("visibility"));
    assert!(text_of(client, ".progress").await.contains("Question 2 of 3"));
    let focused: serde_json::Value = client.execute("return document.activeElement.id", vec![]).await.expect("script");
    assert_eq!(focused, "answer", "the answer box has focus for typing");

    // An empty answer is refused in the page without losing the place.
    client.find(Locator::Id("send")).await.expect("send").click().await.expect("click");
    assert!(
        client.find(Locator::Css(".bubble.feedback[data-number='2']")).await.is_err(),
        "nothing sent for an empty answer"
    );

    // History lists the interview and the graded attempt.
    client.find(Locator::Css("a[href='/history']")).await.expect("nav").click().await.expect("click");
    wait_for(client, "#attempts").await;
    let history = text_of(client, "main").await;
    assert!(history.contains("1/3 answered"), "{history}");
    assert!(history.contains("Kubernetes"), "{history}");

    // The dashboard shows the topic, the missed concepts and the trend, chart and table.
    client.find(Locator::Css("a[href='/progress']")).await.expect("nav").click().await.expect("click");
    wait_for(client, "#topics").await;
    let first_topic = text_of(client, "#topics tbody tr:first-child").await;
    assert!(first_topic.contains("Kubernetes") && first_topic.contains("1 of"), "{first_topic}");
    let summary = text_of(client, "#weak-summary").await;
    assert!(summary.starts_with("Recently missed:"), "one miss is not 'often': {summary}");
    assert!(client
        .find(Locator::Css("#trend-chart circle"))
        .await
        .expect("chart point")
        .is_displayed()
        .await
        .expect("shown"));
    assert!(text_of(client, "#trend-table").await.contains("All topics"));
    // Under the Content-Security-Policy the inline script ran (allowed by its hash) and
    // the mastery bar, drawn without inline styles, is filled.
    let js = client.execute("return document.documentElement.classList.contains('js')", vec![]).await.expect("script");
    assert_eq!(js, serde_json::json!(true), "the inline script in base.html ran");
    // The bar's drawn share of its box matches the mastery figure beside it (which may
    // be 0 for a weak first answer, so the share is compared, not just checked non-zero).
    let drawn = client
        .execute(
            "const svg = document.querySelector('#topics svg.bar'); if (!svg) return null; \
             const r = svg.querySelector('rect').getBoundingClientRect(); \
             const box = svg.getBoundingClientRect(); \
             return [Number(svg.parentElement.querySelector('strong').textContent), r.width, box.width];",
            vec![],
        )
        .await
        .expect("script");
    let figures: Vec<f64> = drawn.as_array().map(|a| a.iter().filter_map(|v| v.as_f64()).collect()).unwrap_or_default();
    assert!(figures.len() == 3 && figures[2] > 0.0, "a mastery bar is drawn: {drawn}");
    assert!((figures[1] / figures[2] - figures[0] / 100.0).abs() < 0.02, "bar matches its figure: {drawn}");
    screenshot(client, "progress").await;
    client.find(Locator::Id("start-drill")).await.expect("drill button").click().await.expect("click");
    wait_for(client, "#current .bubble.interviewer").await;
    assert!(text_of(client, ".progress").await.starts_with("Drill"), "a drill started");
    speak_an_answer(client).await;

    // A timed interview: the countdown survives a reload instead of starting over.
    client.goto(&format!("{base}/practice")).await.expect("open");
    client.find(Locator::Css("#timer-select option[value='60']")).await.expect("timer").click().await.expect("pick");
    client.find(Locator::Id("start")).await.expect("start").click().await.expect("click");
    wait_for(client, "#timer").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    client.refresh().await.expect("reload");
    let left = wait_for(client, "#timer").await.text().await.expect("text");
    let seconds: u32 = left.trim_end_matches(" left").split(':').nth(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    assert!(left.starts_with("0:") && seconds <= 58, "timer kept running across the reload: {left}");

    // Readable on a phone: nothing wider than the screen.
    client.set_window_size(390, 844).await.expect("resize");
    for page in ["/practice", "/progress"] {
        client.goto(&format!("{base}{page}")).await.expect("open");
        let overflow: serde_json::Value = client
            .execute("return document.documentElement.scrollWidth > window.innerWidth", vec![])
            .await
            .expect("script");
        assert_eq!(overflow, false, "{page}: no horizontal scrolling on a phone-sized screen");
    }
    screenshot(client, "phone-progress").await;

    // The attempts page takes claims too, and counts them per concept; still no
    // horizontal scrolling on a phone.
    client.goto(&format!("{base}{attempts_page}")).await.expect("open");
    client.find(Locator::Css("#compare button.claim")).await.expect("a claim button").click().await.expect("click");
    wait_for(client, "#claim-count-table").await;
    assert!(text_of(client, "#compare").await.contains("self-assessed:"));
    let overflow: serde_json::Value = client
        .execute("return document.documentElement.scrollWidth > window.innerWidth", vec![])
        .await
        .expect("script");
    assert_eq!(overflow, false, "attempts page: no horizontal scrolling on a phone-sized screen");
    screenshot(client, "phone-attempts").await;

    account_by_keyboard(client, base).await;
}

/// Speak your answer: the button shows exactly where the browser offers speech
/// recognition. Taken away, the button stays hidden; with a stand-in recogniser that
/// "hears" a sentence, it fills the answer box, Stop ends it, and the answer is stored
/// as spoken, with its delivery insights under the feedback.
async fn speak_an_answer(client: &Client) {
    let supported = client
        .execute("return !!(window.SpeechRecognition || window.webkitSpeechRecognition)", vec![])
        .await
        .expect("script");
    let shown = client.find(Locator::Id("speak")).await.expect("speak button").is_displayed().await.expect("shown");
    assert_eq!(shown, supported == json!(true), "the button shows exactly when the browser can recognise speech");

    client
        .execute(
            "window.SpeechRecognition = undefined; window.webkitSpeechRecognition = undefined; window.rehearseSpeech();",
            vec![],
        )
        .await
        .expect("script");
    let shown = client.find(Locator::Id("speak")).await.expect("speak button").is_displayed().await.expect("shown");
    assert!(!shown, "hidden where speech recognition is missing");

    const HEARD: &str = "Um, a drill brings back, like, the questions I keep missing, you know, first the ones due.";
    client
        .execute(
            "const heard = arguments[0]; \
             window.SpeechRecognition = class { \
               start() { setTimeout(() => this.onresult({ results: [[{ transcript: heard }]] }), 50); } \
               stop() { setTimeout(() => this.onend && this.onend(), 10); } }; \
             window.rehearseSpeech();",
            vec![json!(HEARD)],
        )
        .await
        .expect("script");
    let speak = client.find(Locator::Id("speak")).await.expect("speak button");
    assert!(speak.is_displayed().await.expect("shown"), "shown where speech recognition exists");
    speak.click().await.expect("click");
    assert_eq!(speak.attr("aria-pressed").await.expect("attr").as_deref(), Some("true"));
    assert!(text_of(client, "#speech-status").await.starts_with("Listening"), "announced");
    let mut heard = String::new();
    for _ in 0..50 {
        let value = client.execute("return document.getElementById('answer').value", vec![]).await.expect("script");
        heard = value.as_str().unwrap_or_default().to_string();
        if !heard.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(heard, HEARD, "what was heard fills the box");
    speak.click().await.expect("stop");
    for _ in 0..50 {
        if speak.attr("aria-pressed").await.expect("attr").as_deref() == Some("false") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text_of(client, "#speech-status").await.starts_with("Dictation stopped"), "stopping is announced");
    let spoken = client.execute("return document.querySelector('[name=spoken]').value", vec![]).await.expect("script");
    assert_eq!(spoken, json!("1"));
    client.find(Locator::Id("send")).await.expect("send").click().await.expect("click");
    let delivery = wait_for(client, ".bubble.feedback[data-latest] details.delivery summary").await;
    let summary = delivery.text().await.expect("text");
    assert!(summary.contains("words") && summary.contains("spoken"), "{summary}");
    delivery.click().await.expect("open");
    let details = text_of(client, ".bubble.feedback[data-latest] details.delivery dl").await;
    assert!(details.contains("um") && details.contains("like") && details.contains("you know"), "{details}");
}

/// The account page on a phone, used with the keyboard only: Tab between the fields,
/// Enter to send.
async fn account_by_keyboard(client: &Client, base: &str) {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    client
        .find(Locator::Css("header a[href='/account']"))
        .await
        .expect("Account in the header")
        .click()
        .await
        .expect("click");
    wait_for(client, "#current_password").await;
    let overflow: serde_json::Value = client
        .execute("return document.documentElement.scrollWidth > window.innerWidth", vec![])
        .await
        .expect("script");
    assert_eq!(overflow, false, "account page: no horizontal scrolling on a phone-sized screen");

    let fill = |current: &'static str, new: &'static str, again: &'static str| async move {
        let field = client.find(Locator::Id("current_password")).await.expect("current password");
        field.send_keys(&format!("{current}{TAB}{new}{TAB}{again}{ENTER}")).await.expect("type");
    };
    // Tab moves from field to field, so this types the new password twice and sends.
    // A typo in the second copy is caught with a message, and nothing is changed.
    fill("correct horse battery", "a brand new secret", "a brand new secreT").await;
    let error = wait_for(client, "#password-error").await.text().await.expect("text");
    assert!(error.contains("differ"), "{error}");
    screenshot(client, "phone-account-error").await;

    fill("correct horse battery", "a brand new secret", "a brand new secret").await;
    let notice = wait_for(client, "p.notice").await.text().await.expect("text");
    assert!(notice.starts_with("Your password was changed"), "{notice}");

    // Log out everywhere with Enter on its button: back to the login page, which says so.
    client.find(Locator::Id("logout-everywhere")).await.expect("button").send_keys(ENTER).await.expect("enter");
    wait_for(client, "#username").await;
    let notice = wait_for(client, "p.notice").await.text().await.expect("text");
    assert!(notice.contains("logged out on every device"), "{notice}");
    client.goto(&format!("{base}/progress")).await.expect("open");
    assert!(client.current_url().await.expect("url").path().ends_with("/login"), "logged out");
    screenshot(client, "phone-logged-out").await;
}

#[tokio::test]
async fn a_group_is_made_joined_and_shared_by_keyboard_on_a_phone() {
    let app = spawn_app().await;
    let Some((_driver, client)) = start_browser().await else { return };
    app.signed_up().await;
    let (_, code) = app.create_group("Other club").await;
    let result = groups_by_keyboard(&client, &app.address, &code).await;
    client.close().await.ok();
    result
}

async fn groups_by_keyboard(client: &Client, base: &str, code: &str) {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    const SPACE: &str = "\u{E00D}";
    let no_overflow = |page: &'static str| async move {
        let overflow: serde_json::Value = client
            .execute("return document.documentElement.scrollWidth > window.innerWidth", vec![])
            .await
            .expect("script");
        assert_eq!(overflow, false, "{page}: no horizontal scrolling on a phone-sized screen");
    };
    client.set_window_size(390, 844).await.expect("resize");
    client.goto(&format!("{base}/signup")).await.expect("open sign-up");
    let username = wait_for(client, "#username").await;
    username.send_keys(&format!("grouper{TAB}correct horse battery{ENTER}")).await.expect("sign up");
    wait_for(client, "header a[href='/groups']").await.click().await.expect("Groups in the header");
    assert!(text_of(client, "#no-groups").await.contains("You are in no group yet"));
    no_overflow("groups").await;

    // Create with Enter in the name field; join with Enter in the code field.
    client
        .find(Locator::Id("group-name"))
        .await
        .expect("name")
        .send_keys(&format!("Phone club{ENTER}"))
        .await
        .expect("type");
    let shown = wait_for(client, "#invite-code").await.text().await.expect("code");
    assert_eq!(shown.len(), 10, "{shown}");
    no_overflow("group").await;
    screenshot(client, "phone-group").await;
    client.goto(&format!("{base}/groups")).await.expect("open");
    client
        .find(Locator::Id("join-code"))
        .await
        .expect("code")
        .send_keys(&format!("{code}{ENTER}"))
        .await
        .expect("type");
    let notice = wait_for(client, "p.notice").await.text().await.expect("text");
    assert_eq!(notice, "You joined the group.");

    // Share progress: Space ticks the box, Tab and Enter save it.
    client.goto(&format!("{base}/account")).await.expect("open");
    let box_ = wait_for(client, "#share_progress").await;
    box_.send_keys(SPACE).await.expect("tick");
    client.active_element().await.expect("focused").send_keys(&format!("{TAB}{ENTER}")).await.expect("save");
    let notice = wait_for(client, "p.notice").await.text().await.expect("text");
    assert!(notice.contains("now see your mastery"), "{notice}");
    client.goto(&format!("{base}/groups")).await.expect("open");
    wait_for(client, "#groups a").await;
    let links = client.find_all(Locator::Css("#groups a")).await.expect("groups");
    assert_eq!(links.len(), 2, "both groups are listed");

    // Leave with Enter on the button.
    client.find(Locator::Css("#groups a")).await.expect("a group").click().await.expect("open");
    wait_for(client, "#leave-group").await.send_keys(ENTER).await.expect("leave");
    let notice = wait_for(client, "p.notice").await.text().await.expect("text");
    assert!(notice.starts_with("You left the group"), "{notice}");
}
