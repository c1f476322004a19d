//! Any text given as a question file either parses into a valid topic or is refused
//! with an error naming the file; it never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match rehearse::bank::parse_topic("fuzz", "fuzz.toml", text) {
            Ok(topic) => assert!(!topic.questions.is_empty()),
            Err(e) => assert!(e.to_string().starts_with("fuzz.toml")),
        }
    }
});
